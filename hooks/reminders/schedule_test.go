package reminders

import (
	"strings"
	"testing"
	"time"
)

func date(s string) time.Time {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		t, err = time.Parse("2006-01-02T15:04Z", s)
	}
	if err != nil {
		panic(err)
	}
	return t
}

// The runs of each schedule from its start date.
func TestScheduleRuns(t *testing.T) {
	cases := []struct {
		schedule, start string
		want            []string
	}{
		{"monthly", "2031-01-15", []string{"2031-01-15", "2031-02-15", "2031-03-15", "2031-04-15"}},
		{"Monthly", "2031-01-31", []string{"2031-01-31", "2031-02-28", "2031-03-31", "2031-04-30"}},
		{"monthly", "2032-01-30", []string{"2032-01-30", "2032-02-29", "2032-03-30"}},
		{"quarterly", "2031-11-30", []string{"2031-11-30", "2032-02-29", "2032-05-30", "2032-08-30"}},
		{"yearly", "2032-02-29", []string{"2032-02-29", "2033-02-28", "2034-02-28", "2035-02-28", "2036-02-29"}},
		{"0 9 1 * *", "2031-01-15", []string{"2031-02-01T09:00Z", "2031-03-01T09:00Z", "2031-04-01T09:00Z"}},
		{"0 0 * * 1", "2031-01-01", []string{"2031-01-06", "2031-01-13", "2031-01-20"}},
		{"0 0 1 1,7 *", "2031-01-01", []string{"2031-01-01", "2031-07-01", "2032-01-01"}},
		{"CRON_TZ=Europe/Berlin 0 0 1 * *", "2031-01-01", []string{"2031-01-31T23:00Z", "2031-02-28T23:00Z", "2031-03-31T22:00Z"}},
	}
	for _, c := range cases {
		t.Run(c.schedule+" from "+c.start, func(t *testing.T) {
			s, err := ParseSchedule(c.schedule, date(c.start))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			run := s.Next(date(c.start).Add(-time.Second))
			for range c.want {
				got = append(got, periodKey(run))
				run = s.Next(run)
			}
			if strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Errorf("runs %v, want %v", got, c.want)
			}
		})
	}
}

// A schedule that cannot be read, never runs, or runs more than once a day
// is refused with a sentence for the person who wrote it.
func TestScheduleRefused(t *testing.T) {
	cases := []struct {
		schedule string
		want     error
	}{
		{"", errScheduleSyntax},
		{"weekly", errScheduleSyntax},
		{"@monthly", errScheduleSyntax},
		{"0 9 * *", errScheduleSyntax},
		{"0 9 32 * *", errScheduleSyntax},
		{"0 0 30 2 *", errScheduleNever},
		{"*/15 * * * *", errScheduleTooOften},
		{"0 9,17 * * *", errScheduleTooOften},
	}
	for _, c := range cases {
		if _, err := ParseSchedule(c.schedule, date("2031-01-01")); err != c.want {
			t.Errorf("%q: %v, want %v", c.schedule, err, c.want)
		}
	}
}

func TestPeriodKey(t *testing.T) {
	for _, s := range []string{"2031-03-01", "2031-03-02T09:30Z"} {
		run, ok := parsePeriodKey(s)
		if !ok || periodKey(run) != s {
			t.Errorf("%s: %v %v", s, run, ok)
		}
	}
}
