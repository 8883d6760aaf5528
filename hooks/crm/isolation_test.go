package crm_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kontor-app/kontor/internal/testserver"
)

// rank orders the actors: guests and outsiders below every role.
var rank = map[string]int{"guest": -1, "outsider": 0, "viewer": 1, "member": 2, "admin": 3, "owner": 4}

func allowed(role, min string) bool { return rank[role] >= rank[min] }

// collectionSpec says who may do what with a CRM collection.
type collectionSpec struct {
	name                            string
	fresh                           func(t *testing.T, w *world) string // a new W1 record, made by the owner
	create                          func(t *testing.T, w *world) map[string]any
	update                          map[string]any
	minCreate, minUpdate, minDelete string
}

var unique atomic.Int64

func next() int64 { return unique.Add(1) }

func crmSpecs() []collectionSpec {
	return []collectionSpec{
		{
			name: "pipeline_stages",
			fresh: func(t *testing.T, w *world) string {
				return w.create(t, "pipeline_stages", map[string]any{"name": fmt.Sprint("Stage ", next()), "position": 10, "probability": 40, "kind": "open"})
			},
			create: func(t *testing.T, w *world) map[string]any {
				return map[string]any{"workspace": w.ws, "name": "Demo", "position": 20, "probability": 30, "kind": "open"}
			},
			update:    map[string]any{"name": "Renamed"},
			minCreate: "admin", minUpdate: "admin", minDelete: "admin",
		},
		{
			name:  "companies",
			fresh: func(t *testing.T, w *world) string { return w.create(t, "companies", map[string]any{"name": "Acme"}) },
			create: func(t *testing.T, w *world) map[string]any {
				return map[string]any{"workspace": w.ws, "name": "Globex", "domain": "globex.example"}
			},
			update:    map[string]any{"industry": "Software"},
			minCreate: "member", minUpdate: "member", minDelete: "member",
		},
		{
			name:  "contacts",
			fresh: func(t *testing.T, w *world) string { return w.contact(t, nil) },
			create: func(t *testing.T, w *world) map[string]any {
				return map[string]any{"workspace": w.ws, "first_name": "Jo", "email": fmt.Sprintf("jo%d@example.com", next())}
			},
			update:    map[string]any{"job_title": "CTO"},
			minCreate: "member", minUpdate: "member", minDelete: "member",
		},
		{
			name:  "deals",
			fresh: func(t *testing.T, w *world) string { return w.deal(t, "new", nil) },
			create: func(t *testing.T, w *world) map[string]any {
				return map[string]any{"workspace": w.ws, "title": "Audit", "value": "900", "stage": w.stage(t, "new")}
			},
			update:    map[string]any{"title": "Audit 2027"},
			minCreate: "member", minUpdate: "member", minDelete: "member",
		},
		{
			name: "activities",
			fresh: func(t *testing.T, w *world) string {
				return w.create(t, "activities", map[string]any{"type": "note", "subject": "Met at fair", "contact": w.contact(t, nil)})
			},
			create: func(t *testing.T, w *world) map[string]any {
				return map[string]any{"workspace": w.ws, "type": "call", "contact": w.contact(t, nil)}
			},
			update:    map[string]any{"done": true},
			minCreate: "member", minUpdate: "member", minDelete: "member",
		},
	}
}

// TestCollectionsIsolationAndRoles walks every CRM collection with every
// role, an outsider and a guest: view, list, create, update, delete.
func TestCollectionsIsolationAndRoles(t *testing.T) {
	w := newWorld(t)
	for _, c := range crmSpecs() {
		for _, a := range w.actors {
			t.Run(c.name+"/"+a.role, func(t *testing.T) {
				base := "/api/collections/" + c.name + "/records"
				id := c.fresh(t, w)
				sees := allowed(a.role, "viewer")

				view := w.s.Do(t, a.user.Token, http.MethodGet, base+"/"+id, nil)
				if sees != (view.Status == 200) || (!sees && view.Status != 404) {
					t.Errorf("view: %d %s", view.Status, view.Raw)
				}
				list := w.s.Do(t, a.user.Token, http.MethodGet, base+"?perPage=500", nil)
				if list.Status != 200 {
					t.Fatalf("list: %d %s", list.Status, list.Raw)
				}
				found := false
				for _, item := range list.Body["items"].([]any) {
					m := item.(map[string]any)
					found = found || m["id"] == id
					if !sees && m["workspace"] == w.ws {
						t.Errorf("list leaks a W1 record: %v", m)
					}
				}
				if found != sees {
					t.Errorf("list: found %v, want %v", found, sees)
				}

				before := w.count(t, c.name, "1 = 1", nil)
				r := w.s.Do(t, a.user.Token, http.MethodPost, base, c.create(t, w))
				want := allowed(a.role, c.minCreate)
				if (r.Status == 200) != want || r.Status >= 500 {
					t.Errorf("create: %d %s", r.Status, r.Raw)
				}
				if !want && w.count(t, c.name, "1 = 1", nil) != before {
					t.Errorf("a refused create wrote a record")
				}

				r = w.s.Do(t, a.user.Token, http.MethodPatch, base+"/"+id, c.update)
				if want := allowed(a.role, c.minUpdate); (r.Status == 200) != want || r.Status >= 500 || (!sees && r.Status != 404) {
					t.Errorf("update: %d %s", r.Status, r.Raw)
				}
				r = w.s.Do(t, a.user.Token, http.MethodDelete, base+"/"+id, nil)
				if want := allowed(a.role, c.minDelete); (r.Status == 204) != want || r.Status >= 500 || (!sees && r.Status != 404) {
					t.Errorf("delete: %d %s", r.Status, r.Raw)
				}
				if (w.count(t, c.name, "id = {:id}", map[string]any{"id": id}) == 0) != allowed(a.role, c.minDelete) {
					t.Errorf("the record's presence does not match the delete's answer")
				}
			})
		}
	}
}

