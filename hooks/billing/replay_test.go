package billing_test

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kontor-app/kontor/hooks/billing"
	"github.com/kontor-app/kontor/internal/testserver"
)

// replayWorkspaces is how Stripe holds the subscription of each workspace
// of the replay when the events arrive.
var replayWorkspaces = []struct {
	status, price string
	amount        int64
}{
	{"active", fixturePrice, 1900},
	{"active", teamPrice, 4900},
	{"trialing", fixturePrice, 1900},
	{"canceled", fixturePrice, 1900}, // its events end with customer.subscription.deleted
	{"past_due", fixturePrice, 1900},
}

// replayServer is a server with the workspaces of the replay, each with
// its Stripe customer (as its first checkout leaves it).
type replayServer struct {
	*testserver.Server
	workspaces []string
	names      map[string]string // workspace and user ids -> stable names
}

func newReplayServer(t *testing.T, stripe *fakeStripe) replayServer {
	s := replayServer{Server: newServer(t, stripeEnv(stripe.URL)), names: map[string]string{}}
	for i := range replayWorkspaces {
		u := s.SignUp(t, fmt.Sprintf("owner%d@example.com", i))
		ws := s.Workspace(t, u, fmt.Sprintf("Workspace %d", i))
		seedCustomer(t, s.Server, ws, fmt.Sprintf("cus_replay_%d", i))
		s.workspaces = append(s.workspaces, ws)
		s.names[ws], s.names[u.ID] = fmt.Sprintf("W%d", i), fmt.Sprintf("U%d", i)
	}
	return s
}

// replayEvents are 200 events, 40 per workspace, in the order Stripe
// created them: checkout, subscription created and updated (carrying
// states that are stale by the time they arrive), paid invoices (the first
// one a free trial invoice), failed payments, refunds, and events Kontor
// does not handle.
func replayEvents(workspaces []string) []event {
	var out []event
	created := int64(1767225600)
	add := func(id, typ string, object map[string]any, previous map[string]any) {
		created += 60
		out = append(out, event{ID: id, Type: typ, Created: created, Object: object, Previous: previous})
	}
	for i, ws := range workspaces {
		w := replayWorkspaces[i]
		customer, sub := fmt.Sprintf("cus_replay_%d", i), fmt.Sprintf("sub_replay_%d", i)
		stale := []string{"incomplete", "active", "past_due", "active"}
		prices := []string{fixturePrice, teamPrice}

		add(fmt.Sprintf("evt_%d_checkout", i), billing.EventCheckoutCompleted, map[string]any{"id": fmt.Sprintf("cs_%d", i), "object": "checkout.session",
			"mode": "subscription", "client_reference_id": ws, "customer": customer, "subscription": sub}, nil)
		add(fmt.Sprintf("evt_%d_created", i), billing.EventSubscriptionCreated, subscriptionObject(sub, customer, "", "incomplete", w.price), nil)
		for k := 0; k < 20; k++ {
			id, typ := fmt.Sprintf("evt_%d_updated_%02d", i, k), billing.EventSubscriptionUpdated
			object := subscriptionObject(sub, customer, "", stale[k%len(stale)], prices[k%len(prices)])
			if w.status == "canceled" && k == 19 {
				id, typ = fmt.Sprintf("evt_%d_deleted", i), billing.EventSubscriptionDeleted
				object = subscriptionObject(sub, customer, "", "canceled", w.price)
			}
			add(id, typ, object, map[string]any{"status": "incomplete"})
		}
		for k := 0; k < 9; k++ {
			amount := w.amount
			if k == 0 {
				amount = 0 // the trial's invoice
			}
			in := invoiceObject(fmt.Sprintf("in_%d_%d", i, k), customer, sub, amount)
			in["status_transitions"] = map[string]any{"paid_at": created + 30}
			add(fmt.Sprintf("evt_%d_paid_%d", i, k), billing.EventInvoicePaid, in, nil)
		}
		for k := 0; k < 4; k++ {
			in := invoiceObject(fmt.Sprintf("in_%d_f%d", i, k), customer, sub, 0)
			in["amount_due"] = w.amount
			add(fmt.Sprintf("evt_%d_failed_%d", i, k), billing.EventInvoicePaymentFailed, in, nil)
		}
		for k := 0; k < 3; k++ {
			add(fmt.Sprintf("evt_%d_refund_%d", i, k), billing.EventChargeRefunded, map[string]any{"id": fmt.Sprintf("ch_in_%d_1", i), "object": "charge",
				"customer": customer, "amount": w.amount, "amount_refunded": int64(k+1) * 500, "currency": "eur"},
				map[string]any{"amount_refunded": int64(k) * 500})
		}
		add(fmt.Sprintf("evt_%d_customer", i), "customer.updated", map[string]any{"id": customer, "object": "customer"}, nil)
		add(fmt.Sprintf("evt_%d_invoice_created", i), "invoice.created", invoiceObject(fmt.Sprintf("in_%d_next", i), customer, sub, 0), nil)
	}
	return out
}

