package security_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/dbx"

	"github.com/kontor-app/kontor/hooks/security"
)

// Only a superuser lifts a lock; the lift is logged with who did it, and
// the owner signs in again at once.
func TestLiftLock(t *testing.T) {
	s := newServer(t, behindProxy)
	ada := s.SignUp(t, "ada@example.com")
	root := s.superuser(t, "root@example.com")
	for i := 0; i < security.DefaultLockoutFailures; i++ {
		s.signIn(t, "ada@example.com", "wrong", attackerIP)
	}
	locks := s.records(t, security.Locks, nil)
	if len(locks) != 1 {
		t.Fatalf("%d locks", len(locks))
	}
	path := "/api/kontor/security/locks/" + locks[0].Id

	cases := []struct {
		name, token, path string
		status            int
	}{
		{"guest", "", path, http.StatusUnauthorized},
		{"the user", ada.Token, path, http.StatusForbidden},
		{"no such lock", root, "/api/kontor/security/locks/nosuchlock12345", http.StatusNotFound},
		{"a user through the record API", ada.Token, "/api/collections/login_locks/records/" + locks[0].Id, http.StatusForbidden},
		{"superuser", root, path, http.StatusNoContent},
		{"again", root, path, http.StatusNotFound},
	}
	for _, c := range cases {
		if r := s.Do(t, c.token, http.MethodDelete, c.path, nil); r.Status != c.status {
			t.Errorf("%s: %d %s", c.name, r.Status, r.Raw)
		}
	}
	if r := s.signIn(t, "ada@example.com", password, attackerIP); r.Status != http.StatusOK {
		t.Errorf("after the lift: %d", r.Status)
	}
	lifts := s.records(t, security.Events, dbx.HashExp{"type": security.EventLockLifted})
	if len(lifts) != 1 || lifts[0].GetString("user") != ada.ID {
		t.Fatalf("lift events: %v", lifts)
	}
	details := map[string]any{}
	if err := lifts[0].UnmarshalJSONField("details", &details); err != nil || details["lock"] != locks[0].Id ||
		details["locked_ip"] != attackerIP || details["by"] == "" || details["by"] == nil {
		t.Errorf("details %v %v", details, err)
	}

	// through the dashboard (the record API), a lift is logged too
	for i := 0; i < security.DefaultLockoutFailures; i++ {
		s.signIn(t, "ada@example.com", "wrong", attackerIP)
	}
	again := s.records(t, security.Locks, nil)
	if len(again) != 1 {
		t.Fatalf("%d locks", len(again))
	}
	s.Must(t, root, http.MethodDelete, "/api/collections/login_locks/records/"+again[0].Id, nil)
	if n := len(s.records(t, security.Events, dbx.HashExp{"type": security.EventLockLifted})); n != 2 {
		t.Errorf("%d lift events after a dashboard lift", n)
	}
}

// A user reads their own security events and nobody else's; failures and
// locks are for superusers only; nobody changes the log.
func TestSecurityLogAccess(t *testing.T) {
	s := newServer(t, behindProxy)
	ada := s.SignUp(t, "ada@example.com")
	bob := s.SignUp(t, "bob@example.com")
	root := s.superuser(t, "root@example.com")
	for i := 0; i < security.DefaultLockoutFailures; i++ {
		s.signIn(t, "ada@example.com", "wrong", attackerIP)
	}
	event := s.records(t, security.Events, nil)[0]
	one := "/api/collections/security_events/records/" + event.Id
	list := "/api/collections/security_events/records"

	cases := []struct {
		name, token, method, path string
		body                      map[string]any
		status                    int
		items                     int // for lists, -1 for none
	}{
		{"the user lists theirs", ada.Token, http.MethodGet, list, nil, http.StatusOK, 1},
		{"the user reads theirs", ada.Token, http.MethodGet, one, nil, http.StatusOK, -1},
		{"another user lists", bob.Token, http.MethodGet, list, nil, http.StatusOK, 0},
		{"another user reads it", bob.Token, http.MethodGet, one, nil, http.StatusNotFound, -1},
		{"a guest lists", "", http.MethodGet, list, nil, http.StatusOK, 0},
		{"a guest reads it", "", http.MethodGet, one, nil, http.StatusNotFound, -1},
		{"the user writes one", ada.Token, http.MethodPost, list, map[string]any{"type": "lock_lifted", "user": ada.ID}, http.StatusForbidden, -1},
		{"the user deletes theirs", ada.Token, http.MethodDelete, one, nil, http.StatusForbidden, -1},
		{"a superuser changes it", root, http.MethodPatch, one, map[string]any{"ip": "10.0.0.1"}, http.StatusBadRequest, -1},
		{"the user lists failures", ada.Token, http.MethodGet, "/api/collections/login_failures/records", nil, http.StatusForbidden, -1},
		{"the user lists locks", ada.Token, http.MethodGet, "/api/collections/login_locks/records", nil, http.StatusForbidden, -1},
		{"a superuser lists locks", root, http.MethodGet, "/api/collections/login_locks/records", nil, http.StatusOK, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var body any
			if c.body != nil {
				body = c.body
			}
			r := s.Do(t, c.token, c.method, c.path, body)
			if r.Status != c.status {
				t.Fatalf("%d %s", r.Status, r.Raw)
			}
			if c.items >= 0 {
				if items, _ := r.Body["items"].([]any); len(items) != c.items {
					t.Errorf("%d items: %s", len(items), r.Raw)
				}
			}
		})
	}
	if got := s.records(t, security.Events, nil)[0]; got.GetString("ip") != attackerIP {
		t.Errorf("the event changed: %v", got)
	}
}
