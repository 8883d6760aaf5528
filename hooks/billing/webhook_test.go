package billing_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/kontor-app/kontor/hooks/billing"
	"github.com/kontor-app/kontor/internal/testserver"
)

// subscriptionObject is a subscription as an event carries it.
func subscriptionObject(id, customer, ws, status, price string) map[string]any {
	return map[string]any{
		"id": id, "object": "subscription", "customer": customer, "status": status, "current_period_end": 1700000000,
		"metadata": map[string]any{"workspace": ws},
		"items": map[string]any{"object": "list", "data": []any{map[string]any{
			"id": "si_1", "object": "subscription_item", "price": map[string]any{"id": price, "object": "price", "unit_amount": 100, "currency": "eur"}}}},
	}
}

// Every handled event type has its effect, once: a second delivery of
// the same event changes nothing. Subscription events store the
// subscription as Stripe holds it, not as the event carries it.
func TestWebhookEvents(t *testing.T) {
	t.Parallel()
	stripe := newFakeStripe(t)
	s := newServer(t, stripeEnv(stripe.URL))
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Nordlicht GmbH")
	customer := "cus_events"
	seedCustomer(t, s, ws, customer)

	stored := func() (plan, status, sub, periodEnd string) {
		t.Helper()
		r, err := s.App.FindFirstRecordByData(billing.Subscriptions, "workspace", ws)
		if err != nil {
			t.Fatal(err)
		}
		return r.GetString("plan"), r.GetString("status"), r.GetString("stripe_subscription_id"), r.GetDateTime("current_period_end").String()
	}
	twice := func(ev event) {
		t.Helper()
		if r := mustDeliver(t, s, ev); r.String("result") != "applied" {
			t.Fatalf("%s: %s", ev.ID, r.Raw)
		}
		if r := mustDeliver(t, s, ev); r.String("result") != "duplicate" {
			t.Fatalf("second delivery of %s: %s", ev.ID, r.Raw)
		}
	}
	planChanges := func() []string {
		var out []string
		for _, c := range conversions(t, s)[billing.ConversionPlanChange] {
			out = append(out, c.Plan+" "+c.Value+" "+c.Currency)
		}
		return out
	}

	// checkout completed: Stripe holds the subscription active on pro
	stripe.SetSubscription("sub_1", subscriptionPatch{Status: "active", Price: fixturePrice, UnitAmount: 1900, Currency: "eur", Customer: customer, PeriodEnd: 1767225600})
	twice(event{ID: "evt_checkout", Type: billing.EventCheckoutCompleted, Created: 100, Object: map[string]any{
		"id": "cs_1", "object": "checkout.session", "mode": "subscription", "client_reference_id": ws, "customer": customer, "subscription": "sub_1"}})
	if plan, status, sub, end := stored(); plan != "pro" || status != "active" || sub != "sub_1" || end != "2026-01-01 00:00:00.000Z" {
		t.Fatalf("after checkout: %s %s %s %s", plan, status, sub, end)
	}
	if got := planChanges(); len(got) != 1 || got[0] != "pro 19.00 EUR" {
		t.Fatalf("plan changes %v", got)
	}

	// created, carrying a stale state: what Stripe holds now wins
	twice(event{ID: "evt_created", Type: billing.EventSubscriptionCreated, Created: 90, Object: subscriptionObject("sub_1", customer, ws, "incomplete", teamPrice)})
	if plan, status, _, _ := stored(); plan != "pro" || status != "active" {
		t.Fatalf("a stale created event: %s %s", plan, status)
	}

	// updated: Stripe now holds it on team
	stripe.SetSubscription("sub_1", subscriptionPatch{Status: "active", Price: teamPrice, UnitAmount: 4900, Currency: "eur", Customer: customer, PeriodEnd: 1767225600})
	twice(event{ID: "evt_updated", Type: billing.EventSubscriptionUpdated, Created: 200, Object: subscriptionObject("sub_1", customer, ws, "active", teamPrice),
		Previous: map[string]any{"items": map[string]any{}}})
	if plan, _, _, _ := stored(); plan != "team" {
		t.Fatalf("after the upgrade: %s", plan)
	}

	// paid twice (two invoices), failed once, refunded once
	twice(event{ID: "evt_paid_1", Type: billing.EventInvoicePaid, Created: 300, Object: invoiceObject("in_1", customer, "sub_1", 4900)})
	twice(event{ID: "evt_paid_2", Type: billing.EventInvoicePaid, Created: 400, Object: invoiceObject("in_2", customer, "sub_1", 4900)})
	failed := invoiceObject("in_3", customer, "sub_1", 0)
	failed["amount_due"] = 4900
	stripe.SetSubscription("sub_1", subscriptionPatch{Status: "past_due", Price: teamPrice, UnitAmount: 4900, Currency: "eur", Customer: customer, PeriodEnd: 1767225600})
	twice(event{ID: "evt_failed", Type: billing.EventInvoicePaymentFailed, Created: 500, Object: failed})
	if plan, status, _, _ := stored(); plan != "team" || status != "past_due" {
		t.Fatalf("past due: %s %s (the plan stays while Stripe retries)", plan, status)
	}
	twice(event{ID: "evt_refund", Type: billing.EventChargeRefunded, Created: 600, Object: map[string]any{
		"id": "ch_in_2", "object": "charge", "customer": customer, "invoice": "in_2", "amount": 4900, "amount_refunded": 3000, "currency": "eur", "refunded": false},
		Previous: map[string]any{"amount_refunded": 1000}})

	var rows []struct {
		Kind     string `db:"kind"`
		Ref      string `db:"stripe_ref"`
		Amount   int    `db:"amount"`
		Currency string `db:"currency"`
		Start    string `db:"period_start"`
	}
	if err := s.App.DB().NewQuery("SELECT kind, stripe_ref, amount, currency, period_start FROM billing_history ORDER BY kind, stripe_ref").All(&rows); err != nil {
		t.Fatal(err)
	}
	want := []string{"payment in_1 4900 EUR", "payment in_2 4900 EUR", "payment_failed evt_failed 4900 EUR", "refund evt_refund 2000 EUR"}
	if len(rows) != len(want) {
		t.Fatalf("history %+v", rows)
	}
	for i, r := range rows {
		if got := strings.Join([]string{r.Kind, r.Ref, itoa(r.Amount), r.Currency}, " "); got != want[i] {
			t.Errorf("history %d: %s, want %s", i, got, want[i])
		}
	}
	if rows[0].Start != "2026-01-01 00:00:00.000Z" {
		t.Errorf("period start %q", rows[0].Start)
	}

	// deleted: ended, whatever Stripe's copy says; a late update cannot revive it
	twice(event{ID: "evt_deleted", Type: billing.EventSubscriptionDeleted, Created: 700, Object: subscriptionObject("sub_1", customer, ws, "canceled", teamPrice)})
	if plan, status, _, _ := stored(); plan != "free" || status != "canceled" {
		t.Fatalf("after deletion: %s %s", plan, status)
	}
	twice(event{ID: "evt_late", Type: billing.EventSubscriptionUpdated, Created: 650, Object: subscriptionObject("sub_1", customer, ws, "active", teamPrice)})
	if plan, status, _, _ := stored(); plan != "free" || status != "canceled" {
		t.Fatalf("a late update revived a canceled subscription: %s %s", plan, status)
	}

	// a new subscription after the cancellation takes over; a late event of the old one does not end it
	stripe.SetSubscription("sub_2", subscriptionPatch{Status: "active", Price: fixturePrice, UnitAmount: 1900, Currency: "eur", Customer: customer, PeriodEnd: 1769904000})
	twice(event{ID: "evt_new", Type: billing.EventSubscriptionCreated, Created: 800, Object: subscriptionObject("sub_2", customer, ws, "active", fixturePrice)})
	stripe.SetSubscription("sub_1", subscriptionPatch{Status: "canceled", Price: teamPrice, UnitAmount: 4900, Currency: "eur", Customer: customer})
	twice(event{ID: "evt_old", Type: billing.EventSubscriptionUpdated, Created: 690, Object: subscriptionObject("sub_1", customer, ws, "canceled", teamPrice)})
	if plan, status, sub, end := stored(); plan != "pro" || status != "active" || sub != "sub_2" || end != "2026-02-01 00:00:00.000Z" {
		t.Fatalf("after a new subscription: %s %s %s %s", plan, status, sub, end)
	}

	// conversions: one registration per user, one first payment, one per plan change, one per refund
	c := conversions(t, s)
	if got := planChanges(); strings.Join(got, ", ") != "pro 19.00 EUR, team 49.00 EUR, free 0 , pro 19.00 EUR" {
		t.Errorf("plan changes %v", got)
	}
	if fp := c[billing.ConversionFirstPayment]; len(fp) != 1 || fp[0].Value != "49.00" || fp[0].Currency != "EUR" || fp[0].User != owner.ID ||
		fp[0].Workspace != ws || fp[0].OccurredAt != "2026-01-01T00:01:40Z" {
		t.Errorf("first payments %+v", fp)
	}
	if rf := c[billing.ConversionRefund]; len(rf) != 1 || rf[0].Value != "20.00" || rf[0].User != owner.ID || rf[0].OccurredAt != time.Unix(600, 0).UTC().Format(time.RFC3339) {
		t.Errorf("refunds %+v", rf)
	}
	if rg := c[billing.ConversionRegistration]; len(rg) != 1 || rg[0].User != owner.ID || rg[0].Workspace != "" {
		t.Errorf("registrations %+v", rg)
	}
	if n := count(t, s, "outbox", "kind = 'conversion'", nil); n != 7 {
		t.Errorf("%d conversion messages, want 7", n)
	}

	// an event of no workspace of this server, and one of a type not handled, are recorded and ignored
	if r := mustDeliver(t, s, event{ID: "evt_foreign", Type: billing.EventInvoicePaid, Created: 900, Object: invoiceObject("in_x", "cus_unknown", "", 100)}); !strings.Contains(r.String("result"), "no workspace") {
		t.Errorf("foreign event: %s", r.Raw)
	}
	if r := mustDeliver(t, s, event{ID: "evt_other", Type: "customer.updated", Created: 900, Object: map[string]any{"id": customer, "object": "customer"}}); !strings.Contains(r.String("result"), "not an event") {
		t.Errorf("unhandled event: %s", r.Raw)
	}
	if n := count(t, s, billing.History, "stripe_ref = 'in_x'", nil); n != 0 {
		t.Error("a foreign invoice was recorded")
	}
	if n := count(t, s, billing.Events, "", nil); n != 13 {
		t.Errorf("%d events recorded, want 13", n)
	}
}

