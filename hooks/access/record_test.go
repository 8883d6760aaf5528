package access_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/kontor-app/kontor/hooks/access"
	"github.com/kontor-app/kontor/internal/testserver"
)

// RequireRecordWith reads the record, the role and the extra columns in
// one statement, and answers as Require does: 401 for a guest, 404 for a
// record that does not exist or of another workspace, 403 for a role too
// low, and otherwise the record as PocketBase reads it.
func TestRequireRecordWith(t *testing.T) {
	s := testserver.New(t)
	owner := s.SignUp(t, "owner@example.com")
	viewer := s.SignUp(t, "viewer@example.com")
	stranger := s.SignUp(t, "stranger@example.com")
	ws := s.Workspace(t, owner, "Müller GmbH")
	s.Workspace(t, stranger, "Other GmbH")
	s.Create(t, owner, "memberships", map[string]any{"workspace": ws, "user": viewer.ID, "role": "viewer"})
	client := s.Client(t, owner, ws, nil)
	draft := s.Draft(t, owner, ws, client, testserver.Line("Beratung", "2", "100"))

	request := func(u *testserver.User, id string) *core.RequestEvent {
		e := &core.RequestEvent{App: s.App}
		e.Request = httptest.NewRequest(http.MethodPost, "/", nil)
		e.Request.SetPathValue("id", id)
		if u != nil {
			auth, err := s.App.FindRecordById("users", u.ID)
			if err != nil {
				t.Fatal(err)
			}
			e.Auth = auth
		}
		return e
	}
	tests := []struct {
		name   string
		user   *testserver.User
		id     string
		min    access.Role
		status int // 0: allowed
	}{
		{"guest", nil, draft, access.Viewer, http.StatusUnauthorized},
		{"owner", &owner, draft, access.Member, 0},
		{"viewer reads", &viewer, draft, access.Viewer, 0},
		{"viewer issues", &viewer, draft, access.Member, http.StatusForbidden},
		{"user of another workspace", &stranger, draft, access.Viewer, http.StatusNotFound},
		{"no such record", &owner, "nosuchrecord000", access.Viewer, http.StatusNotFound},
	}
	want, err := s.App.FindRecordById("invoices", draft)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			record, row, err := access.RequireRecordWith(request(tt.user, tt.id), "invoices", tt.min,
				"(SELECT name FROM clients WHERE id = r.client) AS client_name, ? AS given", "a value")
			if tt.status != 0 {
				var apiErr *router.ApiError
				if !errors.As(err, &apiErr) || apiErr.Status != tt.status {
					t.Fatalf("got %v, want status %d", err, tt.status)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if record.IsNew() || record.Id != draft {
				t.Fatalf("record %q, new %v", record.Id, record.IsNew())
			}
			if got, want := record.FieldsData(), want.FieldsData(); !reflect.DeepEqual(got, want) {
				t.Errorf("record fields\n got %v\nwant %v", got, want)
			}
			if got, want := record.Original().FieldsData(), want.FieldsData(); !reflect.DeepEqual(got, want) {
				t.Errorf("original fields\n got %v\nwant %v", got, want)
			}
			if row["client_name"].String != "Acme SL" || row["given"].String != "a value" {
				t.Errorf("extra columns %v", row)
			}
		})
	}
}
