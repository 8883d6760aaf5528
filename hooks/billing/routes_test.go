package billing_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"

	"github.com/kontor-app/kontor/hooks/billing"
	"github.com/kontor-app/kontor/internal/testserver"
)

// Checkout opens a subscription Checkout Session for the plan's price with
// the workspace's customer (created once, with the workspace in its
// metadata, then reused); the portal opens for that customer.
func TestCheckoutAndPortal(t *testing.T) {
	t.Parallel()
	stripe := newFakeStripe(t)
	s := newServer(t, stripeEnv(stripe.URL))
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Nordlicht GmbH")
	base := "/api/kontor/billing/" + ws

	if r := s.Do(t, owner.Token, http.MethodPost, base+"/portal", nil); r.Status != http.StatusBadRequest || !strings.Contains(r.String("message"), "no Stripe customer") {
		t.Fatalf("portal before checkout: %d %s", r.Status, r.Raw)
	}
	for _, tc := range []struct {
		plan, field string
	}{{"", "Choose the plan"}, {"enterprise", "no plan"}, {"free", "not bought"}} {
		r := s.Do(t, owner.Token, http.MethodPost, base+"/checkout", map[string]any{"plan": tc.plan})
		if r.Status != http.StatusBadRequest || !strings.Contains(r.String("data.plan.message"), tc.field) {
			t.Errorf("checkout %q: %d %s", tc.plan, r.Status, r.Raw)
		}
	}
	if n := len(stripe.Requests(http.MethodPost, "/v1/")); n != 0 {
		t.Fatalf("refused checkouts called Stripe %d times", n)
	}

	for i, plan := range []string{"pro", "team"} {
		r := s.Must(t, owner.Token, http.MethodPost, base+"/checkout", map[string]any{"plan": plan})
		if !strings.HasPrefix(r.String("url"), "https://checkout.stripe.com/") {
			t.Fatalf("checkout url %q", r.String("url"))
		}
		sessions := stripe.Requests(http.MethodPost, "/v1/checkout/sessions")
		if len(sessions) != i+1 {
			t.Fatalf("%d checkout sessions", len(sessions))
		}
		f := sessions[i].Form
		price := map[string]string{"pro": fixturePrice, "team": teamPrice}[plan]
		want := map[string]string{
			"mode": "subscription", "client_reference_id": ws, "line_items[0][price]": price, "line_items[0][quantity]": "1",
			"success_url": publicURL + "/#/billing?checkout=success", "cancel_url": publicURL + "/#/billing?checkout=cancelled",
			"subscription_data[metadata][workspace]": ws, "metadata[workspace]": ws,
		}
		for k, v := range want {
			if f.Get(k) != v {
				t.Errorf("checkout %s: %s = %q, want %q", plan, k, f.Get(k), v)
			}
		}
		if f.Get("customer") == "" {
			t.Error("checkout without customer")
		}
	}
	customers := stripe.Requests(http.MethodPost, "/v1/customers")
	if len(customers) != 1 || customers[0].Form.Get("metadata[workspace]") != ws || customers[0].Idempotency != "kontor-customer-"+ws ||
		customers[0].Form.Get("name") != "Nordlicht GmbH" {
		t.Fatalf("customers created: %+v", customers)
	}
	sub, err := s.App.FindFirstRecordByData(billing.Subscriptions, "workspace", ws)
	if err != nil {
		t.Fatal(err)
	}
	customer := sub.GetString("stripe_customer_id")
	if customer == "" || stripe.Requests(http.MethodPost, "/v1/checkout/sessions")[1].Form.Get("customer") != customer {
		t.Fatalf("customer %q not reused", customer)
	}
	if sub.GetString("plan") != billing.Free || sub.GetString("status") != "" {
		t.Errorf("a checkout alone changed the plan: %s %s", sub.GetString("plan"), sub.GetString("status"))
	}

	r := s.Must(t, owner.Token, http.MethodPost, base+"/portal", nil)
	portal := stripe.Requests(http.MethodPost, "/v1/billing_portal/sessions")
	if r.String("url") == "" || len(portal) != 1 || portal[0].Form.Get("customer") != customer || portal[0].Form.Get("return_url") != publicURL+"/#/billing" {
		t.Fatalf("portal: %s, %+v", r.Raw, portal)
	}

	// once subscribed, the plan changes in the portal, not in a new checkout
	stripe.SetSubscription("sub_live", subscriptionPatch{Status: "active", Price: fixturePrice, UnitAmount: 1900, Currency: "eur", Customer: customer})
	mustDeliver(t, s, event{ID: "evt_done", Type: billing.EventCheckoutCompleted, Created: 1, Object: map[string]any{
		"id": "cs_1", "object": "checkout.session", "mode": "subscription", "client_reference_id": ws, "customer": customer, "subscription": "sub_live"}})
	if r := s.Do(t, owner.Token, http.MethodPost, base+"/checkout", map[string]any{"plan": "team"}); r.Status != http.StatusConflict || !strings.Contains(r.String("message"), "customer portal") {
		t.Fatalf("checkout while subscribed: %d %s", r.Status, r.Raw)
	}
}

