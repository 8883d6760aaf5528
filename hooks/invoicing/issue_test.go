package invoicing_test

import (
	"net/http"
	"testing"

	"github.com/kontor-app/kontor/internal/testserver"
)

func TestIssueSmoke(t *testing.T) {
	s := testserver.New(t)
	u := s.SignUp(t, "ana@example.com")
	ws := s.Workspace(t, u, "Ana GmbH")
	client := s.Client(t, u, ws, nil)
	id := s.Draft(t, u, ws, client, testserver.Line("Consulting", "10", "99.995"))
	r := s.Issue(t, u, id)
	t.Logf("%d %s", r.Status, r.Raw)
	if r.Status != http.StatusOK {
		t.Fatal(r.Status)
	}
}
