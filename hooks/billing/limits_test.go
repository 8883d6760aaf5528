package billing_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/kontor-app/kontor/hooks/billing"
	"github.com/kontor-app/kontor/internal/testserver"
)

// On the free plan the 11th invoice of a month is a 402 that names the
// limit and the plan and links to the upgrade; it leaves the draft a draft
// and consumes no number. Credit notes are not counted. Last month's
// invoices do not count, and an upgrade lifts the limit.
func TestInvoicesPerMonth(t *testing.T) {
	t.Parallel()
	stripe := newFakeStripe(t)
	s := newServer(t, stripeEnv(stripe.URL))
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Nordlicht GmbH")
	client := s.Client(t, owner, ws, nil)
	draft := func() string { return s.Draft(t, owner, ws, client, testserver.Line("Work", "1", "100")) }

	var first string
	for i := 0; i < 10; i++ {
		r := s.Must(t, owner.Token, http.MethodPost, "/api/kontor/invoices/"+draft()+"/issue", nil)
		if i == 0 {
			first = r.String("id")
		}
	}
	eleventh := draft()
	r := s.Issue(t, owner, eleventh)
	if r.Status != http.StatusPaymentRequired || !strings.Contains(r.String("message"), "free plan allows 10 invoices per month") ||
		r.String("data.limit") != billing.LimitInvoices || r.String("data.plan") != "free" || r.String("data.upgrade_url") != publicURL+"/#/billing" {
		t.Fatalf("11th invoice: %d %s", r.Status, r.Raw)
	}
	if inv, _ := s.App.FindRecordById("invoices", eleventh); inv.GetString("status") != "draft" || inv.GetString("number") != "" {
		t.Fatalf("the refused invoice is %s %q", inv.GetString("status"), inv.GetString("number"))
	}

	// a credit note corrects whatever the plan
	note := s.Create(t, owner, "invoices", map[string]any{"workspace": ws, "client": client, "document_type": "credit_note",
		"credited_invoice": first, "lines": []any{testserver.Line("Work", "1", "100")}}).String("id")
	s.Must(t, owner.Token, http.MethodPost, "/api/kontor/invoices/"+note+"/issue", nil)
	if r := s.Must(t, owner.Token, http.MethodGet, "/api/kontor/billing/"+ws, nil); r.String("usage.invoices_this_month") != "10" {
		t.Errorf("usage %s", r.String("usage.invoices_this_month"))
	}

	// the month's invoices issued last month: the 11th goes through, with the next number
	lastMonth := types.NowDateTime().AddDate(0, -1, 0)
	if _, err := s.App.DB().NewQuery("UPDATE invoices SET issued_at = {:t} WHERE workspace = {:w} AND status != 'draft'").
		Bind(dbx.Params{"t": lastMonth.String(), "w": ws}).Execute(); err != nil {
		t.Fatal(err)
	}
	r = s.Must(t, owner.Token, http.MethodPost, "/api/kontor/invoices/"+eleventh+"/issue", nil)
	if !strings.HasSuffix(r.String("number"), "-0011") {
		t.Fatalf("number %q: the refused issue consumed a number", r.String("number"))
	}
	for i := 0; i < 9; i++ {
		s.Must(t, owner.Token, http.MethodPost, "/api/kontor/invoices/"+draft()+"/issue", nil)
	}
	if r := s.Issue(t, owner, draft()); r.Status != http.StatusPaymentRequired {
		t.Fatalf("11th of the new month: %d", r.Status)
	}

	// on pro there is no monthly limit
	subscribe(t, s, stripe, ws, fixturePrice)
	for i := 0; i < 2; i++ {
		s.Must(t, owner.Token, http.MethodPost, "/api/kontor/invoices/"+draft()+"/issue", nil)
	}
}

// subscribe makes Stripe report an active subscription of the workspace
// on the price.
func subscribe(t *testing.T, s *testserver.Server, stripe *fakeStripe, ws, price string) {
	t.Helper()
	customer, sub := "cus_"+ws, "sub_"+ws
	stripe.SetSubscription(sub, subscriptionPatch{Status: "active", Price: price, UnitAmount: 1900, Currency: "eur", Customer: customer})
	mustDeliver(t, s, event{ID: "evt_subscribe_" + ws + price, Type: billing.EventCheckoutCompleted, Created: time.Now().Unix(), Object: map[string]any{
		"id": "cs_" + ws, "object": "checkout.session", "mode": "subscription", "client_reference_id": ws, "customer": customer, "subscription": sub}})
}

