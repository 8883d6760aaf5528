package consent_test

import (
	"testing"
	"time"

	"github.com/kontor-app/kontor/hooks/consent"
)

// The purge deletes exactly the anonymous touchpoints older than 90 days,
// and nothing more when run again.
func TestPurgeTouchpoints(t *testing.T) {
	s := newServer(t)
	now := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)

	anon := s.browser("purge-anonymous")
	anon.decide(t, consent.Analytics)
	known := s.browser("purge-known")
	known.decide(t, consent.Analytics)
	for range 4 {
		anon.land(t, "https://kontor.example/", "")
		known.land(t, "https://kontor.example/", "")
	}
	known.signUp(t, "ada@example.com")

	ages := []struct {
		age     time.Duration
		removed bool
	}{
		{consent.Retention + 24*time.Hour, true},
		{consent.Retention + time.Second, true},
		{consent.Retention - time.Second, false},
		{time.Hour, false},
	}
	wantLeft := map[string]bool{}
	tps := s.records(t, consent.Touchpoints, nil)
	var anonymous, linked int
	for _, tp := range tps {
		if tp.GetString("user") == "" {
			a := ages[anonymous]
			anonymous++
			s.backdate(t, consent.Touchpoints, tp.Id, now.Add(-a.age))
			if !a.removed {
				wantLeft[tp.Id] = true
			}
			continue
		}
		// linked to a user: kept however old
		s.backdate(t, consent.Touchpoints, tp.Id, now.Add(-time.Duration(linked+1)*consent.Retention*2))
		linked++
		wantLeft[tp.Id] = true
	}
	if anonymous != 4 || linked != 4 {
		t.Fatalf("%d anonymous, %d linked touchpoints", anonymous, linked)
	}

	for run, want := range []int{2, 0} {
		n, err := consent.PurgeTouchpoints(s.app, now)
		if err != nil || n != want {
			t.Fatalf("run %d: deleted %d, %v; want %d", run, n, err, want)
		}
		left := s.records(t, consent.Touchpoints, nil)
		if len(left) != len(wantLeft) {
			t.Fatalf("run %d: %d left, want %d", run, len(left), len(wantLeft))
		}
		for _, tp := range left {
			if !wantLeft[tp.Id] {
				t.Errorf("run %d: %s should be gone", run, tp.Id)
			}
		}
	}
}
