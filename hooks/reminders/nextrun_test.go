package reminders

import (
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// A new, rescheduled or resumed recurring invoice bills no period before
// the day it is saved; a change of its end date alone keeps the run it
// waits for, even one left behind by downtime; no run is left past its end.
func TestSetNextRun(t *testing.T) {
	collection := core.NewBaseCollection(recurringCollection)
	collection.Fields.Add(
		&core.TextField{Name: "schedule"},
		&core.TextField{Name: "start_date"},
		&core.TextField{Name: "end_date"},
		&core.BoolField{Name: "active"},
		&core.DateField{Name: "next_run"},
		&core.TextField{Name: "last_period"},
	)
	type state struct {
		schedule, start, end string
		active               bool
		nextRun, lastPeriod  string
	}
	cases := []struct {
		name    string
		saved   *state // nil: a new recurring invoice
		now     state  // as it is saved
		today   string
		nextRun string // "" for none
	}{
		{"new, starting later", nil, state{schedule: "monthly", start: "2031-01-15", active: true}, "2030-12-01", "2031-01-15"},
		{"new, started earlier", nil, state{schedule: "monthly", start: "2031-01-15", active: true}, "2031-03-20", "2031-04-15"},
		{"new, started earlier, today a run day", nil, state{schedule: "monthly", start: "2031-01-15", active: true}, "2031-03-15", "2031-03-15"},
		{"new, ended already", nil, state{schedule: "monthly", start: "2031-01-15", end: "2031-03-01", active: true}, "2031-03-20", ""},
		{"rescheduled after a billed period",
			&state{schedule: "monthly", start: "2031-01-15", active: true, nextRun: "2031-03-15", lastPeriod: "2031-02-15"},
			state{schedule: "0 0 20 * *", start: "2031-01-15", active: true, nextRun: "2031-03-15", lastPeriod: "2031-02-15"},
			"2031-02-16", "2031-02-20"},
		{"resumed after a pause",
			&state{schedule: "monthly", start: "2031-01-15", active: false, nextRun: "2031-02-15", lastPeriod: "2031-01-15"},
			state{schedule: "monthly", start: "2031-01-15", active: true, nextRun: "2031-02-15", lastPeriod: "2031-01-15"},
			"2031-05-01", "2031-05-15"},
		{"end date moved while behind",
			&state{schedule: "monthly", start: "2031-01-15", end: "2031-06-30", active: true, nextRun: "2031-02-15", lastPeriod: "2031-01-15"},
			state{schedule: "monthly", start: "2031-01-15", end: "2031-12-31", active: true, nextRun: "2031-02-15", lastPeriod: "2031-01-15"},
			"2031-04-01", "2031-02-15"},
		{"end date moved before the next run",
			&state{schedule: "monthly", start: "2031-01-15", end: "2031-06-30", active: true, nextRun: "2031-02-15", lastPeriod: "2031-01-15"},
			state{schedule: "monthly", start: "2031-01-15", end: "2031-02-14", active: true, nextRun: "2031-02-15", lastPeriod: "2031-01-15"},
			"2031-02-01", ""},
		{"finished, end date extended",
			&state{schedule: "monthly", start: "2031-01-15", end: "2031-02-28", active: true, lastPeriod: "2031-02-15"},
			state{schedule: "monthly", start: "2031-01-15", end: "2031-12-31", active: true, lastPeriod: "2031-02-15"},
			"2031-05-02", "2031-05-15"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := core.NewRecord(collection)
			set := func(s state) {
				r.Set("schedule", s.schedule)
				r.Set("start_date", s.start)
				r.Set("end_date", s.end)
				r.Set("active", s.active)
				r.Set("next_run", "")
				if s.nextRun != "" {
					r.Set("next_run", date(s.nextRun))
				}
				r.Set("last_period", s.lastPeriod)
			}
			if c.saved != nil {
				r.Id = "recurring000001"
				set(*c.saved)
				if err := r.PostScan(); err != nil {
					t.Fatal(err)
				}
			}
			set(c.now)
			start := date(c.now.start)
			sched, err := ParseSchedule(c.now.schedule, start)
			if err != nil {
				t.Fatal(err)
			}
			var end *time.Time
			if c.now.end != "" {
				d := date(c.now.end)
				end = &d
			}
			setNextRun(r, sched, start, end, date(c.today).Add(10*time.Hour))
			got := ""
			if run := r.GetDateTime("next_run"); !run.IsZero() {
				got = periodKey(run.Time())
			}
			if got != c.nextRun {
				t.Errorf("next run %q, want %q", got, c.nextRun)
			}
		})
	}
}