// GET /api/kontor/billing/{workspace} gives any member the plan, limits,
// usage and plans; the history only to owners and admins.
func TestStatus(t *testing.T) {
	t.Parallel()
	stripe := newFakeStripe(t)
	s := newServer(t, stripeEnv(stripe.URL))
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Nordlicht GmbH")
	client := s.Client(t, owner, ws, nil)
	s.Must(t, owner.Token, http.MethodPost, "/api/kontor/invoices/"+s.Draft(t, owner, ws, client, testserver.Line("Work", "1", "100"))+"/issue", nil)

	r := s.Must(t, owner.Token, http.MethodGet, "/api/kontor/billing/"+ws, nil)
	for path, want := range map[string]string{
		"enabled": "true", "plan": "free", "status": "", "limits.invoices_per_month": "10", "limits.members": "1",
		"limits.einvoice_formats": "[]", "usage.invoices_this_month": "1", "usage.members": "1",
		"plans.0.id": "free", "plans.0.available": "false", "plans.1.id": "pro", "plans.1.available": "true",
		"plans.1.limits.invoices_per_month": "", "plans.2.limits.members": "", "plans.2.available": "true",
		"history": "[]", "upgrade_url": publicURL + "/#/billing", "message": "",
	} {
		if got := r.String(path); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}

	customer := "cus_status"
	seedCustomer(t, s, ws, customer)
	stripe.SetSubscription("sub_status", subscriptionPatch{Status: "active", Price: teamPrice, UnitAmount: 4900, Currency: "eur", Customer: customer, PeriodEnd: 1893456000})
	mustDeliver(t, s, event{ID: "evt_s1", Type: billing.EventInvoicePaid, Created: 10, Object: invoiceObject("in_s1", customer, "sub_status", 4900)})
	viewer := s.SignUp(t, "viewer@example.com")
	s.Create(t, owner, "memberships", map[string]any{"workspace": ws, "user": viewer.ID, "role": "viewer"})

	r = s.Must(t, owner.Token, http.MethodGet, "/api/kontor/billing/"+ws, nil)
	for path, want := range map[string]string{
		"plan": "team", "status": "active", "current_period_end": "2030-01-01 00:00:00.000Z", "customer": "true",
		"limits.members": "", "usage.members": "2", "history.0.kind": "payment", "history.0.amount": "49.00",
		"history.0.currency": "EUR", "history.0.stripe_invoice_id": "in_s1",
	} {
		if got := r.String(path); got != want {
			t.Errorf("after subscribing: %s = %q, want %q", path, got, want)
		}
	}
	if r := s.Must(t, viewer.Token, http.MethodGet, "/api/kontor/billing/"+ws, nil); r.String("plan") != "team" || r.String("history") != "[]" {
		t.Errorf("viewer: %s", r.Raw)
	}
}

