package sequences

import (
	"testing"
	"time"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestParseWindow(t *testing.T) {
	for _, tc := range []struct {
		start, end string
		want       Window
		ok         bool
	}{
		{"", "", DefaultWindow, true},
		{"08:30", "12:00", Window{510, 720}, true},
		{"08:30", "", Window{510, 17 * 60}, true},
		{"17:00", "09:00", Window{}, false},
		{"9:00", "17:00", Window{}, false},
		{"24:00", "", Window{}, false},
		{"10:00", "10:00", Window{}, false},
	} {
		got, err := ParseWindow(tc.start, tc.end)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("ParseWindow(%q, %q) = %v, %v; want %v, ok %v", tc.start, tc.end, got, err, tc.want, tc.ok)
		}
	}
}

func TestDue(t *testing.T) {
	brussels := mustLoc(t, "Europe/Brussels")
	// Friday 21 November 2025, 10:00 in Brussels (09:00 UTC)
	friday := time.Date(2025, 11, 21, 10, 0, 0, 0, brussels)
	saturday := time.Date(2025, 11, 22, 10, 0, 0, 0, brussels)
	for _, tc := range []struct {
		name     string
		from     time.Time
		days     int
		hours    int
		business bool
		want     time.Time
	}{
		{"calendar day after friday is saturday", friday, 1, 0, false, saturday},
		{"business day after friday is monday", friday, 1, 0, true, time.Date(2025, 11, 24, 10, 0, 0, 0, brussels)},
		{"two business days from saturday is tuesday", saturday, 2, 0, true, time.Date(2025, 11, 25, 10, 0, 0, 0, brussels)},
		{"five business days is a week", friday, 5, 0, true, time.Date(2025, 11, 28, 10, 0, 0, 0, brussels)},
		{"hours are added after days", friday, 1, 3, true, time.Date(2025, 11, 24, 13, 0, 0, 0, brussels)},
		{"hours only", friday, 0, 30, false, time.Date(2025, 11, 22, 16, 0, 0, 0, brussels)},
		{"days keep the wall clock across DST", time.Date(2026, 3, 28, 10, 0, 0, 0, brussels), 1, 0, false, time.Date(2026, 3, 29, 10, 0, 0, 0, brussels)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Due(tc.from, tc.days, tc.hours, tc.business, brussels); !got.Equal(tc.want) {
				t.Errorf("Due = %s, want %s", got.In(brussels), tc.want)
			}
		})
	}
}

func TestNextSlot(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	w := Window{9 * 60, 17 * 60}
	at := func(d, h, m int) time.Time { return time.Date(2025, 11, d, h, m, 0, 0, ny) }
	for _, tc := range []struct {
		name     string
		t        time.Time
		business bool
		want     time.Time
	}{
		{"inside stays", at(21, 10, 15), false, at(21, 10, 15)},
		{"before opening waits for it", at(21, 6, 0), false, at(21, 9, 0)},
		{"at closing waits for the next day", at(21, 17, 0), false, at(22, 9, 0)},
		{"saturday is a day on calendar days", at(22, 11, 0), false, at(22, 11, 0)},
		{"saturday waits for monday on business days", at(22, 11, 0), true, at(24, 9, 0)},
		{"friday evening waits for monday on business days", at(21, 20, 0), true, at(24, 9, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := NextSlot(tc.t, w, tc.business, ny)
			if !got.Equal(tc.want) {
				t.Errorf("NextSlot = %s, want %s", got.In(ny), tc.want)
			}
			if in := InWindow(tc.t, w, tc.business, ny); in != tc.t.Equal(tc.want) {
				t.Errorf("InWindow = %v", in)
			}
		})
	}
	// the window is the contact's: 08:00 UTC is 09:00 in Brussels (inside)
	// and 03:00 in New York (outside)
	utc := time.Date(2025, 11, 20, 8, 0, 0, 0, time.UTC)
	if !InWindow(utc, w, false, Location("Europe/Brussels")) || InWindow(utc, w, false, ny) {
		t.Error("the window is not read in the contact's timezone")
	}
}

func TestLocation(t *testing.T) {
	if got := Location("", "Not/AZone", "America/Chicago").String(); got != "America/Chicago" {
		t.Errorf("Location = %s", got)
	}
	if got := Location("").String(); got != DefaultTimezone {
		t.Errorf("Location() = %s, want %s", got, DefaultTimezone)
	}
}

func TestSchedule(t *testing.T) {
	brussels := mustLoc(t, "Europe/Brussels")
	w := Window{9 * 60, 17 * 60}
	// Enrolled on Friday at 16:30 with a step 2 hours later: 18:30 is
	// past the window, and on business days the next window is Monday's.
	from := time.Date(2025, 11, 21, 16, 30, 0, 0, brussels)
	if got, want := Schedule(from, 0, 2, true, w, brussels), time.Date(2025, 11, 24, 9, 0, 0, 0, brussels); !got.Equal(want) {
		t.Errorf("Schedule = %s, want %s", got.In(brussels), want)
	}
	if got, want := Schedule(from, 0, 2, false, w, brussels), time.Date(2025, 11, 22, 9, 0, 0, 0, brussels); !got.Equal(want) {
		t.Errorf("Schedule on calendar days = %s, want %s", got.In(brussels), want)
	}
}
