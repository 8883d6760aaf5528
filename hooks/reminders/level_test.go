package reminders

import (
	"testing"
	"time"
)

// Each level is due from 08:00 UTC on its day, and only the highest level
// due is sent: after downtime, one reminder, not one per missed level.
func TestLevelDue(t *testing.T) {
	days := []int{3, 10, 20}
	cases := []struct {
		due, now string
		want     int
	}{
		{"2031-03-01", "2031-03-01T12:00Z", 0}, // the due date itself
		{"2031-03-01", "2031-03-03T23:59Z", 0},
		{"2031-03-01", "2031-03-04T07:59Z", 0}, // the day of level 1, before 08:00
		{"2031-03-01", "2031-03-04T08:00Z", 1},
		{"2031-03-01", "2031-03-10T23:59Z", 1},
		{"2031-03-01", "2031-03-11T08:00Z", 2},
		{"2031-03-01", "2031-03-21T08:00Z", 3},
		{"2031-03-01", "2031-06-01T08:00Z", 3}, // weeks of downtime: the last level only
		{"2031-02-26", "2031-03-01T08:00Z", 1}, // across the end of February
		{"2031-12-30", "2032-01-09T08:00Z", 2}, // across the year
		{"2031-03-01", "2031-02-20T08:00Z", 0}, // not due yet
	}
	for _, c := range cases {
		if got := levelDue(date(c.due), days, date(c.now)); got != c.want {
			t.Errorf("due %s, now %s: level %d, want %d", c.due, c.now, got, c.want)
		}
	}
	if got := levelDue(date("2031-03-01"), []int{1}, date("2031-03-02T08:00Z")); got != 1 {
		t.Errorf("one level: %d", got)
	}
	if got := levelDue(date("2031-03-01"), nil, date("2032-01-01T00:00Z")); got != 0 {
		t.Errorf("no levels: %d", got)
	}
	if SendFrom != 8*time.Hour {
		t.Errorf("SendFrom %v", SendFrom)
	}
}
