package security_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/kontor-app/kontor/hooks/security"
)

// With KONTOR_RATE_LIMIT=on, PocketBase's rate limiter applies Kontor's
// rules per client IP, as the trusted proxy gives it: one client is
// throttled, another is not; off turns it off.
func TestRateLimit(t *testing.T) {
	lax := map[string]string{"KONTOR_LOCKOUT_FAILURES": "100", "KONTOR_LOCKOUT_IP_FAILURES": "1000"}
	s := newServer(t, with(behindProxy, lax, map[string]string{"KONTOR_RATE_LIMIT": "on"}))
	if rl := s.App.Settings().RateLimits; !rl.Enabled || len(rl.Rules) != len(security.DefaultRateLimitRules) {
		t.Fatalf("settings: %+v", rl)
	}
	auth := security.DefaultRateLimitRules[0]
	for i := 0; i < auth.MaxRequests; i++ {
		if r := s.signIn(t, "nobody"+strconv.Itoa(i)+"@example.com", "x", attackerIP); r.Status != http.StatusBadRequest {
			t.Fatalf("attempt %d: %d %s", i, r.Status, r.Raw)
		}
	}
	if r := s.signIn(t, "nobody@example.com", "x", attackerIP); r.Status != http.StatusTooManyRequests {
		t.Errorf("over the limit: %d", r.Status)
	}
	if r := s.signIn(t, "nobody@example.com", "x", ownerIP); r.Status != http.StatusBadRequest {
		t.Errorf("another client: %d", r.Status)
	}

	off := newServer(t, with(behindProxy, lax, map[string]string{"KONTOR_RATE_LIMIT": "off"}))
	if off.App.Settings().RateLimits.Enabled {
		t.Fatal("off: the limiter is on")
	}
	for i := 0; i <= auth.MaxRequests; i++ {
		if r := off.signIn(t, "nobody@example.com", "x", attackerIP); r.Status != http.StatusBadRequest {
			t.Fatalf("off, attempt %d: %d", i, r.Status)
		}
	}
}
