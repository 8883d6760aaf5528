package gocardless_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/plugins/gocardless"
	"github.com/kontor-app/kontor/plugins/sdk"
)

const secret = "wh_secret_4f9a"

func deliver(t *testing.T, body string, headers map[string][]string, settings map[string]string) (*sdk.PaymentEvent, error) {
	t.Helper()
	return gocardless.Provider{}.ParseWebhook(context.Background(), sdk.WebhookRequest{
		Headers: headers, Body: []byte(body), Settings: settings,
	})
}

func signedBy(body, key string) map[string][]string {
	return map[string][]string{"Webhook-Signature": {gocardless.Sign([]byte(body), key)}}
}

func TestParseWebhookMapping(t *testing.T) {
	meta := `"resource_metadata": {"invoice_number": "INV-2026-0001"}`
	cases := []struct {
		name, event string
		want        sdk.PaymentEvent
	}{
		{"billing request fulfilled", `{"id": "EV001", "created_at": "2026-03-02T10:05:00.123Z", "resource_type": "billing_requests",
			"action": "fulfilled", "details": {"origin": "payer", "cause": "billing_request_fulfilled"},
			"metadata": {}, "resource_metadata": {}, "links": {"billing_request": "BRQ000123ABCDEF", "payment_request_payment": "PM0001"}}`,
			sdk.PaymentEvent{ID: "EV001", Type: sdk.EventSucceeded, PaymentID: "BRQ000123ABCDEF", OccurredAt: "2026-03-02T10:05:00Z"}},
		{"billing request cancelled", `{"id": "EV002", "created_at": "2026-03-02T10:05:00Z", "resource_type": "billing_requests",
			"action": "cancelled", "links": {"billing_request": "BRQ000123ABCDEF"}}`,
			sdk.PaymentEvent{ID: "EV002", Type: sdk.EventFailed, PaymentID: "BRQ000123ABCDEF", OccurredAt: "2026-03-02T10:05:00Z"}},
		{"billing request failed", `{"id": "EV003", "created_at": "2026-03-02T10:05:00Z", "resource_type": "billing_requests",
			"action": "failed", "links": {"billing_request": "BRQ000123ABCDEF"}}`,
			sdk.PaymentEvent{ID: "EV003", Type: sdk.EventFailed, PaymentID: "BRQ000123ABCDEF", OccurredAt: "2026-03-02T10:05:00Z"}},
		{"payment failed", `{"id": "EV004", "created_at": "2026-03-03T08:00:00.000Z", "resource_type": "payments", "action": "failed",
			"details": {"origin": "bank", "cause": "insufficient_funds"}, ` + meta + `, "links": {"payment": "PM0001"}}`,
			sdk.PaymentEvent{ID: "EV004", Type: sdk.EventFailed, PaymentID: "PM0001", InvoiceNumber: "INV-2026-0001", OccurredAt: "2026-03-03T08:00:00Z"}},
		{"payment cancelled", `{"id": "EV005", "created_at": "2026-03-03T08:00:00Z", "resource_type": "payments", "action": "cancelled",
			` + meta + `, "links": {"payment": "PM0001"}}`,
			sdk.PaymentEvent{ID: "EV005", Type: sdk.EventFailed, PaymentID: "PM0001", InvoiceNumber: "INV-2026-0001", OccurredAt: "2026-03-03T08:00:00Z"}},
		{"payment charged back", `{"id": "EV006", "created_at": "2026-03-10T08:00:00Z", "resource_type": "payments", "action": "charged_back",
			` + meta + `, "links": {"payment": "PM0001"}}`,
			sdk.PaymentEvent{ID: "EV006", Type: sdk.EventRefunded, PaymentID: "PM0001", InvoiceNumber: "INV-2026-0001", OccurredAt: "2026-03-10T08:00:00Z"}},
		{"refund paid", `{"id": "EV007", "created_at": "2026-03-11T08:00:00Z", "resource_type": "refunds", "action": "paid",
			"links": {"refund": "RF0001", "payment": "PM0001"}}`,
			sdk.PaymentEvent{ID: "EV007", Type: sdk.EventRefunded, PaymentID: "PM0001", OccurredAt: "2026-03-11T08:00:00Z"}},
		{"payment confirmed", `{"id": "EV008", "created_at": "2026-03-02T10:06:00Z", "resource_type": "payments", "action": "confirmed",
			"links": {"payment": "PM0001"}}`,
			sdk.PaymentEvent{ID: "EV008", Type: sdk.EventIgnored, OccurredAt: "2026-03-02T10:06:00Z"}},
		{"mandate created", `{"id": "EV009", "created_at": "2026-03-02T10:06:00Z", "resource_type": "mandates", "action": "created",
			"links": {"mandate": "MD0001"}}`,
			sdk.PaymentEvent{ID: "EV009", Type: sdk.EventIgnored, OccurredAt: "2026-03-02T10:06:00Z"}},
	}
	settings := map[string]string{"access_token": token, "webhook_secret": secret}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := `{"events": [` + tc.event + `]}`
			ev, err := deliver(t, body, signedBy(body, secret), settings)
			if err != nil {
				t.Fatal(err)
			}
			if *ev != tc.want {
				t.Errorf("event\n got %+v\nwant %+v", *ev, tc.want)
			}
		})
	}

	t.Run("batch: the first event that matters", func(t *testing.T) {
		body := `{"events": [
			{"id": "EV010", "created_at": "2026-03-02T10:05:00Z", "resource_type": "billing_requests", "action": "payer_details_confirmed", "links": {"billing_request": "BRQ1"}},
			{"id": "EV011", "created_at": "2026-03-02T10:05:01Z", "resource_type": "billing_requests", "action": "fulfilled", "links": {"billing_request": "BRQ1"}},
			{"id": "EV012", "created_at": "2026-03-02T10:05:02Z", "resource_type": "payments", "action": "created", "links": {"payment": "PM1"}}]}`
		ev, err := deliver(t, body, signedBy(body, secret), settings)
		if err != nil || ev.ID != "EV011" || ev.Type != sdk.EventSucceeded || ev.PaymentID != "BRQ1" {
			t.Fatalf("%+v %v", ev, err)
		}
	})
	t.Run("batch: nothing that matters", func(t *testing.T) {
		body := `{"events": [
			{"id": "EV020", "created_at": "2026-03-02T10:05:00Z", "resource_type": "billing_requests", "action": "flow_visited", "links": {"billing_request": "BRQ1"}},
			{"id": "EV021", "created_at": "2026-03-02T10:05:01Z", "resource_type": "payouts", "action": "paid", "links": {"payout": "PO1"}}]}`
		ev, err := deliver(t, body, signedBy(body, secret), settings)
		if err != nil || ev.ID != "EV020" || ev.Type != sdk.EventIgnored {
			t.Fatalf("%+v %v", ev, err)
		}
	})
}

