package invoicing_test

import (
	"net/http"
	"testing"

	"github.com/kontor-app/kontor/internal/testserver"
)

// On an issued invoice a writer may stop and resume its reminders, and
// change nothing else with it; a viewer may not; the last reminder level
// sent is the server's to write, on drafts and issued invoices alike.
func TestStopRemindersOnAnIssuedInvoice(t *testing.T) {
	s := testserver.New(t)
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Ana GmbH")
	viewer := s.SignUp(t, "viewer@example.com")
	s.Create(t, owner, "memberships", map[string]any{"workspace": ws, "user": viewer.ID, "role": "viewer"})
	client := s.Client(t, owner, ws, nil)
	draft := s.Draft(t, owner, ws, client, testserver.Line("Consulting", "1", "100"))
	issued := s.Draft(t, owner, ws, client, testserver.Line("Consulting", "1", "100"))
	if r := s.Issue(t, owner, issued); r.Status != 200 {
		t.Fatalf("issue: %s", r.Raw)
	}
	path := func(id string) string { return "/api/collections/invoices/records/" + id }

	cases := []struct {
		name   string
		user   testserver.User
		id     string
		body   map[string]any
		status int
	}{
		{"stop", owner, issued, map[string]any{"reminders_stopped": true}, 200},
		{"resume", owner, issued, map[string]any{"reminders_stopped": false}, 200},
		{"stop and edit", owner, issued, map[string]any{"reminders_stopped": true, "notes": "changed"}, 400},
		{"stop and resend a field", owner, issued, map[string]any{"reminders_stopped": true, "notes": ""}, 400},
		{"level", owner, issued, map[string]any{"reminder_level": 2}, 400},
		{"viewer", viewer, issued, map[string]any{"reminders_stopped": true}, 404},
		{"stop a draft", owner, draft, map[string]any{"reminders_stopped": true}, 200},
		{"level of a draft", owner, draft, map[string]any{"reminder_level": 2}, 400},
	}
	for _, c := range cases {
		r := s.Do(t, c.user.Token, http.MethodPatch, path(c.id), c.body)
		if r.Status != c.status && !(c.status == 404 && r.Status == 403) {
			t.Errorf("%s: %d %s, want %d", c.name, r.Status, r.Raw, c.status)
		}
	}
	r := s.Must(t, owner.Token, http.MethodPatch, path(issued), map[string]any{"reminders_stopped": true})
	if r.String("reminders_stopped") != "true" || r.String("status") != "issued" || r.String("notes") != "" || r.String("reminder_level") != "0" {
		t.Errorf("after stopping: %s", r.Raw)
	}

	// the server records the level sent on an issued invoice
	record, err := s.App.FindRecordById("invoices", issued)
	if err != nil {
		t.Fatal(err)
	}
	record.Set("reminder_level", 2)
	if err := s.App.Save(record); err != nil {
		t.Errorf("the server could not record a reminder level: %v", err)
	}
}
