package payments_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/kontor-app/kontor/internal/stripemock"
)

func TestAccountSettingsAreSealed(t *testing.T) {
	w := newWorld(t)
	r := w.account(t, "stripe", map[string]string{"secret_key": "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "webhook_secret": "whsec_abc123456789"})
	raw := string(r.Raw)
	if strings.Contains(raw, "sk_test_4eC39HqLyjWDarjtT1zdp7dc") || strings.Contains(raw, "whsec_abc123456789") {
		t.Fatalf("the answer shows a secret: %s", raw)
	}
	if r.String("settings_hint.secret_key") != "sk_test_…p7dc" || r.String("webhook_url") != "https://kontor.example/api/kontor/webhooks/payments/stripe/"+w.ws {
		t.Fatalf("hint and webhook URL: %s", raw)
	}
	stored := w.record(t, "payment_accounts", r.String("id")).GetString("sealed_settings")
	if stored == "" || strings.Contains(stored, "sk_test") {
		t.Fatalf("stored settings: %q", stored)
	}
	// an update merges, an empty value removes
	u := w.s.Must(t, w.owner.Token, http.MethodPatch, "/api/collections/payment_accounts/records/"+r.String("id"),
		map[string]any{"settings": map[string]string{"webhook_secret": "", "api_base": "http://127.0.0.1:1"}})
	if u.String("settings_hint.webhook_secret") != "" || u.String("settings_hint.secret_key") == "" || u.String("settings_hint.api_base") == "" {
		t.Fatalf("after the update: %s", u.Raw)
	}

	for name, body := range map[string]map[string]any{
		"unknown provider": {"workspace": w.ws, "provider": "paypal", "settings": map[string]string{"k": "v"}},
		"settings a list":  {"workspace": w.ws, "provider": "gocardless", "settings": []string{"x"}},
		"bad setting name": {"workspace": w.ws, "provider": "gocardless", "settings": map[string]string{"Secret Key": "x"}},
	} {
		before := w.count(t, "payment_accounts")
		if r := w.s.Do(t, w.owner.Token, http.MethodPost, "/api/collections/payment_accounts/records", body); r.Status != http.StatusBadRequest || w.count(t, "payment_accounts") != before {
			t.Errorf("%s: %d %s", name, r.Status, r.Raw)
		}
	}
}

func TestPublicPageAndPay(t *testing.T) {
	w := newWorld(t)
	mock := stripemock.Start(t)
	w.account(t, "stripe", map[string]string{"secret_key": "sk_test_123", "webhook_secret": "whsec_test", "api_base": mock})
	tok := w.token(t, w.invoice)
	number := w.record(t, "invoices", w.invoice).GetString("number")

	res, err := http.Get(w.s.URL + "/i/" + tok)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	page := string(body)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, number) || !strings.Contains(page, `action="/i/`+tok+`/pay/stripe"`) || !strings.Contains(page, "<svg") {
		t.Fatalf("page: %d %.600s", res.StatusCode, page)
	}
	if res, _ := http.Get(w.s.URL + "/i/" + strings.Repeat("A", 43)); res.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown link: %d", res.StatusCode)
	}

	pay, err := noRedirect.Post(w.s.URL+"/i/"+tok+"/pay/stripe", "application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatal(err)
	}
	pay.Body.Close()
	if pay.StatusCode != http.StatusSeeOther || !strings.HasPrefix(pay.Header.Get("Location"), "https://") {
		t.Fatalf("pay: %d to %q", pay.StatusCode, pay.Header.Get("Location"))
	}
	links, err := w.s.App.FindAllRecords("payment_links")
	if err != nil || len(links) != 1 || links[0].GetString("amount") != "1190.00" || links[0].GetString("status") != "open" {
		t.Fatalf("payment links: %v %v", links, err)
	}
	// a provider the workspace did not set up is not offered
	if res, _ := noRedirect.Post(w.s.URL+"/i/"+tok+"/pay/gocardless", "", nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("pay through gocardless: %d", res.StatusCode)
	}
}

