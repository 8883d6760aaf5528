package consent_test

import (
	"net/http"
	"testing"

	"github.com/kontor-app/kontor/hooks/consent"
)

// AdvertisingAllowed follows the user's latest decision and objection,
// step by step.
func TestAdvertisingAllowed(t *testing.T) {
	s := newServer(t)
	b := s.browser("allowed-browser-1")
	b.decide(t, consent.Analytics) // before sign-up: anonymous, linked through the touchpoint
	b.land(t, "https://kontor.example/", "")
	userID := b.signUp(t, "ada@example.com")

	// someone else, signed in on the same browser, decides only for themself
	stranger := s.browser("allowed-browser-1")
	stranger.jar = map[string]string{}
	stranger.signUp(t, "bob@example.com")

	other := s.browser("allowed-browser-2") // the user on a second browser, signed in
	other.signIn(t, "ada@example.com")

	steps := []struct {
		name   string
		act    func(t *testing.T)
		ok     bool
		reason string
	}{
		{"analytics only, before sign-up", func(t *testing.T) {}, false, consent.ReasonRejected},
		{"accepted, signed in", func(t *testing.T) { b.decide(t, consent.Analytics, consent.Advertising) }, true, ""},
		{"a stranger rejects on the same browser", func(t *testing.T) { stranger.decide(t) }, true, ""},
		{"rejected later on another browser", func(t *testing.T) { other.decide(t, consent.Analytics) }, false, consent.ReasonRejected},
		{"accepted again, signed out", func(t *testing.T) {
			b.token = ""
			b.decide(t, consent.Advertising)
		}, true, ""},
		{"objected", func(t *testing.T) { object(t, other, true) }, false, consent.ReasonObjected},
		{"accepted while objecting", func(t *testing.T) { other.decide(t, consent.Advertising) }, false, consent.ReasonObjected},
		{"objection withdrawn", func(t *testing.T) { object(t, other, false) }, true, ""},
	}
	for _, step := range steps {
		step.act(t)
		ok, reason, err := consent.AdvertisingAllowed(s.app, userID)
		if err != nil || ok != step.ok || reason != step.reason {
			t.Errorf("%s: AdvertisingAllowed = %v, %q, %v; want %v, %q", step.name, ok, reason, err, step.ok, step.reason)
		}
	}

	for _, tc := range []struct {
		name, user string
		reason     string
	}{
		{"the stranger, who rejected", stranger.userID(t, s, "bob@example.com"), consent.ReasonRejected},
		{"no such user", "nosuchuser12345", consent.ReasonNoUser},
	} {
		ok, reason, err := consent.AdvertisingAllowed(s.app, tc.user)
		if err != nil || ok || reason != tc.reason {
			t.Errorf("%s: %v, %q, %v", tc.name, ok, reason, err)
		}
	}
	fresh := s.browser("allowed-browser-3")
	freshID := fresh.signUp(t, "carol@example.com")
	if ok, reason, err := consent.AdvertisingAllowed(s.app, freshID); ok || reason != consent.ReasonNoDecision || err != nil {
		t.Errorf("no decision: %v, %q, %v", ok, reason, err)
	}
}

// object records an objection of the browser's user.
func object(t *testing.T, b *browser, objected bool) reply {
	t.Helper()
	r := b.do(t, http.MethodPost, "/api/kontor/attribution/objection", map[string]any{"objected": objected})
	if r.status != http.StatusCreated {
		t.Fatalf("objection: %d %s", r.status, r.raw)
	}
	return r
}

// userID is the id of the user with the email.
func (b *browser) userID(t *testing.T, s *server, email string) string {
	t.Helper()
	u, err := s.app.FindAuthRecordByEmail("users", email)
	if err != nil {
		t.Fatal(err)
	}
	return u.Id
}
