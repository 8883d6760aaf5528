package consent_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/hooks/consent"
)

// A user reads their own decisions, touchpoints and objections, through
// the record API and the attribution route, and nobody else's.
func TestOwnRowsOnly(t *testing.T) {
	s := newServer(t)
	ada := s.browser("own-rows-ada")
	ada.decide(t, consent.Analytics, consent.Advertising)
	ada.land(t, "https://kontor.example/?gclid=ADA&utm_source=ada", "")
	ada.signUp(t, "ada@example.com")
	ada.decide(t, consent.Analytics, consent.Advertising)
	object(t, ada, true)

	bob := s.browser("own-rows-bob")
	bob.decide(t, consent.Analytics)
	bob.land(t, "https://kontor.example/?utm_source=bob", "")
	bob.signUp(t, "bob@example.com")
	bob.decide(t, consent.Analytics)
	object(t, bob, false)

	guest := s.browser("own-rows-guest")
	for _, c := range []string{consent.Consents, consent.Touchpoints, consent.Objections} {
		t.Run(c, func(t *testing.T) {
			list := ada.do(t, http.MethodGet, "/api/collections/"+c+"/records", nil)
			if list.status != http.StatusOK || list.str("totalItems") != "1" {
				t.Fatalf("ada lists %s: %d %s", c, list.status, list.raw)
			}
			if strings.Contains(string(list.raw), "bob") {
				t.Errorf("ada sees bob's rows: %s", list.raw)
			}
			for _, r := range s.records(t, c, nil) {
				if r.GetString("user") != bob.userID(t, s, "bob@example.com") {
					continue
				}
				if v := ada.do(t, http.MethodGet, "/api/collections/"+c+"/records/"+r.Id, nil); v.status != http.StatusNotFound {
					t.Errorf("ada views bob's %s: %d", c, v.status)
				}
				if v := bob.do(t, http.MethodGet, "/api/collections/"+c+"/records/"+r.Id, nil); v.status != http.StatusOK {
					t.Errorf("bob views his %s: %d", c, v.status)
				}
			}
			if g := guest.do(t, http.MethodGet, "/api/collections/"+c+"/records", nil); g.status != http.StatusOK || g.str("totalItems") != "0" {
				t.Errorf("a guest lists %s: %d %s", c, g.status, g.raw)
			}
		})
	}

	a := ada.do(t, http.MethodGet, "/api/kontor/attribution", nil)
	if a.status != http.StatusOK {
		t.Fatalf("%d %s", a.status, a.raw)
	}
	consents := a.body["consents"].([]any)
	touchpoints := a.body["touchpoints"].([]any)
	if len(consents) != 2 || len(touchpoints) != 1 || a.str("objected") != "true" || a.str("first_gclid") != "ADA" ||
		a.str("advertising_allowed") != "false" || a.str("reason") != consent.ReasonObjected {
		t.Errorf("ada's attribution: %s", a.raw)
	}
	if strings.Contains(string(a.raw), "bob") || strings.Contains(string(a.raw), "own-rows-bob") {
		t.Errorf("ada's attribution shows bob's: %s", a.raw)
	}
	for _, path := range []string{"/api/kontor/attribution", "/api/kontor/attribution/objection"} {
		method := http.MethodGet
		var body any
		if strings.HasSuffix(path, "objection") {
			method, body = http.MethodPost, map[string]any{"objected": true}
		}
		if r := guest.do(t, method, path, body); r.status != http.StatusUnauthorized {
			t.Errorf("a guest at %s: %d %s", path, r.status, r.raw)
		}
	}
}

// Objecting and withdrawing are recorded, mirrored on the user and shown.
func TestObjectionRecorded(t *testing.T) {
	s := newServer(t)
	b := s.browser("objection-browser")
	userID := b.signUp(t, "ada@example.com")

	if r := b.do(t, http.MethodPost, "/api/kontor/attribution/objection", map[string]any{}); r.status != http.StatusBadRequest ||
		!strings.Contains(r.str("data"), "objected") {
		t.Errorf("no choice: %d %s", r.status, r.raw)
	}
	if r := b.do(t, http.MethodPost, "/api/kontor/attribution/objection", map[string]any{"objected": "yes"}); r.status != http.StatusBadRequest {
		t.Errorf("not a bool: %d %s", r.status, r.raw)
	}
	if n := s.count(t, consent.Objections); n != 0 {
		t.Fatalf("%d objections from bad requests", n)
	}

	for i, objected := range []bool{true, false, true} {
		r := object(t, b, objected)
		user, _ := s.app.FindRecordById("users", userID)
		rows := s.records(t, consent.Objections, nil)
		if len(rows) != i+1 || rows[i].GetBool("objected") != objected || rows[i].GetString("user") != userID ||
			user.GetBool("attribution_objected") != objected {
			t.Errorf("step %d: %d rows, user objects: %v", i, len(rows), user.GetBool("attribution_objected"))
		}
		if got := r.body["objections"].([]any); len(got) != i+1 || r.str("objected") != map[bool]string{true: "true", false: "false"}[objected] {
			t.Errorf("step %d: answer %s", i, r.raw)
		}
	}
}
