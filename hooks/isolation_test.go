package hooks_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/outbox"
	"github.com/kontor-app/kontor/hooks/vies/viestest"
	"github.com/kontor-app/kontor/internal/testserver"
)

// rank orders the roles; outsiders (members of another workspace only) and
// guests rank below every role.
var rank = map[string]int{"guest": -1, "outsider": 0, "viewer": 1, "member": 2, "admin": 3, "owner": 4}

type actor struct {
	role string
	user testserver.User
}

// world is workspace W1 with one user of each role, and an outsider who owns
// workspace W2 and nothing in W1. The viewer and the member also own a
// workspace of their own, so that a rule mixing up memberships would let
// their rights there leak into W1.
type world struct {
	s        *testserver.Server
	owner    testserver.User
	w1, w2   string
	actors   []actor
	client   string // W1
	invoice  string // W1, issued, large enough for many payments
	spare    atomic.Int64
	outsider testserver.User
}

func newWorld(t *testing.T) *world {
	s := testserver.NewWithEnv(t, map[string]string{"KONTOR_VIES_URL": viestest.New(t).URL})
	w := &world{s: s, owner: s.SignUp(t, "owner@example.com")}
	w.w1 = s.Workspace(t, w.owner, "W1 GmbH")
	w.actors = append(w.actors, actor{"owner", w.owner}, actor{"guest", testserver.User{}})
	for _, role := range []string{"admin", "member", "viewer"} {
		u := s.SignUp(t, role+"@example.com")
		s.Create(t, w.owner, "memberships", map[string]any{"workspace": w.w1, "user": u.ID, "role": role})
		s.Workspace(t, u, role+"'s own workspace")
		w.actors = append(w.actors, actor{role, u})
	}
	w.outsider = s.SignUp(t, "outsider@example.com")
	w.w2 = s.Workspace(t, w.outsider, "W2 Ltd")
	s.Draft(t, w.outsider, w.w2, s.Client(t, w.outsider, w.w2, nil), testserver.Line("W2 work", "1", "1"))
	w.actors = append(w.actors, actor{"outsider", w.outsider})

	w.client = s.Client(t, w.owner, w.w1, nil)
	w.invoice = s.Draft(t, w.owner, w.w1, w.client, testserver.Line("Big job", "1", "100000"))
	if r := s.Issue(t, w.owner, w.invoice); r.Status != 200 {
		t.Fatalf("issue: %s", r.Raw)
	}
	return w
}

// spareUser is a new user who belongs to no workspace yet.
func (w *world) spareUser(t *testing.T) testserver.User {
	return w.s.SignUp(t, fmt.Sprintf("spare%d@example.com", w.spare.Add(1)))
}

// collectionSpec says who may do what with a collection of workspace records.
type collectionSpec struct {
	name                            string
	fresh                           func(t *testing.T, w *world) string         // a new W1 record, made by the owner
	create                          func(t *testing.T, w *world) map[string]any // a valid body for a new W1 record
	update                          map[string]any
	minCreate, minUpdate, minDelete string // "" = no one through the API
	minView                         string // "" = viewer
}