// TestRoutesIsolationAndRoles walks every CRM route with every role: a
// guest gets 401, an outsider 404, a member below the route's role 403.
func TestRoutesIsolationAndRoles(t *testing.T) {
	w := newWorld(t)
	deal := w.deal(t, "proposal", map[string]any{"contact": w.contact(t, nil)})
	company := w.create(t, "companies", map[string]any{"name": "Acme"})
	contact := w.contact(t, map[string]any{"company": company})
	csv := "first_name,email\nLea,lea@example.com\n"
	routes := []struct {
		name   string
		min    string
		call   func(t *testing.T, token string) int
		writes bool
	}{
		{"convert", "member", func(t *testing.T, token string) int {
			return w.s.Do(t, token, http.MethodPost, "/api/kontor/contacts/"+w.contact(t, nil)+"/convert", nil).Status
		}, true},
		{"chain", "viewer", func(t *testing.T, token string) int {
			return w.s.Do(t, token, http.MethodGet, "/api/kontor/deals/"+deal+"/chain", nil).Status
		}, false},
		{"timeline of a contact", "viewer", func(t *testing.T, token string) int {
			return w.s.Do(t, token, http.MethodGet, "/api/kontor/timeline?contact="+contact, nil).Status
		}, false},
		{"timeline of a company", "viewer", func(t *testing.T, token string) int {
			return w.s.Do(t, token, http.MethodGet, "/api/kontor/timeline?company="+company, nil).Status
		}, false},
		{"timeline of a deal", "viewer", func(t *testing.T, token string) int {
			return w.s.Do(t, token, http.MethodGet, "/api/kontor/timeline?deal="+deal, nil).Status
		}, false},
		{"import", "member", func(t *testing.T, token string) int {
			return w.importCSV(t, userWith(token), importForm{workspace: w.ws, entity: "contacts", dryRun: "false",
				csv: strings.Replace(csv, "lea@", fmt.Sprintf("lea%d@", next()), 1)}).Status
		}, true},
		{"export", "viewer", func(t *testing.T, token string) int {
			return w.s.Do(t, token, http.MethodGet, "/api/kontor/crm/export?workspace="+w.ws+"&entity=contacts", nil).Status
		}, false},
		{"insights", "viewer", func(t *testing.T, token string) int {
			return w.s.Do(t, token, http.MethodGet, "/api/kontor/insights?workspace="+url.QueryEscape(w.ws), nil).Status
		}, false},
	}
	for _, route := range routes {
		for _, a := range w.actors {
			t.Run(route.name+"/"+a.role, func(t *testing.T) {
				clients := w.count(t, "clients", "workspace = {:w}", map[string]any{"w": w.ws})
				contacts := w.count(t, "contacts", "workspace = {:w}", map[string]any{"w": w.ws})
				got := route.call(t, a.user.Token)
				var want int
				switch {
				case a.role == "guest":
					want = 401
				case a.role == "outsider":
					want = 404
				case !allowed(a.role, route.min):
					want = 403
				default:
					want = 200
				}
				if got != want {
					t.Errorf("%d, want %d", got, want)
				}
				if route.writes && want != 200 {
					// the convert route's fresh contact is the owner's own write
					if w.count(t, "clients", "workspace = {:w}", map[string]any{"w": w.ws}) != clients ||
						w.count(t, "contacts", "workspace = {:w}", map[string]any{"w": w.ws}) > contacts+1 {
						t.Errorf("a refused call wrote")
					}
				}
			})
		}
	}
}

func userWith(token string) testserver.User { return testserver.User{Token: token} }