// A payload whose signature does not verify is a 400 that writes nothing.
func TestBadSignature(t *testing.T) {
	t.Parallel()
	stripe := newFakeStripe(t)
	s := newServer(t, stripeEnv(stripe.URL))
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Nordlicht GmbH")
	stripe.SetSubscription("sub_1", subscriptionPatch{Status: "active", Price: fixturePrice, UnitAmount: 1900, Currency: "eur"})
	ev := event{ID: "evt_forged", Type: billing.EventCheckoutCompleted, Created: 100, Object: map[string]any{
		"id": "cs_1", "object": "checkout.session", "mode": "subscription", "client_reference_id": ws, "customer": "cus_1", "subscription": "sub_1"}}
	payload := ev.payload()
	good := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: webhookSecret}).Header
	old := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: webhookSecret, Timestamp: time.Now().Add(-time.Hour)}).Header

	snapshot := func() string {
		return itoa(count(t, s, billing.Events, "", nil)) + itoa(count(t, s, billing.Subscriptions, "", nil)) +
			itoa(count(t, s, billing.History, "", nil)) + itoa(count(t, s, "outbox", "kind = 'conversion'", nil))
	}
	before := snapshot()
	for name, tc := range map[string]struct {
		body      []byte
		signature string
	}{
		"no signature":   {payload, ""},
		"other secret":   {payload, deliverHeader(payload, "whsec_someone_else")},
		"tampered body":  {[]byte(strings.Replace(string(payload), ws, "otherworkspace1", 1)), good},
		"too old":        {payload, old},
		"garbage header": {payload, "t=abc,v1=zz"},
	} {
		r := post(t, s, tc.body, tc.signature)
		if r.Status != http.StatusBadRequest || !strings.Contains(r.String("message"), "KONTOR_STRIPE_WEBHOOK_SECRET") {
			t.Errorf("%s: %d %s", name, r.Status, r.Raw)
		}
	}
	if after := snapshot(); after != before {
		t.Fatalf("refused webhooks wrote something: %s -> %s", before, after)
	}
	if n := len(stripe.Requests(http.MethodGet, "/v1/")); n != 0 {
		t.Errorf("refused webhooks called Stripe %d times", n)
	}
	if r := post(t, s, payload, good); r.Status != http.StatusOK || count(t, s, billing.Subscriptions, "stripe_subscription_id = 'sub_1'", nil) != 1 {
		t.Fatalf("the genuine delivery: %d %s", r.Status, r.Raw)
	}
}

