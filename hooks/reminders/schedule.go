package reminders

import (
	"strings"
	"time"
	_ "time/tzdata" // CRON_TZ= works on a machine with no time zone database

	"github.com/robfig/cron/v3"
)

// Schedule shortcuts of a recurring invoice, each anchored on its start
// date: monthly runs on the start date's day of every month, quarterly
// every third month, yearly every year, at 00:00 UTC. A day the month lacks
// becomes the month's last day (a start on 31 January runs on 28 or 29
// February, 31 March, 30 April).
const (
	Monthly   = "monthly"
	Quarterly = "quarterly"
	Yearly    = "yearly"
)

// cronParser reads the five-field expressions of recurring invoices
// (minute hour day-of-month month weekday), with an optional CRON_TZ= or
// TZ= prefix; without one they run in UTC. Descriptors such as @monthly
// are not accepted: the shortcuts above say it in words.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)

// minGap is the shortest time between two runs of a schedule: a recurring
// invoice runs at most once a day (23 hours, for a day shortened by a
// change to summer time in the schedule's time zone).
const minGap = 23 * time.Hour

// ParseSchedule reads a schedule: a shortcut, anchored on the start date,
// or a cron expression. It refuses a schedule that never runs or runs more
// than once a day.
func ParseSchedule(expr string, start time.Time) (cron.Schedule, error) {
	expr = strings.TrimSpace(expr)
	start = day(start)
	var s cron.Schedule
	switch strings.ToLower(expr) {
	case Monthly:
		s = monthsSchedule{anchor: start, months: 1}
	case Quarterly:
		s = monthsSchedule{anchor: start, months: 3}
	case Yearly:
		s = monthsSchedule{anchor: start, months: 12}
	default:
		if expr == "" || strings.HasPrefix(expr, "@") {
			return nil, errScheduleSyntax
		}
		parsed, err := cronParser.Parse(expr)
		if err != nil {
			return nil, errScheduleSyntax
		}
		if spec, ok := parsed.(*cron.SpecSchedule); ok && spec.Location == time.Local {
			spec.Location = time.UTC
		}
		s = parsed
	}
	// the first runs tell whether it runs at all, and not too often
	prev := s.Next(start.Add(-time.Second))
	if prev.IsZero() {
		return nil, errScheduleNever
	}
	for i := 0; i < 60; i++ {
		next := s.Next(prev)
		if next.IsZero() {
			break
		}
		if next.Sub(prev) < minGap {
			return nil, errScheduleTooOften
		}
		prev = next
	}
	return s, nil
}

// scheduleError says what is wrong with a schedule, in a sentence for the
// person who wrote it.
type scheduleError string

func (e scheduleError) Error() string { return string(e) }

const (
	errScheduleSyntax   scheduleError = `Use monthly, quarterly, yearly or a cron expression of five fields (minute hour day-of-month month weekday, in UTC), like "0 9 1 * *" for 09:00 on the 1st of every month.`
	errScheduleNever    scheduleError = "This schedule never runs; check its day and month."
	errScheduleTooOften scheduleError = "A recurring invoice runs at most once a day; this schedule runs more often."
)

// monthsSchedule runs every months months on the anchor's day of the
// month, clamped to the month's last day, at 00:00 UTC.
type monthsSchedule struct {
	anchor time.Time // a day at 00:00 UTC
	months int
}

// Next returns the first run strictly after t (the anchor itself is the
// first run).
func (s monthsSchedule) Next(t time.Time) time.Time {
	t = t.UTC()
	if t.Before(s.anchor) {
		return s.anchor
	}
	// start a step before the month of t and walk forward
	elapsed := (t.Year()-s.anchor.Year())*12 + int(t.Month()-s.anchor.Month())
	k := max(elapsed/s.months-1, 0)
	for {
		run := s.run(k)
		if run.After(t) {
			return run
		}
		k++
	}
}

// run is the kth run, counted from 0 at the anchor.
func (s monthsSchedule) run(k int) time.Time {
	first := time.Date(s.anchor.Year(), s.anchor.Month()+time.Month(k*s.months), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(s.anchor.Day(), last)-1)
}

// day is the day of t at 00:00 UTC.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dateLayout is how dates are written: due dates, start and end dates.
const dateLayout = "2006-01-02"

// parseDate reads a YYYY-MM-DD date as its day at 00:00 UTC.
func parseDate(s string) (time.Time, bool) {
	t, err := time.Parse(dateLayout, s)
	return t, err == nil
}

// periodKey names the period a run bills: its date for a run at 00:00 UTC
// ("2026-03-01"), else its date and time in UTC ("2026-03-02T09:00Z").
// Invoices keep it in recurring_period, unique per recurring invoice.
func periodKey(run time.Time) string {
	run = run.UTC()
	if run.Equal(day(run)) {
		return run.Format(dateLayout)
	}
	return run.Format("2006-01-02T15:04Z")
}

// parsePeriodKey reads a period key back into the time of its run.
func parsePeriodKey(key string) (time.Time, bool) {
	if t, err := time.Parse(dateLayout, key); err == nil {
		return t, true
	}
	t, err := time.Parse("2006-01-02T15:04Z", key)
	return t, err == nil
}