// A member of another workspace gets 404 on every billing route, a guest
// 401, a member below admin 403 on checkout and portal; the collections
// confine each to its workspace too.
func TestIsolation(t *testing.T) {
	t.Parallel()
	stripe := newFakeStripe(t)
	s := newServer(t, stripeEnv(stripe.URL))
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Nordlicht GmbH")
	seedCustomer(t, s, ws, "cus_iso")
	stripe.SetSubscription("sub_iso", subscriptionPatch{Status: "active", Price: fixturePrice, UnitAmount: 1900, Currency: "eur", Customer: "cus_iso"})
	mustDeliver(t, s, event{ID: "evt_iso", Type: billing.EventInvoicePaid, Created: 10, Object: invoiceObject("in_iso", "cus_iso", "sub_iso", 1900)})
	member := s.SignUp(t, "member@example.com")
	s.Create(t, owner, "memberships", map[string]any{"workspace": ws, "user": member.ID, "role": "member"})
	outsider := s.SignUp(t, "outsider@example.com")
	s.Workspace(t, outsider, "Other Ltd")

	base := "/api/kontor/billing/" + ws
	routes := []struct{ method, path string }{
		{http.MethodGet, base}, {http.MethodPost, base + "/checkout"}, {http.MethodPost, base + "/portal"},
		{http.MethodGet, "/api/kontor/billing/doesnotexist123"},
	}
	for _, rt := range routes {
		if r := s.Do(t, outsider.Token, rt.method, rt.path, map[string]any{"plan": "pro"}); r.Status != http.StatusNotFound {
			t.Errorf("outsider %s %s: %d %s", rt.method, rt.path, r.Status, r.Raw)
		}
		if r := s.Do(t, "", rt.method, rt.path, map[string]any{"plan": "pro"}); r.Status != http.StatusUnauthorized {
			t.Errorf("guest %s %s: %d", rt.method, rt.path, r.Status)
		}
	}
	for _, rt := range routes[1:3] {
		if r := s.Do(t, member.Token, rt.method, rt.path, map[string]any{"plan": "pro"}); r.Status != http.StatusForbidden {
			t.Errorf("member %s %s: %d %s", rt.method, rt.path, r.Status, r.Raw)
		}
	}
	for collection, wants := range map[string]map[string]string{
		billing.Subscriptions: {"owner": "1", "member": "1", "outsider": "0"},
		billing.History:       {"owner": "1", "member": "0", "outsider": "0"},
		billing.Events:        {"owner": "", "member": "", "outsider": ""},
	} {
		for who, token := range map[string]string{"owner": owner.Token, "member": member.Token, "outsider": outsider.Token} {
			r := s.Do(t, token, http.MethodGet, "/api/collections/"+collection+"/records", nil)
			if got := r.String("totalItems"); got != wants[who] {
				t.Errorf("%s lists %s: %d, %q items, want %q", who, collection, r.Status, got, wants[who])
			}
		}
		if r := s.Do(t, owner.Token, http.MethodPost, "/api/collections/"+collection+"/records", map[string]any{"workspace": ws}); r.Status != http.StatusForbidden {
			t.Errorf("owner creates %s: %d", collection, r.Status)
		}
	}
	if n := count(t, s, billing.Subscriptions, "workspace = {:w}", dbx.Params{"w": ws}); n != 1 {
		t.Errorf("%d subscriptions", n)
	}
}

// invoiceObject is a paid subscription invoice of Stripe.
func invoiceObject(id, customer, subscription string, amount int64) map[string]any {
	return map[string]any{
		"id": id, "object": "invoice", "customer": customer, "subscription": subscription, "amount_paid": amount,
		"amount_due": amount, "currency": "eur", "charge": "ch_" + id, "period_start": 1700000000, "period_end": 1700000000,
		"lines":              map[string]any{"object": "list", "data": []any{map[string]any{"period": map[string]any{"start": 1767225600, "end": 1769904000}}}},
		"status_transitions": map[string]any{"paid_at": 1767225700},
	}
}