func TestParseWebhookSignature(t *testing.T) {
	body := `{"events": [{"id": "EV001", "created_at": "2026-03-02T10:05:00Z", "resource_type": "billing_requests",
		"action": "fulfilled", "links": {"billing_request": "BRQ000123ABCDEF"}}]}`
	settings := map[string]string{"access_token": token, "webhook_secret": secret}
	cases := []struct {
		name     string
		body     string
		headers  map[string][]string
		settings map[string]string
		want     string
	}{
		{"valid", body, signedBy(body, secret), settings, ""},
		{"valid, header in lower case", body, map[string][]string{"webhook-signature": {gocardless.Sign([]byte(body), secret)}}, settings, ""},
		{"forged", body, signedBy(body, "another_secret"), settings, "invalid signature"},
		{"body changed", strings.Replace(body, "BRQ000123ABCDEF", "BRQ999", 1), signedBy(body, secret), settings, "invalid signature"},
		{"not hex", body, map[string][]string{"Webhook-Signature": {"zz-not-hex"}}, settings, "invalid signature"},
		{"missing", body, map[string][]string{}, settings, "missing Webhook-Signature"},
		{"no secret", body, signedBy(body, secret), map[string]string{"access_token": token}, "webhook_secret setting is not set"},
		{"no events", `{"events": []}`, signedBy(`{"events": []}`, secret), settings, "no events"},
		{"not JSON", `hello`, signedBy(`hello`, secret), settings, "not a GoCardless webhook"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := deliver(t, tc.body, tc.headers, tc.settings)
			switch {
			case tc.want == "" && err != nil:
				t.Fatal(err)
			case tc.want == "" && ev.Type != sdk.EventSucceeded:
				t.Fatalf("%+v", ev)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("%+v %v, want error %q", ev, err, tc.want)
			}
		})
	}
}
