package stripe_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kontor-app/kontor/internal/stripemock"
	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/plugins/stripe"
)

const testKey = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"

func TestDescribe(t *testing.T) {
	if err := sdk.Check(stripe.Provider{}); err != nil {
		t.Fatal(err)
	}
	if d := (stripe.Provider{}).Describe(); d.Name != "stripe" || d.Kind != sdk.KindPayment {
		t.Fatalf("%+v", d)
	}
}

// recorder keeps the requests that go through it, with their bodies.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
}

type recorded struct {
	method, path string
	header       http.Header
	form         url.Values
	status       int
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	form, _ := url.ParseQuery(string(body))
	res, err := http.DefaultTransport.RoundTrip(req)
	rec := recorded{method: req.Method, path: req.URL.Path, header: req.Header.Clone(), form: form}
	if res != nil {
		rec.status = res.StatusCode
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, rec)
	r.mu.Unlock()
	return res, err
}

func invoice(number, currency string) *sdk.Invoice {
	return &sdk.Invoice{
		ModelVersion: sdk.ModelVersion, Number: number, IssueDate: "2026-03-02", TypeCode: sdk.TypeInvoice, Currency: currency,
		Buyer: sdk.Party{Name: "Acme AG", Address: sdk.Address{Country: "DE"},
			Contact: &sdk.Contact{Email: "ap@acme.example"}},
		Totals: sdk.Totals{Payable: "120.50"},
	}
}

// TestCreatePaymentStripeMock creates Checkout Sessions through the real
// stripe-go client against stripe-mock, which validates every parameter
// against Stripe's OpenAPI spec (a wrong one is a 400, hence an error).
func TestCreatePaymentStripeMock(t *testing.T) {
	base := stripemock.Start(t)
	cases := []struct {
		currency, amount, unit string
		email                  bool
	}{
		{"EUR", "120.50", "12050", true},
		{"JPY", "1200", "1200", false},
	}
	for _, tc := range cases {
		t.Run(tc.currency, func(t *testing.T) {
			rec := &recorder{}
			p := stripe.Provider{HTTPClient: &http.Client{Transport: rec, Timeout: 10 * time.Second}}
			inv := invoice("INV-2026-0001", tc.currency)
			if !tc.email {
				inv.Buyer.Contact = nil
			}
			link, err := p.CreatePayment(context.Background(), sdk.PaymentRequest{
				Invoice: inv, Amount: tc.amount, Currency: tc.currency,
				SuccessURL: "https://kontor.example/i/tok?paid=1", CancelURL: "https://kontor.example/i/tok",
				IdempotencyKey: "pay-" + tc.currency + "-1",
				Settings:       map[string]string{"secret_key": testKey, "api_base": base},
				WebhookURL:     "https://kontor.example/api/kontor/webhooks/payments/stripe/ws1",
			})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("stripe-mock: %+v", link)
			if !strings.HasPrefix(link.URL, "https://") || !strings.HasPrefix(link.ID, "cs_") {
				t.Errorf("link %+v", link)
			}
			if _, err := time.Parse(time.RFC3339, link.ExpiresAt); err != nil {
				t.Errorf("expires_at %q: %v", link.ExpiresAt, err)
			}

			if len(rec.reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(rec.reqs))
			}
			r := rec.reqs[0]
			if r.method != http.MethodPost || r.path != "/v1/checkout/sessions" || r.status != http.StatusOK {
				t.Fatalf("%s %s: %d", r.method, r.path, r.status)
			}
			if got := r.header.Get("Authorization"); got != "Bearer "+testKey {
				t.Errorf("Authorization %q", got)
			}
			if got := r.header.Get("Idempotency-Key"); got != "pay-"+tc.currency+"-1" {
				t.Errorf("Idempotency-Key %q", got)
			}
			want := map[string]string{
				"mode":                                          "payment",
				"line_items[0][quantity]":                       "1",
				"line_items[0][price_data][currency]":           strings.ToLower(tc.currency),
				"line_items[0][price_data][unit_amount]":        tc.unit,
				"line_items[0][price_data][product_data][name]": "Invoice INV-2026-0001",
				"success_url":                                   "https://kontor.example/i/tok?paid=1",
				"cancel_url":                                    "https://kontor.example/i/tok",
				"client_reference_id":                           "INV-2026-0001",
				"metadata[invoice_number]":                      "INV-2026-0001",
				"metadata[kontor_idempotency_key]":              "pay-" + tc.currency + "-1",
				"payment_intent_data[metadata][invoice_number]": "INV-2026-0001",
				"payment_intent_data[description]":              "Invoice INV-2026-0001",
			}
			if tc.email {
				want["customer_email"] = "ap@acme.example"
			}
			for k, v := range want {
				if got := r.form.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			for k := range r.form {
				if _, ok := want[k]; !ok {
					t.Errorf("unexpected parameter %s=%q", k, r.form.Get(k))
				}
			}
		})
	}
}