// state is everything billing wrote, with the ids that differ between
// servers replaced by stable names. A conversion is given by what it says;
// which delivery noticed a plan change, or which invoice came in first,
// is not part of it: under any order the same changes and first payments
// are queued, once each.
func (s replayServer) state(t *testing.T) map[string][]string {
	t.Helper()
	name := func(v string) string {
		for id, n := range s.names {
			v = strings.ReplaceAll(v, id, n)
		}
		return v
	}
	rows := func(query string) []string {
		t.Helper()
		var out []string
		raw := []struct {
			Row string `db:"row"`
		}{}
		if err := s.App.DB().NewQuery(query).All(&raw); err != nil {
			t.Fatal(err)
		}
		for _, r := range raw {
			out = append(out, name(r.Row))
		}
		sort.Strings(out)
		return out
	}
	state := map[string][]string{
		"subscriptions": rows(`SELECT workspace || '|' || stripe_customer_id || '|' || stripe_subscription_id || '|' || plan || '|' || status || '|' || current_period_end AS row FROM subscriptions`),
		"history": rows(`SELECT workspace || '|' || kind || '|' || stripe_ref || '|' || stripe_invoice_id || '|' || stripe_charge_id || '|' || amount || '|' || currency || '|' ||
			period_start || '|' || period_end || '|' || occurred_at || '|' || stripe_event_id AS row FROM billing_history`),
		"events": rows(`SELECT event_id || '|' || type || '|' || workspace || '|' || result || '|' || stripe_created AS row FROM stripe_events`),
	}
	var messages []struct {
		Key     string `db:"idempotency_key"`
		Status  string `db:"status"`
		Payload string `db:"payload"`
		WS      string `db:"workspace"`
	}
	if err := s.App.DB().NewQuery("SELECT idempotency_key, status, payload, workspace FROM outbox WHERE kind = 'conversion'").All(&messages); err != nil {
		t.Fatal(err)
	}
	for _, m := range messages {
		var c billing.Conversion
		if err := json.Unmarshal([]byte(m.Payload), &c); err != nil {
			t.Fatal(err)
		}
		row := strings.Join([]string{c.Event, c.Workspace, m.WS, c.User, c.Plan, c.Value, c.Currency, m.Status}, "|")
		switch c.Event {
		case billing.ConversionRefund:
			row += "|" + m.Key + "|" + c.OccurredAt
		case billing.ConversionRegistration:
			row += "|" + m.Key // signed up before the replay, at different times on the two servers
		}
		state["conversions"] = append(state["conversions"], name(row))
	}
	sort.Strings(state["conversions"])
	return state
}

// A replay of 200 events, each delivered twice and in a shuffled order,
// leaves the same state as one delivery in order.
func TestReplay(t *testing.T) {
	t.Parallel()
	stripe := newFakeStripe(t)
	for i, w := range replayWorkspaces {
		stripe.SetSubscription(fmt.Sprintf("sub_replay_%d", i), subscriptionPatch{Status: w.status, Price: w.price, UnitAmount: w.amount,
			Currency: "eur", Customer: fmt.Sprintf("cus_replay_%d", i), PeriodEnd: 1769904000 + int64(i)*86400})
	}

	ordered := newReplayServer(t, stripe)
	events := replayEvents(ordered.workspaces)
	if len(events) != 200 {
		t.Fatalf("%d events", len(events))
	}
	for _, ev := range events {
		mustDeliver(t, ordered.Server, ev)
	}

	shuffled := newReplayServer(t, stripe)
	events = replayEvents(shuffled.workspaces)
	deliveries := append(append([]event{}, events...), events...)
	seed := time.Now().UnixNano()
	rand.New(rand.NewSource(seed)).Shuffle(len(deliveries), func(i, j int) { deliveries[i], deliveries[j] = deliveries[j], deliveries[i] })
	results := map[string]int{}
	for _, ev := range deliveries {
		r := mustDeliver(t, shuffled.Server, ev)
		results[r.String("result")]++
	}
	if results["duplicate"] != 200 {
		t.Errorf("results %v (seed %d)", results, seed)
	}

	want, got := ordered.state(t), shuffled.state(t)
	for _, part := range []string{"subscriptions", "history", "events", "conversions"} {
		if strings.Join(want[part], "\n") != strings.Join(got[part], "\n") {
			t.Errorf("%s differ (seed %d)\nin order:\n%s\nshuffled, twice:\n%s", part, seed, strings.Join(want[part], "\n"), strings.Join(got[part], "\n"))
		}
	}

	// and the state is the one Stripe holds
	wantSubs := []string{
		"W0|cus_replay_0|sub_replay_0|pro|active|2026-02-01 00:00:00.000Z",
		"W1|cus_replay_1|sub_replay_1|team|active|2026-02-02 00:00:00.000Z",
		"W2|cus_replay_2|sub_replay_2|pro|trialing|2026-02-03 00:00:00.000Z",
		"W3|cus_replay_3|sub_replay_3|free|canceled|2026-02-04 00:00:00.000Z",
		"W4|cus_replay_4|sub_replay_4|pro|past_due|2026-02-05 00:00:00.000Z",
	}
	if strings.Join(want["subscriptions"], "\n") != strings.Join(wantSubs, "\n") {
		t.Errorf("subscriptions:\n%s", strings.Join(want["subscriptions"], "\n"))
	}
	counts := map[string]int{}
	for _, row := range want["history"] {
		counts["history "+strings.Split(row, "|")[1]]++
	}
	for _, row := range want["conversions"] {
		counts["conversion "+strings.Split(row, "|")[0]]++
	}
	if fmt.Sprint(counts) != "map[conversion first_payment:5 conversion plan_change:4 conversion refund:15 conversion registration:5 history payment:45 history payment_failed:20 history refund:15]" {
		t.Errorf("counts %v", counts)
	}
	if len(want["events"]) != 200 {
		t.Errorf("%d events recorded", len(want["events"]))
	}
}
