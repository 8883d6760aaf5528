package privacy_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"github.com/kontor-app/kontor/hooks/privacy"
	"github.com/kontor-app/kontor/internal/testserver"
)

// An owner deletes a workspace: at once nobody but superusers reads its
// issued invoices; after 30 days its drafts, proposals, clients and
// personal data go; when the invoices' retention ends, they and the
// workspace go too. Nobody else can delete it, and the record API cannot
// delete it while invoices are under legal hold.
func TestDeleteWorkspaceKeepsIssuedInvoicesUnderLegalHold(t *testing.T) {
	s := newServer(t)
	owner := s.SignUp(t, "owner@example.com")
	admin := s.SignUp(t, "admin@example.com")
	outsider := s.SignUp(t, "outsider@example.com")
	ws := s.Workspace(t, owner, "Doomed GmbH")
	s.Workspace(t, outsider, "Other Ltd")
	s.Create(t, owner, "memberships", map[string]any{"workspace": ws, "user": admin.ID, "role": "admin"})
	invoice := issued(t, s, owner, ws)
	client := record(t, s.App, "invoices", invoice).GetString("client")
	draft := s.Draft(t, owner, ws, client, testserver.Line("Draft", "1", "1"))
	sent := sentProposal(t, s, owner, ws, client)
	root := superuser(t, s.App)

	if got := s.Do(t, owner.Token, http.MethodDelete, "/api/collections/workspaces/records/"+ws, nil); got.Status != http.StatusBadRequest ||
		!strings.Contains(got.String("message"), "legal hold") {
		t.Fatalf("record API delete: %d %s", got.Status, got.Raw)
	}
	path := "/api/kontor/privacy/workspaces/" + ws + "/delete"
	confirm := map[string]any{"confirm": "Doomed GmbH"}
	for _, c := range []struct {
		name   string
		token  string
		body   map[string]any
		status int
	}{
		{"guest", "", confirm, http.StatusUnauthorized},
		{"outsider", outsider.Token, confirm, http.StatusNotFound},
		{"admin", admin.Token, confirm, http.StatusForbidden},
		{"no confirmation", owner.Token, map[string]any{}, http.StatusBadRequest},
		{"wrong name", owner.Token, map[string]any{"confirm": "Other Ltd"}, http.StatusBadRequest},
	} {
		if got := s.Do(t, c.token, http.MethodPost, path, c.body); got.Status != c.status {
			t.Errorf("%s: %d %s, want %d", c.name, got.Status, got.Raw, c.status)
		}
	}
	if w := record(t, s.App, "workspaces", ws); w.GetString("deleted_at") != "" {
		t.Fatal("a refused deletion deleted")
	}

	r := s.Must(t, owner.Token, http.MethodPost, path, confirm)
	if r.String("issued_invoices_kept") != "1" {
		t.Fatalf("delete: %s", r.Raw)
	}
	deletedAt := record(t, s.App, "workspaces", ws).GetDateTime("deleted_at").Time()
	for _, u := range []testserver.User{owner, admin} {
		if got := s.Do(t, u.Token, http.MethodGet, "/api/collections/invoices/records/"+invoice, nil); got.Status != http.StatusNotFound {
			t.Errorf("%s reads the kept invoice: %d", u.Email, got.Status)
		}
		if got := s.Must(t, u.Token, http.MethodGet, "/api/collections/workspaces/records?filter="+url.QueryEscape("id='"+ws+"'"), nil); got.String("totalItems") != "0" {
			t.Errorf("%s still lists the workspace: %s", u.Email, got.Raw)
		}
	}
	if got := s.Do(t, root, http.MethodGet, "/api/collections/invoices/records/"+invoice, nil); got.Status != http.StatusOK {
		t.Fatalf("superuser reads the kept invoice: %d", got.Status)
	}

	// within the 30 days nothing more goes
	report, err := privacy.RunRetention(s.App, retentionConfig(), deletedAt.Add(privacy.WorkspaceGrace-time.Minute))
	if err != nil || report[privacy.JobWorkspacesPurged] != 0 || record(t, s.App, "invoices", draft) == nil {
		t.Fatalf("before 30 days: %v %v", report, err)
	}
	purgeAt := deletedAt.Add(privacy.WorkspaceGrace + time.Minute)
	for run, want := range []int{1, 0} {
		report, err := privacy.RunRetention(s.App, retentionConfig(), purgeAt)
		if err != nil || report[privacy.JobWorkspacesPurged] != want || report[privacy.JobWorkspacesDeleted] != 0 {
			t.Fatalf("run %d after 30 days: %v %v", run, report, err)
		}
	}
	for _, gone := range []struct{ collection, id string }{{"invoices", draft}, {"clients", client}, {"proposals", sent}} {
		if record(t, s.App, gone.collection, gone.id) != nil {
			t.Errorf("%s %s outlived the purge", gone.collection, gone.id)
		}
	}
	if n := count(t, s.App, "proposal_events", dbx.HashExp{"proposal": sent}); n != 0 {
		t.Errorf("%d proposal events outlived the purge", n)
	}
	kept := record(t, s.App, "invoices", invoice)
	if kept == nil || kept.GetString("buyer") == "" {
		t.Fatal("the issued invoice did not outlive the purge")
	}
	w := record(t, s.App, "workspaces", ws)
	issueYear, _ := time.Parse("2006-01-02", kept.GetString("issue_date"))
	holdUntil := time.Date(issueYear.Year()+11, 1, 1, 0, 0, 0, 0, time.UTC)
	if w.GetString("name") != "Deleted workspace" || w.GetString("iban") != "" || w.GetString("vat_id") != "" ||
		!w.GetDateTime("legal_hold_until").Time().Equal(holdUntil) {
		t.Fatalf("tombstone: name %q, iban %q, legal hold %v (want %v)", w.GetString("name"), w.GetString("iban"),
			w.GetDateTime("legal_hold_until"), holdUntil)
	}

	// when the retention ends, the invoice and then the workspace go
	report, err = privacy.RunRetention(s.App, retentionConfig(), holdUntil.Add(-time.Minute))
	if err != nil || report[privacy.JobInvoices] != 0 {
		t.Fatalf("a minute before the end of retention: %v %v", report, err)
	}
	report, err = privacy.RunRetention(s.App, retentionConfig(), holdUntil)
	if err != nil || report[privacy.JobInvoices] != 1 || report[privacy.JobWorkspacesDeleted] != 1 {
		t.Fatalf("at the end of retention: %v %v", report, err)
	}
	if record(t, s.App, "invoices", invoice) != nil || record(t, s.App, "workspaces", ws) != nil {
		t.Fatal("the invoice or the workspace outlived the retention")
	}
}

// sentProposal creates a proposal and sends it, so that it has an audit
// trail its hooks refuse to delete.
func sentProposal(t *testing.T, s *testserver.Server, u testserver.User, ws, client string) string {
	t.Helper()
	id := s.Create(t, u, "proposals", map[string]any{"workspace": ws, "client": client, "title": "Offer",
		"lines": []any{testserver.Line("Work", "1", "100")}}).String("id")
	s.Must(t, u.Token, http.MethodPost, "/api/kontor/proposals/"+id+"/send", nil)
	return id
}
