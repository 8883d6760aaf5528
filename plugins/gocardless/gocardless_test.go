package gocardless_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/kontor-app/kontor/plugins/gocardless"
	"github.com/kontor-app/kontor/plugins/sdk"
)

const token = "sandbox_Qr2bzZ6XnB3nXaGvB9cPmEpJ4yVtU7wL"

func TestDescribe(t *testing.T) {
	if err := sdk.Check(gocardless.Provider{}); err != nil {
		t.Fatal(err)
	}
	if d := (gocardless.Provider{}).Describe(); d.Name != "gocardless" || d.Kind != sdk.KindPayment {
		t.Fatalf("%+v", d)
	}
}

// call is a request the fake GoCardless received.
type call struct {
	method, path string
	header       http.Header
	body         string
}

// fake speaks GoCardless's wire format: each POST gets the next reply.
type fake struct {
	mu      sync.Mutex
	calls   []call
	replies []reply
}

type reply struct {
	status int
	body   string
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call{r.Method, r.URL.Path, r.Header.Clone(), string(body)})
	rep := reply{500, `{"error": {"message": "unexpected call", "type": "gocardless", "code": 500, "errors": []}}`}
	if len(f.replies) > 0 {
		rep, f.replies = f.replies[0], f.replies[1:]
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rep.status)
	io.WriteString(w, rep.body)
}

// Replies in the shape GoCardless documents for these calls.
const (
	brqCreated = `{"billing_requests": {"id": "BRQ000123ABCDEF", "created_at": "2026-03-02T10:00:00.000Z", "status": "pending",
		"mandate_request": null,
		"payment_request": {"description": "Invoice INV-2026-0001", "currency": "EUR", "amount": 12050, "app_fee": null,
			"scheme": "sepa_credit_transfer", "metadata": {"invoice_number": "INV-2026-0001"}, "links": {}},
		"metadata": {}, "links": {"customer": "CU000123", "payment_request": "PRQ000123"},
		"actions": [{"type": "choose_currency", "required": true, "completes_actions": ["collect_customer_details"]}],
		"resources": {}, "fallback_enabled": false}}`
	flowCreated = `{"billing_request_flows": {"id": "BRF000456GHIJKL", "auto_fulfil": true,
		"redirect_uri": "https://kontor.example/i/tok?paid=1", "exit_uri": "https://kontor.example/i/tok",
		"authorisation_url": "https://pay-sandbox.gocardless.com/billing/static/flow?id=BRF000456GHIJKL",
		"lock_customer_details": false, "lock_bank_account": false, "session_token": null,
		"expires_at": "2026-03-09T10:00:00.123Z", "created_at": "2026-03-02T10:00:00.127Z",
		"links": {"billing_request": "BRQ000123ABCDEF"}}}`
)

func request(base string) sdk.PaymentRequest {
	return sdk.PaymentRequest{
		Invoice: &sdk.Invoice{ModelVersion: sdk.ModelVersion, Number: "INV-2026-0001", IssueDate: "2026-03-02",
			TypeCode: sdk.TypeInvoice, Currency: "EUR", Totals: sdk.Totals{Payable: "120.50"}},
		Amount: "120.50", Currency: "EUR",
		SuccessURL: "https://kontor.example/i/tok?paid=1", CancelURL: "https://kontor.example/i/tok",
		IdempotencyKey: "pay-1",
		Settings:       map[string]string{"access_token": token, "base_url": base},
	}
}

// sameJSON reports whether two JSON texts hold the same value, key for key.
func sameJSON(t *testing.T, got, want string) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("body %q: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(g, w)
}

func checkCall(t *testing.T, c call, path, key, body string) {
	t.Helper()
	if c.method != http.MethodPost || c.path != path {
		t.Errorf("%s %s, want POST %s", c.method, c.path, path)
	}
	for name, want := range map[string]string{
		"Authorization": "Bearer " + token, "GoCardless-Version": "2015-07-06",
		"Content-Type": "application/json", "Idempotency-Key": key,
	} {
		if got := c.header.Get(name); got != want {
			t.Errorf("%s %s: %q, want %q", path, name, got, want)
		}
	}
	if !sameJSON(t, c.body, body) {
		t.Errorf("%s body\n got %s\nwant %s", path, c.body, body)
	}
}