// stripeEvent is a signed checkout.session.completed of a session.
func stripeEvent(t *testing.T, id, session string, cents int64) ([]byte, string) {
	t.Helper()
	payload, _ := json.Marshal(map[string]any{
		"id": id, "object": "event", "type": "checkout.session.completed", "api_version": "2023-10-16", "created": time.Now().Unix(),
		"data": map[string]any{"object": map[string]any{"id": session, "object": "checkout.session", "amount_total": cents,
			"currency": "eur", "payment_status": "paid", "payment_intent": "pi_" + session}},
	})
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: "whsec_test", Timestamp: time.Now()})
	return signed.Payload, signed.Header
}

func TestWebhooksReconcilePartialAndFullPayment(t *testing.T) {
	w := newWorld(t)
	w.account(t, "stripe", map[string]string{"secret_key": "sk_test_123", "webhook_secret": "whsec_test"})
	w.link(t, w.invoice, "stripe", "cs_test_partial", "1190.00")
	w.link(t, w.invoice, "stripe", "cs_test_rest", "690.00")

	body, sig := stripeEvent(t, "evt_1", "cs_test_partial", 50000)
	if status, out := w.deliver(t, "stripe", body, map[string]string{"Stripe-Signature": sig}); status != http.StatusOK || !strings.Contains(out, `"recorded"`) {
		t.Fatalf("partial: %d %s", status, out)
	}
	// the same event again does nothing more
	if status, out := w.deliver(t, "stripe", body, map[string]string{"Stripe-Signature": sig}); status != http.StatusOK || !strings.Contains(out, "duplicate") {
		t.Fatalf("repeat: %d %s", status, out)
	}
	inv := w.record(t, "invoices", w.invoice)
	if inv.GetString("status") != "partially_paid" || !strings.Contains(inv.GetString("totals"), `"due":"690.00"`) {
		t.Fatalf("after the partial payment: %s %s", inv.GetString("status"), inv.GetString("totals"))
	}

	body, sig = stripeEvent(t, "evt_2", "cs_test_rest", 69000)
	if status, out := w.deliver(t, "stripe", body, map[string]string{"Stripe-Signature": sig}); status != http.StatusOK {
		t.Fatalf("rest: %d %s", status, out)
	}
	inv = w.record(t, "invoices", w.invoice)
	if inv.GetString("status") != "paid" || w.count(t, "payments") != 2 {
		t.Fatalf("after the full payment: %s, %d payments", inv.GetString("status"), w.count(t, "payments"))
	}
	// each payment queued its email
	var emails int
	_ = w.s.App.DB().NewQuery("SELECT COUNT(*) FROM outbox WHERE idempotency_key LIKE 'payment_received:%'").Row(&emails)
	if emails != 2 {
		t.Fatalf("%d payment-received emails, want 2", emails)
	}

	// a bad signature writes nothing
	events := w.count(t, "payment_events")
	body, _ = stripeEvent(t, "evt_3", "cs_test_rest", 100)
	if status, _ := w.deliver(t, "stripe", body, map[string]string{"Stripe-Signature": "t=1,v1=forged"}); status != http.StatusBadRequest || w.count(t, "payment_events") != events {
		t.Fatalf("forged stripe event: %d", status)
	}
}

func TestGoCardlessWebhookSignature(t *testing.T) {
	w := newWorld(t)
	w.account(t, "gocardless", map[string]string{"access_token": "sandbox_token", "webhook_secret": "gc_secret"})
	w.link(t, w.invoice, "gocardless", "BRQ000123", "1190.00")
	body := []byte(`{"events":[{"id":"EV000123","created_at":"2026-11-23T10:00:00.000Z","resource_type":"billing_requests","action":"fulfilled","links":{"billing_request":"BRQ000123"}}]}`)

	for name, sig := range map[string]string{"forged": gocardlessSignature("not the secret", body), "missing": ""} {
		before := w.count(t, "payment_events")
		headers := map[string]string{}
		if sig != "" {
			headers["Webhook-Signature"] = sig
		}
		if status, out := w.deliver(t, "gocardless", body, headers); status != http.StatusBadRequest || w.count(t, "payment_events") != before || w.count(t, "payments") != 0 {
			t.Fatalf("%s signature: %d %s", name, status, out)
		}
	}
	status, out := w.deliver(t, "gocardless", body, map[string]string{"Webhook-Signature": gocardlessSignature("gc_secret", body)})
	if status != http.StatusOK || w.record(t, "invoices", w.invoice).GetString("status") != "paid" {
		t.Fatalf("signed: %d %s; invoice %s", status, out, w.record(t, "invoices", w.invoice).GetString("status"))
	}
}