func specs() []collectionSpec {
	return []collectionSpec{
		{
			name: "workspaces",
			fresh: func(t *testing.T, w *world) string {
				ws := w.s.Workspace(t, w.owner, "Fresh")
				for _, a := range w.actors {
					if a.role == "admin" || a.role == "member" || a.role == "viewer" {
						w.s.Create(t, w.owner, "memberships", map[string]any{"workspace": ws, "user": a.user.ID, "role": a.role})
					}
				}
				return ws
			},
			update:    map[string]any{"phone": "+49 30 1234567"},
			minUpdate: "admin", minDelete: "owner",
		},
		{
			name: "memberships",
			fresh: func(t *testing.T, w *world) string {
				return w.s.Create(t, w.owner, "memberships", map[string]any{"workspace": w.w1, "user": w.spareUser(t).ID, "role": "member"}).String("id")
			},
			create: func(t *testing.T, w *world) map[string]any {
				return map[string]any{"workspace": w.w1, "user": w.spareUser(t).ID, "role": "viewer"}
			},
			update:    map[string]any{"role": "viewer"},
			minCreate: "admin", minUpdate: "admin", minDelete: "admin",
		},
		{
			name: "clients",
			fresh: func(t *testing.T, w *world) string {
				return w.s.Client(t, w.owner, w.w1, map[string]any{"name": "Fresh client"})
			},
			create: func(t *testing.T, w *world) map[string]any {
				return map[string]any{"workspace": w.w1, "name": "New client", "country": "FR"}
			},
			update:    map[string]any{"notes": "called"},
			minCreate: "member", minUpdate: "member", minDelete: "member",
		},
		{
			name: "series",
			fresh: func(t *testing.T, w *world) string {
				return w.s.Create(t, w.owner, "series", map[string]any{"workspace": w.w1, "code": fmt.Sprintf("S%d", w.spare.Add(1)), "document_type": "invoice", "pattern": "{code}-{seq}"}).String("id")
			},
			create: func(t *testing.T, w *world) map[string]any {
				return map[string]any{"workspace": w.w1, "code": fmt.Sprintf("N%d", w.spare.Add(1)), "document_type": "invoice", "pattern": "{code}-{seq}"}
			},
			update:    map[string]any{"pattern": "{code}/{seq:3}"},
			minCreate: "admin", minUpdate: "admin", minDelete: "admin",
		},
		{
			name: "invoices",
			fresh: func(t *testing.T, w *world) string {
				return w.s.Draft(t, w.owner, w.w1, w.client, testserver.Line("Fresh", "1", "1"))
			},
			create: func(t *testing.T, w *world) map[string]any {
				return map[string]any{"workspace": w.w1, "client": w.client, "lines": []any{testserver.Line("New", "1", "1")}}
			},
			update:    map[string]any{"notes": "thanks"},
			minCreate: "member", minUpdate: "member", minDelete: "member",
		},
		{
			name: "payments",
			fresh: func(t *testing.T, w *world) string {
				return w.s.Create(t, w.owner, "payments", map[string]any{"invoice": w.invoice, "amount": "0.01"}).String("id")
			},
			create: func(t *testing.T, w *world) map[string]any {
				return map[string]any{"invoice": w.invoice, "amount": "0.01", "workspace": w.w2}
			},
			update:    map[string]any{"reference": "changed"},
			minCreate: "member", minUpdate: "", minDelete: "admin",
		},
		{
			name: "vat_checks",
			fresh: func(t *testing.T, w *world) string {
				return w.s.Must(t, w.owner.Token, http.MethodPost, "/api/kontor/clients/"+w.client+"/check-vat", nil).String("check.id")
			},
			create: func(t *testing.T, w *world) map[string]any {
				return map[string]any{"workspace": w.w1, "client": w.client, "vat_id": "ESB12345678", "status": "valid"}
			},
			update:    map[string]any{"status": "invalid"},
			minCreate: "", minUpdate: "", minDelete: "",
		},
		{
			name: "outbox",
			fresh: func(t *testing.T, w *world) string {
				r, _, err := outbox.Enqueue(w.s.App, outbox.Message{Kind: "isolation", Key: fmt.Sprintf("isolation:%d", w.spare.Add(1)), Workspace: w.w1})
				if err != nil {
					t.Fatal(err)
				}
				return r.Id
			},
			create: func(t *testing.T, w *world) map[string]any {
				return map[string]any{"workspace": w.w1, "kind": "email", "idempotency_key": fmt.Sprintf("forged:%d", w.spare.Add(1)), "status": "pending"}
			},
			update:  map[string]any{"status": "sent"},
			minView: "admin",
		},
		{
			name: "recurring_invoices",
			fresh: func(t *testing.T, w *world) string {
				return w.s.Create(t, w.owner, "recurring_invoices", recurringBody(w)).String("id")
			},
			create:    func(t *testing.T, w *world) map[string]any { return recurringBody(w) },
			update:    map[string]any{"name": "Renamed retainer"},
			minCreate: "member", minUpdate: "member", minDelete: "member",
		},
		{
			name:      "proposals",
			fresh:     func(t *testing.T, w *world) string { return w.proposal(t) },
			create:    func(t *testing.T, w *world) map[string]any { return proposalBody(w) },
			update:    map[string]any{"title": "Renamed"},
			minCreate: "member", minUpdate: "member", minDelete: "member",
		},
		{
			name: "proposal_events",
			fresh: func(t *testing.T, w *world) string {
				r, err := w.s.App.FindFirstRecordByData("proposal_events", "proposal", w.proposal(t))
				if err != nil {
					t.Fatal(err)
				}
				return r.Id
			},
			create: func(t *testing.T, w *world) map[string]any {
				return map[string]any{"workspace": w.w1, "proposal": "forged", "seq": 9, "type": "signed", "at": "2026-01-01T00:00:00Z", "hash": "x"}
			},
			update: map[string]any{"ip": "203.0.113.1"},
		},
		{
			name: "proposal_versions",
			fresh: func(t *testing.T, w *world) string {
				id := w.proposal(t)
				w.s.Must(t, w.owner.Token, http.MethodPost, "/api/kontor/proposals/"+id+"/send", nil)
				r, err := w.s.App.FindFirstRecordByData("proposal_versions", "proposal", id)
				if err != nil {
					t.Fatal(err)
				}
				return r.Id
			},
			create: func(t *testing.T, w *world) map[string]any {
				return map[string]any{"workspace": w.w1, "proposal": "forged", "version": 1, "document_hash": "x", "token_hash": "x"}
			},
			update: map[string]any{"document_hash": "forged"},
		},
		{
			name: "payment_accounts",
			fresh: func(t *testing.T, w *world) string {
				// one account per provider: the fresh one is new each time
				w.s.App.DB().NewQuery("DELETE FROM payment_accounts").Execute()
				return w.s.Create(t, w.owner, "payment_accounts", map[string]any{"workspace": w.w1, "provider": "gocardless",
					"settings": map[string]string{"access_token": "sandbox_x"}}).String("id")
			},
			create: func(t *testing.T, w *world) map[string]any {
				return map[string]any{"workspace": w.w1, "provider": "stripe", "settings": map[string]string{"secret_key": "sk_test_x"}}
			},
			update:    map[string]any{"enabled": true},
			minCreate: "admin", minUpdate: "admin", minDelete: "admin", minView: "admin",
		},
		{
			name: "payment_links",
			fresh: func(t *testing.T, w *world) string {
				return w.paymentRecord(t, "payment_links", map[string]any{"invoice": w.invoice, "provider": "stripe",
					"provider_payment_id": fmt.Sprintf("cs_%d", w.spare.Add(1)), "status": "open"})
			},
			create: func(t *testing.T, w *world) map[string]any {
				return map[string]any{"workspace": w.w1, "invoice": w.invoice, "provider": "stripe", "provider_payment_id": "cs_forged", "status": "paid"}
			},
			update: map[string]any{"status": "paid"},
		},
		{
			name: "payment_events",
			fresh: func(t *testing.T, w *world) string {
				return w.paymentRecord(t, "payment_events", map[string]any{"provider": "stripe",
					"event_id": fmt.Sprintf("evt_%d", w.spare.Add(1)), "outcome": "ignored"})
			},
			create: func(t *testing.T, w *world) map[string]any {
				return map[string]any{"workspace": w.w1, "provider": "stripe", "event_id": "evt_forged", "outcome": "recorded"}
			},
			update:  map[string]any{"outcome": "recorded"},
			minView: "admin",
		},
	}
}