func TestCreatePayment(t *testing.T) {
	f := &fake{replies: []reply{{201, brqCreated}, {201, flowCreated}}}
	srv := httptest.NewServer(f)
	defer srv.Close()

	link, err := gocardless.Provider{}.CreatePayment(context.Background(), request(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	want := sdk.PaymentLink{URL: "https://pay-sandbox.gocardless.com/billing/static/flow?id=BRF000456GHIJKL",
		ID: "BRQ000123ABCDEF", ExpiresAt: "2026-03-09T10:00:00Z"}
	if *link != want {
		t.Errorf("link %+v, want %+v", *link, want)
	}
	if len(f.calls) != 2 {
		t.Fatalf("%d calls, want 2", len(f.calls))
	}
	checkCall(t, f.calls[0], "/billing_requests", "pay-1",
		`{"billing_requests": {"payment_request": {"description": "Invoice INV-2026-0001", "amount": 12050,
			"currency": "EUR", "metadata": {"invoice_number": "INV-2026-0001"}}}}`)
	checkCall(t, f.calls[1], "/billing_request_flows", "pay-1-flow",
		`{"billing_request_flows": {"redirect_uri": "https://kontor.example/i/tok?paid=1",
			"exit_uri": "https://kontor.example/i/tok", "links": {"billing_request": "BRQ000123ABCDEF"}}}`)
}

// TestCreatePaymentRetried: GoCardless answers a repeated Idempotency-Key
// with a 409 naming the resource made the first time.
func TestCreatePaymentRetried(t *testing.T) {
	conflict := func(id string) reply {
		return reply{409, `{"error": {"message": "A resource has already been created with this idempotency key",
			"documentation_url": "https://developer.gocardless.com/api-reference#idempotent_creation_conflict",
			"type": "invalid_state", "request_id": "0429", "code": 409,
			"errors": [{"reason": "idempotent_creation_conflict", "message": "A resource has already been created with this idempotency key",
				"links": {"conflicting_resource_id": "` + id + `"}}]}}`}
	}
	f := &fake{replies: []reply{conflict("BRQ000123ABCDEF"), conflict("BRF000456GHIJKL"), {201, flowCreated}}}
	srv := httptest.NewServer(f)
	defer srv.Close()

	link, err := gocardless.Provider{}.CreatePayment(context.Background(), request(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if link.ID != "BRQ000123ABCDEF" || !strings.Contains(link.URL, "BRF000456GHIJKL") {
		t.Errorf("link %+v", link)
	}
	if len(f.calls) != 3 {
		t.Fatalf("%d calls, want 3", len(f.calls))
	}
	if got := f.calls[2].header.Get("Idempotency-Key"); got != "" {
		t.Errorf("second flow sent Idempotency-Key %q", got)
	}
	if !strings.Contains(f.calls[2].body, `"billing_request":"BRQ000123ABCDEF"`) {
		t.Errorf("second flow body %s", f.calls[2].body)
	}
}

func TestCreatePaymentError(t *testing.T) {
	f := &fake{replies: []reply{{422, `{"error": {"message": "Validation failed",
		"documentation_url": "https://developer.gocardless.com/api-reference#validation_failed",
		"type": "validation_failed", "request_id": "deadbeef", "code": 422,
		"errors": [{"field": "currency", "message": "is not supported for instant bank payments", "request_pointer": "/billing_requests/payment_request/currency"}]}}`}}}
	srv := httptest.NewServer(f)
	defer srv.Close()

	_, err := gocardless.Provider{}.CreatePayment(context.Background(), request(srv.URL))
	if err == nil || !strings.Contains(err.Error(), "Validation failed (currency is not supported for instant bank payments)") ||
		!strings.Contains(err.Error(), "422") {
		t.Fatalf("error %v", err)
	}
	if strings.Contains(err.Error(), token) {
		t.Fatal("the error shows the token")
	}
	if len(f.calls) != 1 {
		t.Errorf("%d calls after a failed billing request, want 1", len(f.calls))
	}

	f = &fake{replies: []reply{{502, `<html>Bad gateway</html>`}}}
	srv2 := httptest.NewServer(f)
	defer srv2.Close()
	if _, err := (gocardless.Provider{}).CreatePayment(context.Background(), request(srv2.URL)); err == nil ||
		!strings.Contains(err.Error(), "HTTP 502") {
		t.Fatalf("error %v", err)
	}
}

func TestCreatePaymentRefused(t *testing.T) {
	cases := []struct {
		name, want string
		edit       func(*sdk.PaymentRequest)
	}{
		{"no token", "access_token setting is not set", func(r *sdk.PaymentRequest) { r.Settings = map[string]string{} }},
		{"bad environment", "environment", func(r *sdk.PaymentRequest) {
			r.Settings = map[string]string{"access_token": token, "environment": "staging"}
		}},
		{"bad base_url", "base_url", func(r *sdk.PaymentRequest) { r.Settings["base_url"] = "api.gocardless.com" }},
		{"no number", "no number", func(r *sdk.PaymentRequest) { r.Invoice.Number = "" }},
		{"rounding", "more than 2 decimals", func(r *sdk.PaymentRequest) { r.Amount = "120.505" }},
		{"currency", "does not collect", func(r *sdk.PaymentRequest) { r.Currency = "JPY" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := request("http://127.0.0.1:1")
			tc.edit(&req)
			if _, err := (gocardless.Provider{}).CreatePayment(context.Background(), req); err == nil ||
				!strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
}

// TestEnvironment checks which API a token goes to, through a client that
// answers every call itself.
func TestEnvironment(t *testing.T) {
	cases := []struct {
		settings map[string]string
		host     string
	}{
		{map[string]string{"access_token": "live_abc"}, "api.gocardless.com"},
		{map[string]string{"access_token": "sandbox_abc"}, "api-sandbox.gocardless.com"},
		{map[string]string{"access_token": "live_abc", "environment": "sandbox"}, "api-sandbox.gocardless.com"},
		{map[string]string{"access_token": "sandbox_abc", "environment": "live"}, "api.gocardless.com"},
		{map[string]string{"access_token": "live_abc", "environment": "live", "base_url": "http://gc.test"}, "gc.test"},
	}
	for _, tc := range cases {
		var hosts []string
		p := gocardless.Provider{HTTPClient: &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
			hosts = append(hosts, r.URL.Host)
			body := brqCreated
			if strings.HasSuffix(r.URL.Path, "/billing_request_flows") {
				body = flowCreated
			}
			return &http.Response{StatusCode: 201, Body: io.NopCloser(strings.NewReader(body)), Header: http.Header{}}, nil
		})}}
		req := request("")
		req.Settings = tc.settings
		if _, err := p.CreatePayment(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		if len(hosts) != 2 || hosts[0] != tc.host || hosts[1] != tc.host {
			t.Errorf("%v: hosts %v, want %s", tc.settings, hosts, tc.host)
		}
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestMinorUnits(t *testing.T) {
	for _, tc := range []struct {
		amount, currency string
		want             int64
		err              string
	}{
		{"120.50", "EUR", 12050, ""},
		{"120.5", "gbp", 12050, ""},
		{"1", "SEK", 100, ""},
		{"0.01", "EUR", 1, ""},
		{"120.505", "EUR", 0, "more than 2 decimals"},
		{"0", "EUR", 0, "not positive"},
		{"x", "EUR", 0, "not a decimal"},
		{"1200", "JPY", 0, "does not collect"},
	} {
		got, err := gocardless.MinorUnits(tc.amount, tc.currency)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("%s %s: %d %v, want %d", tc.amount, tc.currency, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s %s: %v, want error %q", tc.amount, tc.currency, err, tc.err)
		}
	}
}
