package privacy_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/kontor-app/kontor/hooks/privacy"
)

// A request is checked before anything is written, gets its one-month
// deadline, and is seen by its user and by superusers only.
func TestRequestsAreValidatedAndCarryTheirDeadline(t *testing.T) {
	s := newServer(t)
	ada := s.SignUp(t, "ada@example.com")
	bob := s.SignUp(t, "bob@example.com")
	root := superuser(t, s.App)

	for _, c := range []struct {
		name, token, typ, details, field string
		status                           int
	}{
		{"guest", "", "access", "", "", http.StatusUnauthorized},
		{"superuser", root, "access", "", "", http.StatusUnauthorized},
		{"no type", ada.Token, "", "", "type", http.StatusBadRequest},
		{"unknown type", ada.Token, "delete_everything", "", "type", http.StatusBadRequest},
		{"rectification without details", ada.Token, "rectification", "  ", "details", http.StatusBadRequest},
		{"objection without details", ada.Token, "objection", "", "details", http.StatusBadRequest},
		{"details too long", ada.Token, "objection", string(make([]rune, 2001)), "details", http.StatusBadRequest},
	} {
		got := s.Do(t, c.token, http.MethodPost, "/api/kontor/privacy/requests", map[string]any{"type": c.typ, "details": c.details})
		if got.Status != c.status || (c.field != "" && got.String("data."+c.field+".message") == "") {
			t.Errorf("%s: %d %s", c.name, got.Status, got.Raw)
		}
	}
	if n := count(t, s.App, "privacy_requests", nil); n != 0 {
		t.Fatalf("refused requests wrote %d rows", n)
	}

	rect := request(t, s, ada, "rectification", "My company name is misspelt on invoice INV-1.")
	if rect.Status != http.StatusCreated || rect.String("status") != "open" {
		t.Fatalf("rectification: %d %s", rect.Status, rect.Raw)
	}
	received, _ := time.Parse("2006-01-02 15:04:05.000Z", rect.String("received"))
	due, _ := time.Parse("2006-01-02 15:04:05.000Z", rect.String("due"))
	if !due.Equal(privacy.Due(received)) || !due.Equal(received.AddDate(0, 1, 0)) {
		t.Fatalf("received %v, due %v", received, due)
	}
	withdrawal := request(t, s, bob, "consent_withdrawal", "Stop the newsletter.")
	if withdrawal.Status != http.StatusCreated {
		t.Fatalf("withdrawal: %d %s", withdrawal.Status, withdrawal.Raw)
	}
	set(t, s.App, "privacy_requests", withdrawal.String("id"), map[string]any{"due": stamp(time.Now().Add(-time.Hour))})

	// each user sees their own
	mine := s.Must(t, ada.Token, http.MethodGet, "/api/kontor/privacy/requests", nil)
	if mine.String("items.0.id") != rect.String("id") || mine.String("items.1.id") != "" {
		t.Fatalf("Ada's requests: %s", mine.Raw)
	}
	if got := s.Must(t, bob.Token, http.MethodGet, "/api/collections/privacy_requests/records", nil); got.String("totalItems") != "1" ||
		got.String("items.0.id") != withdrawal.String("id") {
		t.Fatalf("Bob's requests through the record API: %s", got.Raw)
	}
	if got := s.Do(t, bob.Token, http.MethodGet, "/api/collections/privacy_requests/records/"+rect.String("id"), nil); got.Status != http.StatusNotFound {
		t.Fatalf("Bob reads Ada's request: %d", got.Status)
	}
	if got := s.Do(t, ada.Token, http.MethodPatch, "/api/collections/privacy_requests/records/"+rect.String("id"),
		map[string]any{"status": "completed"}); got.Status != http.StatusForbidden && got.Status != http.StatusNotFound {
		t.Fatalf("Ada completes her own request: %d", got.Status)
	}
	if got := s.Do(t, "", http.MethodGet, "/api/kontor/privacy/requests", nil); got.Status != http.StatusUnauthorized {
		t.Fatalf("guest lists: %d", got.Status)
	}

	// superusers see every open request, the overdue one first
	all := s.Must(t, root, http.MethodGet, "/api/kontor/privacy/requests", nil)
	if all.String("items.0.id") != withdrawal.String("id") || all.String("items.0.overdue") != "true" ||
		all.String("items.0.email") != bob.Email || all.String("items.1.id") != rect.String("id") ||
		all.String("items.1.overdue") != "false" || all.String("items.2.id") != "" {
		t.Fatalf("open requests: %s", all.Raw)
	}
	s.Must(t, ada.Token, http.MethodPost, "/api/kontor/privacy/requests/"+rect.String("id")+"/cancel", nil)
	all = s.Must(t, root, http.MethodGet, "/api/kontor/privacy/requests", nil)
	if all.String("items.1.id") != "" {
		t.Fatalf("a cancelled request is still open: %s", all.Raw)
	}
}