// paymentRecord saves a record of W1 as the server would.
func (w *world) paymentRecord(t *testing.T, collection string, fields map[string]any) string {
	c, err := w.s.App.FindCollectionByNameOrId(collection)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(c)
	r.Set("workspace", w.w1)
	for k, v := range fields {
		r.Set(k, v)
	}
	if err := w.s.App.Save(r); err != nil {
		t.Fatal(err)
	}
	return r.Id
}

// proposalBody is a valid W1 proposal.
func proposalBody(w *world) map[string]any {
	return map[string]any{"workspace": w.w1, "client": w.client, "title": "Offer", "lines": []any{testserver.Line("Work", "1", "100")}}
}

// proposal creates a draft proposal of W1 as the owner.
func (w *world) proposal(t *testing.T) string {
	return w.s.Create(t, w.owner, "proposals", proposalBody(w)).String("id")
}

// signedProposal creates a proposal of W1 that its buyer signed.
func (w *world) signedProposal(t *testing.T) string {
	id := w.proposal(t)
	link := w.s.Must(t, w.owner.Token, http.MethodPost, "/api/kontor/proposals/"+id+"/send", nil).String("public_url")
	form := url.Values{"name": {"Ana García"}, "email": {"ana@example.com"}, "consent": {"yes"}}
	res, err := http.PostForm(w.s.URL+link[strings.Index(link, "/p/"):]+"/accept", form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if r, _ := w.s.App.FindRecordById("proposals", id); r == nil || r.GetString("status") != "signed" {
		t.Fatalf("the proposal was not signed: %d", res.StatusCode)
	}
	return id
}

// recurringBody is a valid W1 recurring invoice, starting years ahead so
// that the server's own runs bill nothing during the test.
func recurringBody(w *world) map[string]any {
	return map[string]any{"workspace": w.w1, "client": w.client, "name": "Retainer", "schedule": "monthly",
		"start_date": "2031-01-01", "lines": []any{testserver.Line("Retainer", "1", "100")}}
}

func allowed(role, min string) bool { return min != "" && rank[role] >= rank[min] }

func countRows(t *testing.T, w *world, collection string) int {
	var n int
	if err := w.s.App.DB().NewQuery("SELECT COUNT(*) FROM " + collection).Row(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestWorkspaceIsolationAndRoles walks every collection with every role,
// an outsider and a guest: reads, lists, creates, updates and deletes.
func TestWorkspaceIsolationAndRoles(t *testing.T) {
	w := newWorld(t)
	for _, c := range specs() {
		for _, a := range w.actors {
			t.Run(c.name+"/"+a.role, func(t *testing.T) {
				base := "/api/collections/" + c.name + "/records"
				id := c.fresh(t, w)
				insider := rank[a.role] >= rank["viewer"]
				minView := c.minView
				if minView == "" {
					minView = "viewer"
				}
				sees := allowed(a.role, minView)

				// view and list
				view := w.s.Do(t, a.user.Token, http.MethodGet, base+"/"+id, nil)
				if sees != (view.Status == 200) || (!sees && view.Status != 404) {
					t.Errorf("view: %d %s", view.Status, view.Raw)
				}
				list := w.s.Do(t, a.user.Token, http.MethodGet, base+"?perPage=500&filter="+url.QueryEscape("id='"+id+"'"), nil)
				if list.Status != 200 || (list.String("totalItems") == "1") != sees {
					t.Errorf("list: %d %s", list.Status, list.Raw)
				}
				if !sees {
					all := w.s.Do(t, a.user.Token, http.MethodGet, base+"?perPage=500", nil)
					for _, item := range all.Body["items"].([]any) {
						m := item.(map[string]any)
						if m["workspace"] == w.w1 || m["id"] == w.w1 {
							t.Errorf("list leaks a W1 record: %v", m)
						}
					}
				}

				// create
				if c.create != nil {
					before := countRows(t, w, c.name)
					r := w.s.Do(t, a.user.Token, http.MethodPost, base, c.create(t, w))
					want := allowed(a.role, c.minCreate)
					if (r.Status == 200) != want || r.Status >= 500 {
						t.Errorf("create: %d %s", r.Status, r.Raw)
					}
					if !want && countRows(t, w, c.name) != before {
						t.Errorf("a refused create wrote a record")
					}
					if want && r.String("workspace") != w.w1 {
						t.Errorf("created outside W1: %s", r.Raw)
					}
				}

				// update
				r := w.s.Do(t, a.user.Token, http.MethodPatch, base+"/"+id, c.update)
				if c.minUpdate == "" {
					if r.Status != 403 {
						t.Errorf("update of a locked collection: %d %s", r.Status, r.Raw)
					}
				} else if want := allowed(a.role, c.minUpdate); (r.Status == 200) != want || r.Status >= 500 || (!insider && r.Status != 404) {
					t.Errorf("update: %d %s", r.Status, r.Raw)
				}

				// delete
				r = w.s.Do(t, a.user.Token, http.MethodDelete, base+"/"+id, nil)
				if c.minDelete == "" {
					if r.Status != 403 {
						t.Errorf("delete from a locked collection: %d %s", r.Status, r.Raw)
					}
				} else if want := allowed(a.role, c.minDelete); (r.Status == 204) != want || r.Status >= 500 || (!insider && r.Status != 404) {
					t.Errorf("delete: %d %s", r.Status, r.Raw)
				}
			})
		}
	}
}

// TestKontorRoutesIsolation walks every /api/kontor/ route with every role.
func TestKontorRoutesIsolation(t *testing.T) {
	w := newWorld(t)
	mailed := w.s.Client(t, w.owner, w.w1, map[string]any{"name": "Mailed client", "email": "ap@client.example"})
	routes := []struct {
		name   string
		method string
		path   func(t *testing.T) string
		body   any
		min    string
		check  func(r testserver.Response) bool
	}{
		{"pdf", http.MethodGet, func(t *testing.T) string {
			return "/api/kontor/invoices/" + w.invoice + "/pdf"
		}, nil, "viewer", func(r testserver.Response) bool { return strings.HasPrefix(string(r.Raw), "%PDF-") }},
		{"draft pdf", http.MethodGet, func(t *testing.T) string {
			return "/api/kontor/invoices/" + w.s.Draft(t, w.owner, w.w1, w.client, testserver.Line("x", "1", "1")) + "/pdf"
		}, nil, "viewer", func(r testserver.Response) bool { return strings.HasPrefix(string(r.Raw), "%PDF-") }},
		{"issue", http.MethodPost, func(t *testing.T) string {
			return "/api/kontor/invoices/" + w.s.Draft(t, w.owner, w.w1, w.client, testserver.Line("x", "1", "1")) + "/issue"
		}, nil, "member", func(r testserver.Response) bool { return r.String("status") == "issued" }},
		{"credit-note", http.MethodPost, func(t *testing.T) string {
			return "/api/kontor/invoices/" + w.invoice + "/credit-note"
		}, map[string]any{"lines": []any{map[string]any{"line": 0, "quantity": "0.0001"}}}, "member", func(r testserver.Response) bool { return r.String("document_type") == "credit_note" }},
		{"check-vat", http.MethodPost, func(t *testing.T) string {
			return "/api/kontor/clients/" + w.client + "/check-vat"
		}, nil, "member", func(r testserver.Response) bool { return r.String("check.status") == "valid" }},
		{"send", http.MethodPost, func(t *testing.T) string {
			id := w.s.Draft(t, w.owner, w.w1, mailed, testserver.Line("x", "1", "1"))
			w.s.Issue(t, w.owner, id)
			return "/api/kontor/invoices/" + id + "/send"
		}, nil, "member", func(r testserver.Response) bool { return r.String("status") == "sent" }},
		{"outbox retry", http.MethodPost, func(t *testing.T) string {
			r, _, err := outbox.Enqueue(w.s.App, outbox.Message{Kind: "isolation", Key: fmt.Sprintf("retry:%d", w.spare.Add(1)), Workspace: w.w1})
			if err != nil {
				t.Fatal(err)
			}
			r.Set("status", outbox.StatusFailed)
			if err := w.s.App.Save(r); err != nil {
				t.Fatal(err)
			}
			return "/api/kontor/outbox/" + r.Id + "/retry"
		}, nil, "admin", func(r testserver.Response) bool { return r.String("status") == outbox.StatusPending }},
		{"mail status", http.MethodGet, func(t *testing.T) string {
			return "/api/kontor/mail/status"
		}, nil, "outsider", func(r testserver.Response) bool { return r.String("sender") == "off" }},
		{"dunning-letter", http.MethodGet, func(t *testing.T) string {
			return "/api/kontor/clients/" + w.client + "/dunning-letter"
		}, nil, "member", func(r testserver.Response) bool { return strings.HasPrefix(string(r.Raw), "%PDF-") }},
		{"proposal send", http.MethodPost, func(t *testing.T) string {
			return "/api/kontor/proposals/" + w.proposal(t) + "/send"
		}, nil, "member", func(r testserver.Response) bool { return r.String("proposal.status") == "sent" }},
		{"proposal verify", http.MethodGet, func(t *testing.T) string {
			return "/api/kontor/proposals/" + w.proposal(t) + "/verify"
		}, nil, "viewer", func(r testserver.Response) bool { return r.String("intact") == "true" }},
		{"proposal pdf", http.MethodGet, func(t *testing.T) string {
			return "/api/kontor/proposals/" + w.proposal(t) + "/pdf"
		}, nil, "viewer", func(r testserver.Response) bool { return strings.HasPrefix(string(r.Raw), "%PDF-") }},
		{"proposal invoice", http.MethodPost, func(t *testing.T) string {
			return "/api/kontor/proposals/" + w.signedProposal(t) + "/invoice"
		}, nil, "member", func(r testserver.Response) bool { return r.String("status") == "draft" }},
	}
	for _, route := range routes {
		for _, a := range w.actors {
			t.Run(route.name+"/"+a.role, func(t *testing.T) {
				before := countRows(t, w, "invoices")
				path := route.path(t)
				before += countRows(t, w, "invoices") - before
				checks := countRows(t, w, "vat_checks")
				messages := countRows(t, w, "outbox")
				r := w.s.Do(t, a.user.Token, route.method, path, route.body)
				want := allowed(a.role, route.min)
				switch {
				case want && (r.Status != 200 || !route.check(r)):
					t.Errorf("allowed: %d %s", r.Status, r.Raw)
				case !want && a.role == "guest" && r.Status != 401:
					t.Errorf("guest: %d %s", r.Status, r.Raw)
				case !want && a.role == "outsider" && r.Status != 404:
					t.Errorf("outsider: %d %s", r.Status, r.Raw)
				case !want && a.role == "viewer" && r.Status != 403:
					t.Errorf("viewer: %d %s", r.Status, r.Raw)
				}
				if !want && countRows(t, w, "invoices") != before {
					t.Error("a refused route wrote an invoice")
				}
				if !want && countRows(t, w, "vat_checks") != checks {
					t.Error("a refused route kept a VAT check")
				}
				if !want && countRows(t, w, "outbox") != messages {
					t.Error("a refused route queued a message")
				}
			})
		}
	}
	// a route of the wrong workspace and a missing id look the same
	if r := w.s.Do(t, w.outsider.Token, http.MethodPost, "/api/kontor/invoices/doesnotexist123/issue", nil); r.Status != 404 {
		t.Errorf("missing invoice: %d", r.Status)
	}
	if r := w.s.Do(t, w.outsider.Token, http.MethodPost, "/api/kontor/clients/doesnotexist123/check-vat", nil); r.Status != 404 {
		t.Errorf("missing client: %d", r.Status)
	}
	// the formats list and the preview touch no workspace data but need a signed-in user
	if r := w.s.Do(t, "", http.MethodGet, "/api/kontor/formats", nil); r.Status != 401 {
		t.Errorf("guest formats: %d", r.Status)
	}
	if r := w.s.Do(t, "", http.MethodGet, "/api/kontor/payment-providers", nil); r.Status != 401 {
		t.Errorf("guest payment providers: %d", r.Status)
	}
	for _, preview := range []string{"/api/kontor/invoices/preview", "/api/kontor/proposals/preview"} {
		if r := w.s.Do(t, "", http.MethodPost, preview, map[string]any{"lines": []any{}}); r.Status != 401 {
			t.Errorf("guest %s: %d", preview, r.Status)
		}
	}
}

// TestUsersSeeOnlyCoMembers checks the users collection: a user sees
// themself and the members of their workspaces, nobody else.
func TestUsersSeeOnlyCoMembers(t *testing.T) {
	w := newWorld(t)
	for _, a := range w.actors {
		r := w.s.Do(t, a.user.Token, http.MethodGet, "/api/collections/users/records/"+w.owner.ID, nil)
		if insider := rank[a.role] >= rank["viewer"]; (r.Status == 200) != insider {
			t.Errorf("%s views the owner: %d", a.role, r.Status)
		}
	}
	list := w.s.Must(t, w.outsider.Token, http.MethodGet, "/api/collections/users/records", nil)
	if list.String("totalItems") != "1" {
		t.Errorf("outsider lists users: %s", list.Raw)
	}
}

// TestRealtimeStaysInWorkspace subscribes a viewer of W1 and an outsider to
// every collection, changes W1, and checks who hears of it.
func TestRealtimeStaysInWorkspace(t *testing.T) {
	w := newWorld(t)
	var viewer testserver.User
	for _, a := range w.actors {
		if a.role == "viewer" {
			viewer = a.user
		}
	}
	topics := []string{"workspaces", "memberships", "clients", "series", "invoices", "payments", "users", "vat_checks",
		"recurring_invoices", "reference_rates", "outbox", "invoices/" + w.invoice, "workspaces/" + w.w1}
	insider := w.s.Subscribe(t, viewer.Token, topics...)
	outsider := w.s.Subscribe(t, w.outsider.Token, topics...)
	guest := w.s.Subscribe(t, "", topics...)

	w.s.Must(t, w.owner.Token, http.MethodPatch, "/api/collections/workspaces/records/"+w.w1, map[string]any{"phone": "+49 1"})
	w.s.Client(t, w.owner, w.w1, map[string]any{"name": "Realtime client"})
	w.s.Create(t, w.owner, "payments", map[string]any{"invoice": w.invoice, "amount": "1"})
	w.s.Create(t, w.owner, "memberships", map[string]any{"workspace": w.w1, "user": w.spareUser(t).ID, "role": "viewer"})
	w.s.Create(t, w.owner, "series", map[string]any{"workspace": w.w1, "code": "RT", "document_type": "invoice", "pattern": "{code}{seq}"})
	w.s.Must(t, w.owner.Token, http.MethodPost, "/api/kontor/clients/"+w.client+"/check-vat", nil)
	w.s.Create(t, w.owner, "recurring_invoices", recurringBody(w))

	deadline := time.Now().Add(5 * time.Second)
	for len(insider.Events()) < 6 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	if got := len(insider.Events()); got < 6 {
		t.Errorf("the viewer heard %d events, want at least 6: %v", got, insider.Events())
	}
	if !slices.ContainsFunc(insider.Events(), func(e testserver.Event) bool { return e.Topic == "vat_checks" }) {
		t.Error("the viewer did not hear of the VAT check")
	}
	for name, sub := range map[string]*testserver.Subscription{"outsider": outsider, "guest": guest} {
		if events := sub.Events(); len(events) != 0 {
			t.Errorf("%s heard %d W1 events: %v", name, len(events), events)
		}
	}
}

// TestReferenceRatesAreGlobal checks the one collection that belongs to no
// workspace: every signed-in user reads the reference rates, nobody but a
// superuser writes them, and guests see none.
func TestReferenceRatesAreGlobal(t *testing.T) {
	w := newWorld(t)
	base := "/api/collections/reference_rates/records"
	first := w.s.Must(t, w.outsider.Token, http.MethodGet, base+"?sort=period", nil)
	if first.String("items.0.period") != "2019-H1" || first.String("items.0.rate") != "0.00" {
		t.Fatalf("seeded rates: %s", first.Raw)
	}
	id := first.String("items.0.id")
	for _, a := range w.actors {
		list := w.s.Do(t, a.user.Token, http.MethodGet, base, nil)
		if signedIn := a.role != "guest"; list.Status != 200 || (list.String("totalItems") != "0") != signedIn {
			t.Errorf("%s lists: %d %s", a.role, list.Status, list.String("totalItems"))
		}
		for _, req := range []struct {
			method, path string
			body         any
		}{
			{http.MethodPost, base, map[string]any{"period": "2040-H1", "rate": "9.99"}},
			{http.MethodPatch, base + "/" + id, map[string]any{"rate": "9.99"}},
			{http.MethodDelete, base + "/" + id, nil},
		} {
			if r := w.s.Do(t, a.user.Token, req.method, req.path, req.body); r.Status < 400 || r.Status >= 500 {
				t.Errorf("%s %s %s: %d %s", a.role, req.method, req.path, r.Status, r.Raw)
			}
		}
	}
	if r := w.s.Must(t, w.owner.Token, http.MethodGet, base+"/"+id, nil); r.String("rate") != "0.00" {
		t.Errorf("a rate changed: %s", r.Raw)
	}
}
