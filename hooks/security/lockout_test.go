package security_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"github.com/kontor-app/kontor/hooks/security"
)

const (
	attackerIP = "203.0.113.66"
	ownerIP    = "198.51.100.7"
)

// Five wrong passwords from one IP lock that account from that IP: even
// the right password is refused with 429 and Retry-After, the owner is
// told by email and the lock is logged; the owner signs in from another
// IP, others sign in from the locked one, and the lock expires by itself.
func TestLockout(t *testing.T) {
	s := newServer(t, behindProxy)
	ada := s.SignUp(t, "ada@example.com")
	s.SignUp(t, "bob@example.com")

	for i := 1; i <= security.DefaultLockoutFailures; i++ {
		if r := s.signIn(t, "ada@example.com", "wrong password "+strconv.Itoa(i), attackerIP); r.Status != http.StatusBadRequest {
			t.Fatalf("failure %d: %d %s", i, r.Status, r.Raw)
		}
	}
	r := s.signIn(t, "ada@example.com", password, attackerIP)
	if r.Status != http.StatusTooManyRequests {
		t.Fatalf("locked pair with the right password: %d %s", r.Status, r.Raw)
	}
	retry, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || retry < 890 || retry > 900 {
		t.Errorf("Retry-After %q", r.Header.Get("Retry-After"))
	}
	if r.String("token") != "" || !strings.Contains(r.String("message"), "Try again in 15 minutes") {
		t.Errorf("answer %s", r.Raw)
	}

	cases := []struct {
		name, identity, ip string
		status             int
	}{
		{"the owner from another IP", "ada@example.com", ownerIP, http.StatusOK},
		{"another account from the locked IP", "bob@example.com", attackerIP, http.StatusOK},
	}
	for _, c := range cases {
		if r := s.signIn(t, c.identity, password, c.ip); r.Status != c.status {
			t.Errorf("%s: %d %s", c.name, r.Status, r.Raw)
		}
	}

	locks := s.records(t, security.Locks, nil)
	if len(locks) != 1 || locks[0].GetString("scope") != security.ScopeAccount || locks[0].GetString("user") != ada.ID ||
		locks[0].GetString("ip") != attackerIP || locks[0].GetInt("failures") != security.DefaultLockoutFailures {
		t.Fatalf("locks: %v", locks)
	}
	events := s.records(t, security.Events, nil)
	if len(events) != 1 || events[0].GetString("type") != security.EventAccountLocked || events[0].GetString("user") != ada.ID ||
		events[0].GetString("ip") != attackerIP || events[0].GetString("user_agent") != "kontor-test/1.0" {
		t.Fatalf("events: %v", events)
	}
	mails := s.records(t, "outbox", dbx.HashExp{"idempotency_key": "account_locked:" + locks[0].Id})
	if len(mails) != 1 {
		t.Fatalf("%d lock emails", len(mails))
	}
	var email struct {
		To       []string `json:"to"`
		Subject  string   `json:"subject"`
		Text     string   `json:"text"`
		Template string   `json:"template"`
	}
	if err := json.Unmarshal([]byte(mails[0].GetString("payload")), &email); err != nil {
		t.Fatal(err)
	}
	if len(email.To) != 1 || email.To[0] != "ada@example.com" || !strings.Contains(email.Text, attackerIP) ||
		email.Subject != "Sign-ins to your Kontor account were paused" {
		t.Errorf("email: %+v", email)
	}

	// the cool-off ends
	s.set(t, security.Locks, locks[0].Id, dbx.Params{"until": dbTime(time.Now().Add(-time.Second))})
	if r := s.signIn(t, "ada@example.com", "wrong again", attackerIP); r.Status != http.StatusBadRequest {
		t.Errorf("after expiry, a wrong password: %d (the count starts again)", r.Status)
	}
	if r := s.signIn(t, "ada@example.com", password, attackerIP); r.Status != http.StatusOK {
		t.Errorf("after expiry: %d %s", r.Status, r.Raw)
	}
	// a success clears the pair's failures
	if n := len(s.records(t, security.Failures, dbx.HashExp{"ip": attackerIP})); n != 0 {
		t.Errorf("%d failures left after a success", n)
	}
}

