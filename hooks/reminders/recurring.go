package reminders

import (
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/robfig/cron/v3"

	"github.com/kontor-app/kontor/en16931"
	"github.com/kontor-app/kontor/hooks/fielderr"
	"github.com/kontor-app/kontor/isocodes"
)

// recurringCollection is the collection of recurring invoices.
const recurringCollection = "recurring_invoices"

// Modes of a recurring invoice: what each run does with the invoice it
// creates.
const (
	ModeDraft        = "draft"          // leave it a draft
	ModeIssue        = "issue"          // issue it
	ModeIssueAndSend = "issue_and_send" // issue it and email it to the client
)

// recurringServerOwned are the fields of a recurring invoice that only the
// server writes.
var recurringServerOwned = []string{"next_run", "last_period", "last_error"}

// recurringUserFields are the fields a person edits; a save that changes
// none of them is the job's own, which checks nothing again.
var recurringUserFields = []string{"workspace", "client", "series", "name", "lines", "currency", "notes",
	"buyer_reference", "schedule", "start_date", "end_date", "mode", "active"}

// guardRecurringRequest refuses a new value for a field the server owns,
// and makes a recurring invoice created through the API active unless the
// request says otherwise.
func guardRecurringRequest(e *core.RecordRequestEvent) error {
	info, err := e.RequestInfo()
	if err != nil {
		return err
	}
	errs := fielderr.Errors{}
	for _, f := range recurringServerOwned {
		if _, sent := info.Body[f]; sent && fmt.Sprint(e.Record.Get(f)) != fmt.Sprint(e.Record.Original().Get(f)) {
			errs.Add(f, "The server sets this field; it cannot be written.")
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	if _, sent := info.Body["active"]; e.Record.IsNew() && !sent {
		e.Record.Set("active", true)
	}
	return e.Next()
}

// saveRecurring checks a recurring invoice a person saves and works out
// its next run when its schedule, dates or activity change.
func saveRecurring(now func() time.Time) func(e *core.RecordEvent) error {
	return func(e *core.RecordEvent) error {
		r := e.Record
		if !r.IsNew() && !changed(r, recurringUserFields...) {
			return e.Next()
		}
		if r.GetString("mode") == "" {
			r.Set("mode", ModeDraft)
		}
		errs := fielderr.Errors{}
		checkTemplate(e.App, r, errs)

		start, ok := parseDate(r.GetString("start_date"))
		if !ok {
			errs.Add("start_date", "Write the start date as YYYY-MM-DD.")
		}
		var end *time.Time
		if s := r.GetString("end_date"); s != "" {
			d, ok := parseDate(s)
			switch {
			case !ok:
				errs.Add("end_date", "Write the end date as YYYY-MM-DD, or leave it empty to run with no end.")
			case !start.IsZero() && d.Before(start):
				errs.Add("end_date", "The end date cannot be before the start date.")
			default:
				end = &d
			}
		}
		r.Set("schedule", strings.TrimSpace(r.GetString("schedule")))
		var sched cron.Schedule
		if ok {
			var err error
			if sched, err = ParseSchedule(r.GetString("schedule"), start); err != nil {
				errs.Add("schedule", err.Error())
			}
		}
		if err := errs.Err(); err != nil {
			return err
		}
		if r.IsNew() || changed(r, "schedule", "start_date", "end_date", "active") {
			setNextRun(r, sched, start, end, now())
		}
		return e.Next()
	}
}

// checkTemplate checks what a recurring invoice's invoices are made of:
// its client and series (of its workspace), currency and lines.
func checkTemplate(app core.App, r *core.Record, errs fielderr.Errors) {
	ws := r.GetString("workspace")
	r.Set("name", strings.TrimSpace(r.GetString("name")))
	if id := r.GetString("client"); id == "" {
		errs.Add("client", "Choose the client to invoice.")
	} else if c, err := app.FindRecordById("clients", id); err != nil || c.GetString("workspace") != ws {
		errs.Add("client", "This client does not exist in the workspace.")
	}
	if id := r.GetString("series"); id != "" {
		s, err := app.FindRecordById("series", id)
		switch {
		case err != nil || s.GetString("workspace") != ws:
			errs.Add("series", "This series does not exist in the workspace.")
		case s.GetString("document_type") != "invoice":
			errs.Add("series", "This series numbers credit notes; choose a series for invoices.")
		}
	}
	if c := strings.ToUpper(strings.TrimSpace(r.GetString("currency"))); c != "" {
		r.Set("currency", c)
		if !isocodes.IsCurrency(c) {
			errs.Add("currency", "Use a three-letter ISO 4217 currency code, like EUR, USD or GBP, or leave it empty for the client's currency.")
		}
	}
	lines, lineErrs := en16931.ParseLines([]byte(r.GetString("lines")))
	for _, fe := range lineErrs {
		if fe.Line < 0 || fe.Field == "" {
			errs.Add("lines", fe.Message)
			continue
		}
		errs.Nested("lines").Nested(fmt.Sprint(fe.Line)).Add(fe.Field, fe.Message)
	}
	if len(lines) == 0 && len(lineErrs) == 0 {
		errs.Add("lines", "Add at least one line.")
	}
}

// setNextRun works out the next run of a recurring invoice whose schedule,
// dates or activity changed: its first run not before its start date,
// after the period it last billed, and not before today, so that a new,
// rescheduled or resumed recurring invoice bills no period before the day
// it was saved (only downtime is caught up). A change of the end date
// alone keeps the run it was waiting for. None is left (empty) past the
// end date.
func setNextRun(r *core.Record, sched cron.Schedule, start time.Time, end *time.Time, now time.Time) {
	from := start
	if last, ok := parsePeriodKey(r.GetString("last_period")); ok && !last.Before(from) {
		from = last.Add(time.Second)
	}
	resumed := r.GetBool("active") && !r.Original().GetBool("active")
	waiting := r.GetDateTime("next_run").Time()
	if !r.IsNew() && !resumed && !changed(r, "schedule", "start_date") && !waiting.IsZero() {
		if waiting.After(from) {
			from = waiting
		}
	} else if today := day(now); today.After(from) {
		from = today
	}
	run := sched.Next(from.Add(-time.Second))
	if run.IsZero() || (end != nil && !run.Before(end.AddDate(0, 0, 1))) {
		r.Set("next_run", "")
		return
	}
	r.Set("next_run", run)
}

// deleteRecurring refuses to delete a recurring invoice that has issued
// invoices, which keep their link to it: it is deactivated instead. Its
// drafts lose the link.
func deleteRecurring(e *core.RecordEvent) error {
	var issued bool
	err := e.App.DB().NewQuery(`SELECT EXISTS(SELECT 1 FROM invoices WHERE recurring = {:r} AND status != 'draft')`).
		Bind(dbx.Params{"r": e.Record.Id}).Row(&issued)
	if err != nil {
		return err
	}
	if issued {
		return apis.NewBadRequestError("This recurring invoice has issued invoices, which keep their link to it; deactivate it instead of deleting it.", nil)
	}
	return e.Next()
}

// changed reports whether a saved record changes any of the fields.
func changed(r *core.Record, fields ...string) bool {
	for _, f := range fields {
		if fmt.Sprint(r.Get(f)) != fmt.Sprint(r.Original().Get(f)) {
			return true
		}
	}
	return false
}