// TestCreatePaymentStripeError surfaces Stripe's own message.
func TestCreatePaymentStripeError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"error": {"message": "Invalid API Key provided: sk_test_****p7dc", "type": "invalid_request_error"}}`)
	}))
	defer srv.Close()
	_, err := stripe.Provider{}.CreatePayment(context.Background(), sdk.PaymentRequest{
		Invoice: invoice("INV-1", "EUR"), Amount: "10.00", Currency: "EUR", SuccessURL: "https://kontor.example/ok",
		Settings: map[string]string{"secret_key": testKey, "api_base": srv.URL},
	})
	if err == nil || !strings.Contains(err.Error(), "Invalid API Key provided") || strings.Contains(err.Error(), testKey) {
		t.Fatalf("error %v", err)
	}
}

func TestCreatePaymentRefused(t *testing.T) {
	ok := sdk.PaymentRequest{
		Invoice: invoice("INV-1", "EUR"), Amount: "10.00", Currency: "EUR", SuccessURL: "https://kontor.example/ok",
		Settings: map[string]string{"secret_key": testKey, "api_base": "http://127.0.0.1:1"},
	}
	cases := []struct {
		name, want string
		edit       func(*sdk.PaymentRequest)
	}{
		{"no key", "secret_key setting is not set", func(r *sdk.PaymentRequest) { r.Settings = map[string]string{} }},
		{"publishable key", "not a Stripe secret key", func(r *sdk.PaymentRequest) {
			r.Settings = map[string]string{"secret_key": "pk_test_123"}
		}},
		{"bad api_base", "api_base", func(r *sdk.PaymentRequest) {
			r.Settings = map[string]string{"secret_key": testKey, "api_base": "ftp://x"}
		}},
		{"no number", "no number", func(r *sdk.PaymentRequest) { r.Invoice.Number = "" }},
		{"no success url", "success URL", func(r *sdk.PaymentRequest) { r.SuccessURL = "" }},
		{"rounding", "more decimals", func(r *sdk.PaymentRequest) { r.Amount = "10.005" }},
		{"zero", "not positive", func(r *sdk.PaymentRequest) { r.Amount = "0.00" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := ok
			inv := *ok.Invoice
			req.Invoice = &inv
			tc.edit(&req)
			_, err := stripe.Provider{}.CreatePayment(context.Background(), req)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), testKey) {
				t.Fatal("the error shows the key")
			}
		})
	}
}

func TestMinorUnits(t *testing.T) {
	cases := []struct {
		amount, currency string
		want             int64
		err              string
	}{
		{"120.50", "EUR", 12050, ""},
		{"120.5", "eur", 12050, ""},
		{"0.01", "USD", 1, ""},
		{"1200", "JPY", 1200, ""},
		{"1200.00", "JPY", 1200, ""},
		{"1200.50", "JPY", 0, "more decimals"},
		{"10.005", "EUR", 0, "more decimals"},
		{"5.12", "KWD", 5120, ""},
		{"5.124", "KWD", 0, "2 decimals"},
		{"500", "ISK", 50000, ""},
		{"500.50", "ISK", 0, "whole units"},
		{"0", "EUR", 0, "not positive"},
		{"-5.00", "EUR", 0, "not positive"},
		{"abc", "EUR", 0, "not a decimal"},
		{"1e400", "EUR", 0, "too large"},
		{"10.00", "EURO", 0, "ISO 4217"},
	}
	for _, tc := range cases {
		got, err := stripe.MinorUnits(tc.amount, tc.currency)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("%s %s: %d %v, want %d", tc.amount, tc.currency, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s %s: %d %v, want error %q", tc.amount, tc.currency, got, err, tc.err)
		}
	}
	for _, tc := range []struct {
		minor    int64
		currency string
		want     string
	}{{12050, "EUR", "120.50"}, {1200, "JPY", "1200"}, {5120, "KWD", "5.120"}, {1, "usd", "0.01"}} {
		if got := stripe.FromMinorUnits(tc.minor, tc.currency); got != tc.want {
			t.Errorf("FromMinorUnits(%d, %s) = %s, want %s", tc.minor, tc.currency, got, tc.want)
		}
	}
}