// On the free plan a workspace has its owner only: a second member is a
// 402; the owner's own membership at creation always passes. Pro allows 3.
func TestMembers(t *testing.T) {
	t.Parallel()
	stripe := newFakeStripe(t)
	s := newServer(t, stripeEnv(stripe.URL))
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Nordlicht GmbH")
	users := []testserver.User{}
	for _, email := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		users = append(users, s.SignUp(t, email))
	}
	add := func(u testserver.User) testserver.Response {
		return s.Do(t, owner.Token, http.MethodPost, "/api/collections/memberships/records", map[string]any{"workspace": ws, "user": u.ID, "role": "member"})
	}

	r := add(users[0])
	if r.Status != http.StatusPaymentRequired || !strings.Contains(r.String("message"), "free plan allows 1 member per workspace") ||
		r.String("data.limit") != billing.LimitMembers || r.String("data.upgrade_url") != publicURL+"/#/billing" {
		t.Fatalf("second member on free: %d %s", r.Status, r.Raw)
	}
	if n := count(t, s, "memberships", "workspace = {:w}", dbx.Params{"w": ws}); n != 1 {
		t.Fatalf("%d memberships", n)
	}
	// every user still creates workspaces of their own
	s.Workspace(t, users[0], "Second GmbH")

	subscribe(t, s, stripe, ws, fixturePrice)
	if r := add(users[0]); r.Status != http.StatusOK {
		t.Fatalf("second member on pro: %d %s", r.Status, r.Raw)
	}
	if r := add(users[1]); r.Status != http.StatusOK {
		t.Fatalf("third member on pro: %d %s", r.Status, r.Raw)
	}
	if r := add(users[2]); r.Status != http.StatusPaymentRequired || !strings.Contains(r.String("message"), "pro plan allows 3 members") {
		t.Fatalf("fourth member on pro: %d %s", r.Status, r.Raw)
	}
}

// AllowsFormat refuses an e-invoice format the plan does not include with
// a 402 naming it, and allows it once the plan does; the e-invoice route
// asks it.
func TestFormats(t *testing.T) {
	t.Parallel()
	stripe := newFakeStripe(t)
	env := stripeEnv(stripe.URL)
	env["KONTOR_PLAN_FREE_EINVOICE_FORMATS"] = "peppol-bis-3"
	s := newServer(t, env)
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Nordlicht GmbH")
	cfg, err := billing.ConfigFromEnv(func(name string) string { return env[name] })
	if err != nil {
		t.Fatal(err)
	}
	b := billing.New(cfg)
	client := s.Client(t, owner, ws, nil)
	invoice := s.Must(t, owner.Token, http.MethodPost, "/api/kontor/invoices/"+s.Draft(t, owner, ws, client, testserver.Line("Work", "1", "100"))+"/issue", nil).String("id")
	download := func(format string) testserver.Response {
		return s.Do(t, owner.Token, http.MethodGet, "/api/kontor/invoices/"+invoice+"/einvoice/"+format, nil)
	}

	if err := b.AllowsFormat(s.App, ws, "peppol-bis-3"); err != nil {
		t.Errorf("peppol on free: %v", err)
	}
	err = b.AllowsFormat(s.App, ws, "xrechnung-ubl")
	var apiErr *router.ApiError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusPaymentRequired || !strings.Contains(apiErr.Message, "free plan includes only the e-invoice formats peppol-bis-3, not xrechnung-ubl") ||
		apiErr.Data["upgrade_url"] != publicURL+"/#/billing" || apiErr.Data["limit"] != billing.LimitFormats {
		t.Fatalf("xrechnung on free: %#v", err)
	}
	if r := download("xrechnung-ubl"); r.Status != http.StatusPaymentRequired || r.String("data.limit") != billing.LimitFormats ||
		r.String("data.upgrade_url") != publicURL+"/#/billing" || !strings.Contains(r.String("message"), "free plan") {
		t.Fatalf("route, xrechnung on free: %d %s", r.Status, r.Raw)
	}
	// allowed: the format itself answers (here that the invoice lacks what Peppol needs)
	if r := download("peppol-bis-3"); r.Status == http.StatusPaymentRequired || r.Status == http.StatusNotFound {
		t.Errorf("route, peppol on free: %d %s", r.Status, r.Raw)
	}

	subscribe(t, s, stripe, ws, fixturePrice)
	if err := b.AllowsFormat(s.App, ws, "xrechnung-ubl"); err != nil {
		t.Errorf("xrechnung on pro: %v", err)
	}
	if r := download("xrechnung-ubl"); r.Status == http.StatusPaymentRequired || r.Status == http.StatusNotFound {
		t.Errorf("route, xrechnung on pro: %d %s", r.Status, r.Raw)
	}
}