func deliverHeader(payload []byte, secret string) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret}).Header
}

// Stripe unreachable: the webhook is a 500 and records nothing, so that
// Stripe delivers it again and it then takes effect.
func TestWebhookRetriedWhenStripeIsDown(t *testing.T) {
	t.Parallel()
	stripe := newFakeStripe(t)
	env := stripeEnv("http://127.0.0.1:1")
	s := newServer(t, env)
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Nordlicht GmbH")
	_ = stripe
	ev := event{ID: "evt_down", Type: billing.EventCheckoutCompleted, Created: 100, Object: map[string]any{
		"id": "cs_1", "object": "checkout.session", "mode": "subscription", "client_reference_id": ws, "customer": "cus_1", "subscription": "sub_1"}}
	if r := deliver(t, s, ev, webhookSecret); r.Status != http.StatusInternalServerError {
		t.Fatalf("Stripe down: %d %s", r.Status, r.Raw)
	}
	if n := count(t, s, billing.Events, "", nil) + count(t, s, billing.Subscriptions, "", nil); n != 0 {
		t.Fatalf("%d rows written by a failed event", n)
	}
}

// With billing off the server runs without limits and every billing route
// says why.
func TestBillingOff(t *testing.T) {
	t.Parallel()
	s := newServer(t, map[string]string{"KONTOR_VIES_URL": "off", "KONTOR_PUBLIC_URL": publicURL})
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Nordlicht GmbH")
	base := "/api/kontor/billing/" + ws

	r := s.Must(t, owner.Token, http.MethodGet, base, nil)
	if r.String("enabled") != "false" || r.String("plan") != "team" || !strings.Contains(r.String("message"), "Billing is off: KONTOR_STRIPE_SECRET_KEY is not set") ||
		r.String("plans.1.available") != "false" || r.String("limits.invoices_per_month") != "" {
		t.Fatalf("status: %s", r.Raw)
	}
	for _, path := range []string{base + "/checkout", base + "/portal"} {
		r := s.Do(t, owner.Token, http.MethodPost, path, map[string]any{"plan": "pro"})
		if r.Status != http.StatusServiceUnavailable || !strings.Contains(r.String("message"), "Billing is off: KONTOR_STRIPE_SECRET_KEY is not set") {
			t.Errorf("%s: %d %s", path, r.Status, r.Raw)
		}
	}
	if r := deliver(t, s, event{ID: "evt_1", Type: billing.EventInvoicePaid, Object: map[string]any{}}, webhookSecret); r.Status != http.StatusServiceUnavailable {
		t.Errorf("webhook: %d %s", r.Status, r.Raw)
	}

	// no limits: more invoices than free allows, more members, every format
	client := s.Client(t, owner, ws, nil)
	for i := 0; i < 12; i++ {
		s.Must(t, owner.Token, http.MethodPost, "/api/kontor/invoices/"+s.Draft(t, owner, ws, client, testserver.Line("Work", "1", "10"))+"/issue", nil)
	}
	for _, email := range []string{"a@example.com", "b@example.com", "c@example.com", "d@example.com"} {
		u := s.SignUp(t, email)
		s.Create(t, owner, "memberships", map[string]any{"workspace": ws, "user": u.ID, "role": "member"})
	}
	cfg, _ := billing.ConfigFromEnv(func(string) string { return "" })
	if err := billing.New(cfg).AllowsFormat(s.App, ws, "xrechnung-ubl"); err != nil {
		t.Errorf("format refused with billing off: %v", err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// Deliveries of one event at the same time apply it once.
func TestConcurrentDeliveries(t *testing.T) {
	t.Parallel()
	stripe := newFakeStripe(t)
	s := newServer(t, stripeEnv(stripe.URL))
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Nordlicht GmbH")
	seedCustomer(t, s, ws, "cus_c")
	stripe.SetSubscription("sub_c", subscriptionPatch{Status: "active", Price: fixturePrice, UnitAmount: 1900, Currency: "eur", Customer: "cus_c"})
	ev := event{ID: "evt_c", Type: billing.EventInvoicePaid, Created: 100, Object: invoiceObject("in_c", "cus_c", "sub_c", 1900)}

	results := make(chan string, 10)
	for i := 0; i < 10; i++ {
		go func() { results <- deliver(t, s, ev, webhookSecret).String("result") }()
	}
	got := map[string]int{}
	for i := 0; i < 10; i++ {
		got[<-results]++
	}
	if got["applied"] != 1 || got["duplicate"] != 9 {
		t.Fatalf("results %v", got)
	}
	if n := count(t, s, billing.History, "", nil) + count(t, s, billing.Events, "", nil); n != 2 {
		t.Fatalf("%d rows", n)
	}
	if c := conversions(t, s); len(c[billing.ConversionFirstPayment]) != 1 || len(c[billing.ConversionPlanChange]) != 1 {
		t.Fatalf("conversions %v", c)
	}
}
