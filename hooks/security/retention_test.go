package security_test

import (
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"github.com/kontor-app/kontor/hooks/security"
)

// The daily job truncates the IPs of security events older than 14 days,
// deletes old failures and expired old locks, and changes nothing more
// when run again.
func TestRetain(t *testing.T) {
	s := newServer(t, behindProxy)
	s.SignUp(t, "ada@example.com")
	now := time.Now().UTC()

	for _, ip := range []string{"203.0.113.77", "2001:db8:85a3:8d3:1319:8a2e:370:7348", "198.51.100.5"} {
		if err := security.LogEvent(s.App, security.Event{Type: security.EventIPLocked, IP: ip}); err != nil {
			t.Fatal(err)
		}
	}
	events := s.records(t, security.Events, nil)
	s.set(t, security.Events, events[0].Id, dbx.Params{"created": dbTime(now.Add(-security.Retention - time.Hour))})
	s.set(t, security.Events, events[1].Id, dbx.Params{"created": dbTime(now.Add(-security.Retention - time.Minute))})
	// events[2] is recent and keeps its IP

	for i := 0; i < 3; i++ {
		s.signIn(t, "ada@example.com", "wrong", attackerIP)
	}
	failures := s.records(t, security.Failures, nil)
	s.set(t, security.Failures, failures[0].Id, dbx.Params{"created": dbTime(now.Add(-security.Retention - time.Hour))})

	for i := 0; i < security.DefaultLockoutFailures; i++ {
		s.signIn(t, "ada@example.com", "wrong", ownerIP)
	}
	locks := s.records(t, security.Locks, nil)
	if len(locks) != 1 {
		t.Fatalf("%d locks", len(locks))
	}
	s.set(t, security.Locks, locks[0].Id, dbx.Params{"created": dbTime(now.Add(-security.Retention - time.Hour)),
		"until": dbTime(now.Add(-time.Hour))})

	want := []security.Retained{{Truncated: 2, Failures: 1, Locks: 1}, {}}
	for run, w := range want {
		got, err := security.Retain(s.App, now)
		if err != nil || got != w {
			t.Fatalf("run %d: %+v, %v; want %+v", run, got, err, w)
		}
	}
	ips := map[string]bool{}
	for _, e := range s.records(t, security.Events, nil) {
		ips[e.GetString("ip")] = e.GetBool("ip_truncated")
	}
	for ip, truncated := range map[string]bool{"203.0.113.0": true, "2001:db8:85a3::": true, "198.51.100.5": false} {
		if got, ok := ips[ip]; !ok || got != truncated {
			t.Errorf("IP %s: present %v, truncated %v (%v)", ip, ok, got, ips)
		}
	}
	if n := len(s.records(t, security.Failures, nil)); n != 2 {
		t.Errorf("%d failures left, want the 2 recent ones", n)
	}
}