// An account that does not exist is counted and locked the same way, so
// the answers do not tell which accounts exist.
func TestLockoutUnknownAccount(t *testing.T) {
	s := newServer(t, behindProxy)
	for i := 0; i < security.DefaultLockoutFailures; i++ {
		if r := s.signIn(t, "nobody@example.com", "guess", attackerIP); r.Status != http.StatusBadRequest {
			t.Fatalf("failure %d: %d", i, r.Status)
		}
	}
	if r := s.signIn(t, "nobody@example.com", "guess", attackerIP); r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Fatalf("unknown account: %d %s", r.Status, r.Raw)
	}
	if n := len(s.records(t, "outbox", nil)); n != 0 {
		t.Errorf("%d emails for an unknown account", n)
	}
}

// Many failures from one IP across accounts lock the whole IP, and only
// it; superusers are guarded too.
func TestIPLockout(t *testing.T) {
	s := newServer(t, with(behindProxy, map[string]string{"KONTOR_LOCKOUT_FAILURES": "3", "KONTOR_LOCKOUT_IP_FAILURES": "6"}))
	s.SignUp(t, "ada@example.com")
	s.superuser(t, "root@example.com")

	for i := 0; i < 6; i++ {
		if r := s.signIn(t, "guess"+strconv.Itoa(i)+"@example.com", "x", attackerIP); r.Status != http.StatusBadRequest {
			t.Fatalf("failure %d: %d", i, r.Status)
		}
	}
	cases := []struct {
		name, collection, identity, ip string
		status                         int
	}{
		{"any account from the IP", "users", "ada@example.com", attackerIP, http.StatusTooManyRequests},
		{"a superuser from the IP", "_superusers", "root@example.com", attackerIP, http.StatusTooManyRequests},
		{"from another IP", "users", "ada@example.com", ownerIP, http.StatusOK},
	}
	for _, c := range cases {
		if r := s.signInTo(t, c.collection, c.identity, password, c.ip); r.Status != c.status {
			t.Errorf("%s: %d %s", c.name, r.Status, r.Raw)
		}
	}
	locks := s.records(t, security.Locks, nil)
	if len(locks) != 1 || locks[0].GetString("scope") != security.ScopeIP || locks[0].GetString("ip") != attackerIP {
		t.Fatalf("locks: %v", locks)
	}
	if ev := s.records(t, security.Events, dbx.HashExp{"type": security.EventIPLocked}); len(ev) != 1 {
		t.Errorf("%d ip_locked events", len(ev))
	}

	// a superuser's own account+IP pair locks like a user's
	for i := 0; i < 3; i++ {
		s.signInTo(t, "_superusers", "root@example.com", "wrong", ownerIP)
	}
	if r := s.signInTo(t, "_superusers", "root@example.com", password, ownerIP); r.Status != http.StatusTooManyRequests {
		t.Errorf("superuser pair: %d", r.Status)
	}
}

// Without a trusted proxy, X-Forwarded-For is a client's claim and is
// ignored: an attacker cannot spread guesses over invented IPs, nor lock
// someone else's IP.
func TestLockoutIgnoresSpoofedForwardedFor(t *testing.T) {
	s := newServer(t, nil)
	s.SignUp(t, "ada@example.com")
	for i := 0; i < security.DefaultLockoutFailures; i++ {
		s.signIn(t, "ada@example.com", "wrong", "203.0.113."+strconv.Itoa(i+1))
	}
	if r := s.signIn(t, "ada@example.com", password, "203.0.113.99"); r.Status != http.StatusTooManyRequests {
		t.Fatalf("guesses from invented IPs were not counted together: %d", r.Status)
	}
	locks := s.records(t, security.Locks, nil)
	if len(locks) != 1 || locks[0].GetString("ip") != "127.0.0.1" {
		t.Fatalf("locks: %v", locks)
	}
}

// What was typed for an unknown account (perhaps a password in the wrong
// field) is not stored.
func TestLockoutKeepsNoUnknownIdentity(t *testing.T) {
	s := newServer(t, behindProxy)
	const typed = "MySecretPassw0rd!"
	for i := 0; i < security.DefaultLockoutFailures; i++ {
		s.signIn(t, typed, "x", attackerIP)
	}
	for _, col := range []string{security.Failures, security.Locks, security.Events} {
		for _, r := range s.records(t, col, nil) {
			raw, _ := json.Marshal(r.FieldsData())
			if strings.Contains(strings.ToLower(string(raw)), strings.ToLower(typed)) {
				t.Errorf("%s keeps what was typed: %s", col, raw)
			}
		}
	}
	if n := len(s.records(t, security.Locks, nil)); n != 1 {
		t.Errorf("%d locks", n)
	}
}
