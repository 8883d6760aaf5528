package sequences

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DefaultTimezone is the timezone of a contact whose own and whose
// workspace's are not set.
const DefaultTimezone = "Europe/Brussels"

// Window is the part of a contact's day in which a sequence sends, in
// minutes after midnight: from Start (included) to End (excluded).
type Window struct{ Start, End int }

// DefaultWindow is a sequence's window when it sets none: 09:00–17:00.
var DefaultWindow = Window{Start: 9 * 60, End: 17 * 60}

// ParseWindow reads a window from its HH:MM bounds; a blank bound takes
// DefaultWindow's. The start must come before the end.
func ParseWindow(start, end string) (Window, error) {
	w := DefaultWindow
	for _, b := range []struct {
		s   string
		out *int
	}{{start, &w.Start}, {end, &w.End}} {
		if strings.TrimSpace(b.s) == "" {
			continue
		}
		m, err := parseClock(b.s)
		if err != nil {
			return w, err
		}
		*b.out = m
	}
	if w.Start >= w.End {
		return w, fmt.Errorf("the sending window must start before it ends (%s–%s)", clock(w.Start), clock(w.End))
	}
	return w, nil
}

// parseClock reads HH:MM as minutes after midnight.
func parseClock(s string) (int, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || len(h) != 2 || len(m) != 2 || err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, fmt.Errorf("write the time as HH:MM, such as 09:00, not %q", s)
	}
	return hh*60 + mm, nil
}

// clock writes minutes after midnight as HH:MM.
func clock(minutes int) string {
	return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60)
}

// Location returns the first of the IANA timezone names that is known,
// else DefaultTimezone's.
func Location(names ...string) *time.Location {
	for _, n := range names {
		if n = strings.TrimSpace(n); n == "" {
			continue
		}
		if loc, err := time.LoadLocation(n); err == nil {
			return loc
		}
	}
	loc, err := time.LoadLocation(DefaultTimezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// weekend says a day is a Saturday or a Sunday.
func weekend(t time.Time) bool {
	return t.Weekday() == time.Saturday || t.Weekday() == time.Sunday
}

// Due is when a step with the delay falls after from: days on the
// contact's calendar in loc (with businessDays, only Monday to Friday
// count, so 1 day after a Friday is the Monday), then hours.
func Due(from time.Time, days, hours int, businessDays bool, loc *time.Location) time.Time {
	t := from.In(loc)
	if businessDays {
		for n := days; n > 0; {
			t = t.AddDate(0, 0, 1)
			if !weekend(t) {
				n--
			}
		}
	} else {
		t = t.AddDate(0, 0, days)
	}
	return t.Add(time.Duration(hours) * time.Hour).UTC()
}

// NextSlot is the first moment at or after t inside the window of a day
// of the contact's in loc: t itself when it is inside, else the next
// opening of the window. With businessDays, Saturdays and Sundays have no
// window.
func NextSlot(t time.Time, w Window, businessDays bool, loc *time.Location) time.Time {
	local := t.In(loc)
	for range 9 {
		y, m, d := local.Date()
		open := time.Date(y, m, d, w.Start/60, w.Start%60, 0, 0, loc)
		shut := time.Date(y, m, d, w.End/60, w.End%60, 0, 0, loc)
		if !businessDays || !weekend(open) {
			if local.Before(open) {
				return open.UTC()
			}
			if local.Before(shut) {
				return t.UTC()
			}
		}
		local = time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	}
	return t.UTC()
}

// InWindow says t is inside the window of the contact's day.
func InWindow(t time.Time, w Window, businessDays bool, loc *time.Location) bool {
	return NextSlot(t, w, businessDays, loc).Equal(t.UTC())
}

// Schedule is when a step with the delay is sent after from: its Due
// moved into the window.
func Schedule(from time.Time, days, hours int, businessDays bool, w Window, loc *time.Location) time.Time {
	return NextSlot(Due(from, days, hours, businessDays, loc), w, businessDays, loc)
}
