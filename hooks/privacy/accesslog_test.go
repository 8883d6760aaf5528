package privacy_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/internal/testserver"
)

// Every read of clients, invoices (with their buyer) and other users
// through the record API is logged with who, what and when, never the
// data; the owners of the workspace read its log, nobody else.
func TestAccessLogRecordsReads(t *testing.T) {
	s := newServer(t)
	owner := s.SignUp(t, "owner@example.com")
	member := s.SignUp(t, "member@example.com")
	outsider := s.SignUp(t, "outsider@example.com")
	ws := s.Workspace(t, owner, "Logged GmbH")
	other := s.Workspace(t, outsider, "Other Ltd")
	s.Create(t, owner, "memberships", map[string]any{"workspace": ws, "user": member.ID, "role": "member"})
	invoice := issued(t, s, owner, ws)
	client := record(t, s.App, "invoices", invoice).GetString("client")
	s.Client(t, outsider, other, nil)

	entries := func() []*core.Record {
		var out []*core.Record
		if err := s.App.RecordQuery("access_log").OrderBy("created", "rowid").All(&out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	if n := len(entries()); n != 0 {
		t.Fatalf("%d entries before any read", n)
	}

	reads := []struct {
		name, path, collection, action, subject string
		ids                                     []string
	}{
		{"view a client", "/api/collections/clients/records/" + client, "clients", "view", "", []string{client}},
		{"list clients", "/api/collections/clients/records", "clients", "list", "", []string{client}},
		{"view an invoice", "/api/collections/invoices/records/" + invoice, "invoices", "view", "", []string{invoice}},
		{"view a co-member", "/api/collections/users/records/" + owner.ID, "users", "view", owner.ID, []string{owner.ID}},
	}
	for _, r := range reads {
		before := len(entries())
		s.Must(t, member.Token, http.MethodGet, r.path, nil)
		got := entries()
		if len(got) != before+1 {
			t.Errorf("%s: %d new entries, want 1", r.name, len(got)-before)
			continue
		}
		e := got[len(got)-1]
		var ids []string
		if err := e.UnmarshalJSONField("record_ids", &ids); err != nil {
			t.Fatal(err)
		}
		if e.GetString("workspace") != ws || e.GetString("actor") != member.ID || e.GetString("actor_kind") != "user" ||
			e.GetString("collection") != r.collection || e.GetString("action") != r.action ||
			e.GetString("subject_user") != r.subject || len(ids) != len(r.ids) || ids[0] != r.ids[0] || e.GetString("created") == "" {
			t.Errorf("%s: entry %v", r.name, e.FieldsData())
		}
	}

	// an invoice read with its client expanded logs both
	before := len(entries())
	s.Must(t, member.Token, http.MethodGet, "/api/collections/invoices/records/"+invoice+"?expand=client", nil)
	if got := entries()[before:]; len(got) != 2 || got[0].GetString("collection") != "invoices" || got[1].GetString("collection") != "clients" {
		t.Fatalf("expanded read: %d entries", len(got))
	}
	// reading oneself is not someone else's access
	before = len(entries())
	s.Must(t, member.Token, http.MethodGet, "/api/collections/users/records/"+member.ID, nil)
	if n := len(entries()) - before; n != 0 {
		t.Fatalf("reading oneself logged %d entries", n)
	}
	// a read refused by the rules reads nothing and logs nothing
	before = len(entries())
	if got := s.Do(t, outsider.Token, http.MethodGet, "/api/collections/clients/records/"+client, nil); got.Status != http.StatusNotFound {
		t.Fatalf("outsider reads a client: %d", got.Status)
	}
	if n := len(entries()) - before; n != 0 {
		t.Fatalf("a refused read logged %d entries", n)
	}

	// the owner reads the workspace's log; a member, an outsider and a
	// guest see none of it
	logged := count(t, s.App, "access_log", dbx.HashExp{"workspace": ws})
	list := s.Must(t, owner.Token, http.MethodGet, "/api/collections/access_log/records?perPage=100", nil)
	if list.String("totalItems") != strconv.Itoa(logged) {
		t.Fatalf("owner lists %s entries, want %d", list.String("totalItems"), logged)
	}
	one := list.String("items.0.id")
	for _, u := range []testserver.User{member, outsider, {}} {
		if got := s.Must(t, u.Token, http.MethodGet, "/api/collections/access_log/records", nil); got.String("totalItems") != "0" {
			t.Errorf("%q lists %s entries", u.Email, got.String("totalItems"))
		}
		if got := s.Do(t, u.Token, http.MethodGet, "/api/collections/access_log/records/"+one, nil); got.Status != http.StatusNotFound {
			t.Errorf("%q views an entry: %d", u.Email, got.Status)
		}
	}
	// nobody writes it through the API
	if got := s.Do(t, owner.Token, http.MethodPost, "/api/collections/access_log/records",
		map[string]any{"workspace": ws, "actor_kind": "user", "action": "view", "collection": "clients"}); got.Status != http.StatusForbidden {
		t.Fatalf("owner writes an entry: %d", got.Status)
	}
	if got := s.Do(t, owner.Token, http.MethodDelete, "/api/collections/access_log/records/"+one, nil); got.Status != http.StatusForbidden && got.Status != http.StatusNotFound {
		t.Fatalf("owner deletes an entry: %d", got.Status)
	}
}
