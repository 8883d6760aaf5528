package stripe_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/plugins/stripe"
)

const whsec = "whsec_test_secret"

// created is the events' creation time, 2026-03-02T10:00:00Z.
const created = 1772445600

func session(status string) string {
	return fmt.Sprintf(`{"id": "cs_test_a1", "object": "checkout.session", "amount_total": 12050, "currency": "eur",
		"client_reference_id": "INV-2026-0001", "metadata": {"invoice_number": "INV-2026-0001", "kontor_idempotency_key": "k1"},
		"mode": "payment", "payment_status": %q, "payment_intent": "pi_123", "status": "complete"}`, status)
}

func event(typ, object string) []byte {
	// api_version is not stripe-go's: events of any version are read.
	return []byte(fmt.Sprintf(`{"id": "evt_%s", "object": "event", "api_version": "2020-08-27", "created": %d,
		"type": %q, "data": {"object": %s}}`, strings.ReplaceAll(typ, ".", "_"), created, typ, object))
}

func signed(t *testing.T, body []byte, secret string, at time.Time) map[string][]string {
	t.Helper()
	p := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: secret, Timestamp: at})
	return map[string][]string{"Stripe-Signature": {p.Header}}
}

func TestParseWebhook(t *testing.T) {
	refund := `{"id": "ch_1", "object": "charge", "amount": 12050, "amount_refunded": 5000, "currency": "eur",
		"metadata": {"invoice_number": "INV-2026-0001"}, "payment_intent": "pi_123", "refunded": false}`
	cases := []struct {
		typ, object string
		want        sdk.PaymentEvent
	}{
		{"checkout.session.completed", session("paid"), sdk.PaymentEvent{Type: sdk.EventSucceeded, PaymentID: "cs_test_a1",
			InvoiceNumber: "INV-2026-0001", Amount: "120.50", Currency: "EUR"}},
		{"checkout.session.completed", session("unpaid"), sdk.PaymentEvent{Type: sdk.EventIgnored, PaymentID: "cs_test_a1",
			InvoiceNumber: "INV-2026-0001", Amount: "120.50", Currency: "EUR"}},
		{"checkout.session.async_payment_succeeded", session("paid"), sdk.PaymentEvent{Type: sdk.EventSucceeded,
			PaymentID: "cs_test_a1", InvoiceNumber: "INV-2026-0001", Amount: "120.50", Currency: "EUR"}},
		{"checkout.session.async_payment_failed", session("unpaid"), sdk.PaymentEvent{Type: sdk.EventFailed,
			PaymentID: "cs_test_a1", InvoiceNumber: "INV-2026-0001", Amount: "120.50", Currency: "EUR"}},
		{"checkout.session.expired", session("unpaid"), sdk.PaymentEvent{Type: sdk.EventExpired, PaymentID: "cs_test_a1",
			InvoiceNumber: "INV-2026-0001", Amount: "120.50", Currency: "EUR"}},
		{"charge.refunded", refund, sdk.PaymentEvent{Type: sdk.EventRefunded, PaymentID: "pi_123",
			InvoiceNumber: "INV-2026-0001", Amount: "50.00", Currency: "EUR"}},
		{"customer.created", `{"id": "cus_1", "object": "customer"}`, sdk.PaymentEvent{Type: sdk.EventIgnored}},
		{"checkout.session.completed", `{"id": "cs_test_jpy", "object": "checkout.session", "amount_total": 1200, "currency": "jpy",
			"metadata": {"invoice_number": "INV-7"}, "payment_status": "paid"}`,
			sdk.PaymentEvent{Type: sdk.EventSucceeded, PaymentID: "cs_test_jpy", InvoiceNumber: "INV-7", Amount: "1200", Currency: "JPY"}},
	}
	for _, tc := range cases {
		t.Run(tc.typ+" "+tc.want.Type, func(t *testing.T) {
			body := event(tc.typ, tc.object)
			ev, err := stripe.Provider{}.ParseWebhook(context.Background(), sdk.WebhookRequest{
				Headers: signed(t, body, whsec, time.Now()), Body: body,
				Settings: map[string]string{"secret_key": testKey, "webhook_secret": whsec},
			})
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want
			want.ID = "evt_" + strings.ReplaceAll(tc.typ, ".", "_")
			want.OccurredAt = "2026-03-02T10:00:00Z"
			if *ev != want {
				t.Errorf("event\n got %+v\nwant %+v", *ev, want)
			}
		})
	}
}

func TestParseWebhookRefused(t *testing.T) {
	body := event("checkout.session.completed", session("paid"))
	settings := map[string]string{"webhook_secret": whsec}
	cases := []struct {
		name     string
		headers  map[string][]string
		settings map[string]string
		want     string
	}{
		{"forged", signed(t, body, "whsec_someone_else", time.Now()), settings, "invalid signature"},
		{"missing header", map[string][]string{}, settings, "missing Stripe-Signature"},
		{"garbled header", map[string][]string{"Stripe-Signature": {"nonsense"}}, settings, "invalid signature"},
		{"stale", signed(t, body, whsec, time.Now().Add(-10*time.Minute)), settings, "older than"},
		{"no secret", signed(t, body, whsec, time.Now()), map[string]string{}, "webhook_secret setting is not set"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := stripe.Provider{}.ParseWebhook(context.Background(), sdk.WebhookRequest{
				Headers: tc.headers, Body: body, Settings: tc.settings,
			})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("%+v %v, want error %q", ev, err, tc.want)
			}
		})
	}

	t.Run("body changed after signing", func(t *testing.T) {
		h := signed(t, body, whsec, time.Now())
		tampered := []byte(strings.Replace(string(body), "12050", "1", 1))
		if _, err := (stripe.Provider{}).ParseWebhook(context.Background(), sdk.WebhookRequest{
			Headers: h, Body: tampered, Settings: settings,
		}); err == nil || !strings.Contains(err.Error(), "invalid signature") {
			t.Fatalf("error %v", err)
		}
	})

	t.Run("header name in lower case", func(t *testing.T) {
		h := signed(t, body, whsec, time.Now())
		if _, err := (stripe.Provider{}).ParseWebhook(context.Background(), sdk.WebhookRequest{
			Headers: map[string][]string{"stripe-signature": h["Stripe-Signature"]}, Body: body, Settings: settings,
		}); err != nil {
			t.Fatal(err)
		}
	})
}
