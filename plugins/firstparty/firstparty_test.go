package firstparty_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/kontor-app/kontor/plugins/firstparty"
	"github.com/kontor-app/kontor/plugins/gocardless"
	"github.com/kontor-app/kontor/plugins/host"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// TestMain serves the first-party plugins when the host starts this test
// binary as a plugin, as the server binary does.
func TestMain(m *testing.M) {
	if host.RunCommand(os.Args[1:], firstparty.Plugins()) {
		return
	}
	os.Exit(m.Run())
}

func TestPlugins(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range firstparty.Plugins() {
		if err := sdk.Check(p); err != nil {
			t.Error(err)
		}
		name := p.Describe().Name
		if seen[name] {
			t.Errorf("%s twice", name)
		}
		seen[name] = true
	}
	for _, want := range []string{"peppol-bis-3", "xrechnung-ubl", "xrechnung-cii", "factur-x", "fatturapa", "stripe", "gocardless",
		"anthropic", "gemini", "twilio", "telnyx"} {
		if !seen[want] {
			t.Errorf("no %s", want)
		}
	}
}

// TestPaymentsOutOfProcess calls the payment plugins as Kontor does: in
// their own process, over gRPC.
func TestPaymentsOutOfProcess(t *testing.T) {
	h := host.New(host.Config{Builtin: firstparty.Plugins(), HealthInterval: -1}, slog.New(slog.DiscardHandler))
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	var names []string
	for _, i := range h.Plugins(sdk.KindPayment) {
		names = append(names, i.Name)
	}
	if got := strings.Join(names, ","); !strings.Contains(got, "stripe") || !strings.Contains(got, "gocardless") {
		t.Fatalf("payment plugins: %s", got)
	}
	ctx := context.Background()

	t.Run("gocardless", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusCreated)
			switch r.URL.Path {
			case "/billing_requests":
				io.WriteString(w, `{"billing_requests": {"id": "BRQ000TEST", "status": "pending"}}`)
			case "/billing_request_flows":
				io.WriteString(w, `{"billing_request_flows": {"id": "BRF000TEST", "authorisation_url": "https://pay-sandbox.gocardless.com/billing/static/flow?id=BRF000TEST", "expires_at": "2026-03-09T10:00:00.000Z", "links": {"billing_request": "BRQ000TEST"}}}`)
			}
		}))
		defer srv.Close()
		link, err := h.CreatePayment(ctx, "gocardless", sdk.PaymentRequest{
			Invoice: &sdk.Invoice{Number: "INV-1", Currency: "GBP"}, Amount: "10.00", Currency: "GBP",
			SuccessURL: "https://kontor.example/ok", IdempotencyKey: "k1",
			Settings: map[string]string{"access_token": "sandbox_x", "base_url": srv.URL},
		})
		if err != nil || link.ID != "BRQ000TEST" || !strings.Contains(link.URL, "BRF000TEST") || link.ExpiresAt != "2026-03-09T10:00:00Z" {
			t.Fatalf("%+v %v", link, err)
		}

		body := []byte(`{"events": [{"id": "EV1", "created_at": "2026-03-02T10:00:00Z", "resource_type": "billing_requests", "action": "fulfilled", "links": {"billing_request": "BRQ000TEST"}}]}`)
		settings := map[string]string{"access_token": "sandbox_x", "webhook_secret": "s3cret"}
		ev, err := h.ParseWebhook(ctx, "gocardless", sdk.WebhookRequest{
			Headers: map[string][]string{"Webhook-Signature": {gocardless.Sign(body, "s3cret")}}, Body: body, Settings: settings,
		})
		if err != nil || ev.Type != sdk.EventSucceeded || ev.PaymentID != "BRQ000TEST" || ev.ID != "EV1" {
			t.Fatalf("%+v %v", ev, err)
		}
		_, err = h.ParseWebhook(ctx, "gocardless", sdk.WebhookRequest{
			Headers: map[string][]string{"Webhook-Signature": {gocardless.Sign(body, "forged")}}, Body: body, Settings: settings,
		})
		if err == nil || !strings.Contains(err.Error(), "invalid signature") {
			t.Fatalf("forged: %v", err)
		}
	})

	t.Run("stripe", func(t *testing.T) {
		body := []byte(`{"id": "evt_1", "object": "event", "api_version": "2023-10-16", "created": 1772445600, "type": "checkout.session.completed",
			"data": {"object": {"id": "cs_test_1", "object": "checkout.session", "amount_total": 1000, "currency": "eur", "client_reference_id": "INV-1", "payment_status": "paid"}}}`)
		p := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: "whsec_x", Timestamp: time.Now()})
		ev, err := h.ParseWebhook(ctx, "stripe", sdk.WebhookRequest{
			Headers: map[string][]string{"Stripe-Signature": {p.Header}}, Body: body,
			Settings: map[string]string{"secret_key": "sk_test_x", "webhook_secret": "whsec_x"},
		})
		want := sdk.PaymentEvent{ID: "evt_1", Type: sdk.EventSucceeded, PaymentID: "cs_test_1", InvoiceNumber: "INV-1",
			Amount: "10.00", Currency: "EUR", OccurredAt: "2026-03-02T10:00:00Z"}
		if err != nil || *ev != want {
			t.Fatalf("%+v %v", ev, err)
		}
		_, err = h.ParseWebhook(ctx, "stripe", sdk.WebhookRequest{Body: body,
			Settings: map[string]string{"secret_key": "sk_test_x", "webhook_secret": "whsec_x"}})
		if err == nil || !strings.Contains(err.Error(), "missing Stripe-Signature") {
			t.Fatalf("unsigned: %v", err)
		}
	})
}
