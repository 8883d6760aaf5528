package reminders

import (
	"errors"
	"fmt"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/kontor-app/kontor/hooks/invoicing"
)

// InvoiceSentTemplate is the email template of an invoice sent to its
// client.
const InvoiceSentTemplate = "invoice_sent"

// maxPeriodsPerRun bounds the periods one recurring invoice bills in one
// run; a longer backlog goes on at the next run.
const maxPeriodsPerRun = 366

// RecurringResult counts what a run of the recurring invoices did.
type RecurringResult struct {
	Invoices int // invoices created
	Issued   int // invoices issued
	Sent     int // invoices queued to be emailed
	Failed   int // periods left for a person to finish: see last_error
}

// RunRecurring creates the invoices of every active recurring invoice
// whose next run has come by now: one invoice per period, each period in
// order, every period missed while the server was down included (a
// subscription bills every period). A recurring invoice that fails is
// logged and the others go on.
func RunRecurring(app core.App, mailer Mailer, now time.Time) (RecurringResult, error) {
	var res RecurringResult
	at, err := types.ParseDateTime(now.UTC())
	if err != nil {
		return res, err
	}
	due, err := app.FindRecordsByFilter(recurringCollection, "active = true && next_run != '' && next_run <= {:now}",
		"next_run", 0, 0, map[string]any{"now": at.String()})
	if err != nil {
		return res, err
	}
	for _, tpl := range due {
		for i := 0; i < maxPeriodsPerRun; i++ {
			more, err := runPeriod(app, mailer, tpl.Id, now, &res)
			if err != nil {
				app.Logger().Error("recurring invoices: a period could not be billed; tried again on the next run",
					"recurring", tpl.Id, "error", err)
			}
			if !more || err != nil {
				break
			}
		}
	}
	return res, nil
}

// runPeriod bills the next period of a recurring invoice if it has come by
// now, and reports whether there may be another one to bill.
//
// It takes two steps, each its own transaction:
//  1. the invoice of the period: found, or created as a draft through the
//     invoices' hooks (which compute its totals). The unique index on
//     (recurring, recurring_period) makes it one per period, even when two
//     runs race or a run stopped after this step: the next run finds it.
//  2. per mode, issue it (invoicing.Issue, in the same transaction), mark
//     it sent and queue its email (unless a person sent it already), and
//     move the recurring invoice on to its next run.
//     If the process stops before this commits, nothing of it happened,
//     and the next run finds the draft of step 1 and finishes it.
//
// A draft that cannot be issued (a 400: the client lacks a country, an
// exchange rate is needed) stays a draft for a person to finish; the
// recurring invoice moves on and says why in last_error. A draft that
// cannot even be created leaves the recurring invoice where it is, with
// last_error set, until a person fixes it.
func runPeriod(app core.App, mailer Mailer, id string, now time.Time, res *RecurringResult) (bool, error) {
	tpl, err := app.FindRecordById(recurringCollection, id)
	if err != nil {
		return false, err
	}
	run := tpl.GetDateTime("next_run").Time()
	if !tpl.GetBool("active") || run.IsZero() || run.After(now) {
		return false, nil
	}
	period := periodKey(run)

	invoice, created, err := periodInvoice(app, tpl, period)
	if err != nil {
		if !isUserError(err) {
			return false, err
		}
		changed, err := recordError(app, tpl, fmt.Sprintf("The invoice of period %s could not be created: %s", period, message(err)))
		if changed {
			res.Failed++ // counted once, not on every run until it is fixed
		}
		return false, err
	}
	if created {
		res.Invoices++
	}

	mode := tpl.GetString("mode")
	issued, sent := false, false
	err = app.RunInTransaction(func(tx core.App) error {
		issued, sent = false, false
		fresh, err := tx.FindRecordById(recurringCollection, tpl.Id)
		if err != nil {
			return err
		}
		if !fresh.GetDateTime("next_run").Time().Equal(run) {
			return errMovedOn
		}
		inv, err := tx.FindRecordById("invoices", invoice.Id)
		if err != nil {
			return err
		}
		if mode != ModeDraft && inv.GetString("status") == invoicing.StatusDraft {
			if inv, err = invoicing.Issue(tx, inv, now); err != nil {
				return err
			}
			issued = true
		}
		if mode == ModeIssueAndSend && inv.GetString("status") != invoicing.StatusDraft && inv.GetDateTime("sent_at").IsZero() {
			// as a person's send does: the invoice is sent, in the
			// transaction that queues its email
			if inv.GetString("status") == invoicing.StatusIssued {
				inv.Set("status", invoicing.StatusSent)
			}
			inv.Set("sent_at", now)
			if err := tx.Save(inv); err != nil {
				return err
			}
			key := "invoice_sent:recurring:" + inv.Id
			data := map[string]any{"recurring": fresh.Id, "period": period}
			if err := mailer.QueueInvoiceMail(tx, inv, InvoiceSentTemplate, key, data); err != nil {
				return err
			}
			sent = true
		}
		return advance(tx, fresh, run, period, "")
	})
	switch {
	case errors.Is(err, errMovedOn):
		return true, nil // another run billed it
	case err != nil && isUserError(err):
		res.Failed++
		return true, advanceWithError(app, tpl.Id, run, period,
			fmt.Sprintf("The invoice of period %s is left as a draft: %s", period, message(err)))
	case err != nil:
		return false, err
	}
	if issued {
		res.Issued++
	}
	if sent {
		res.Sent++
	}
	return true, nil
}

// errMovedOn says another run billed the period first.
var errMovedOn = errors.New("the recurring invoice moved on to a later period")

// periodInvoice returns the invoice of a recurring invoice's period,
// creating it as a draft when there is none, and whether it created it.
func periodInvoice(app core.App, tpl *core.Record, period string) (*core.Record, bool, error) {
	find := func() (*core.Record, error) {
		return app.FindFirstRecordByFilter("invoices", "recurring = {:r} && recurring_period = {:p}",
			map[string]any{"r": tpl.Id, "p": period})
	}
	if inv, err := find(); err == nil {
		return inv, false, nil
	}
	collection, err := app.FindCachedCollectionByNameOrId("invoices")
	if err != nil {
		return nil, false, err
	}
	draft := core.NewRecord(collection)
	draft.Set("workspace", tpl.GetString("workspace"))
	draft.Set("client", tpl.GetString("client"))
	draft.Set("series", tpl.GetString("series"))
	draft.Set("document_type", invoicing.DocumentInvoice)
	draft.Set("lines", tpl.Get("lines"))
	draft.Set("currency", tpl.GetString("currency"))
	draft.Set("notes", tpl.GetString("notes"))
	draft.Set("buyer_reference", tpl.GetString("buyer_reference"))
	draft.Set("recurring", tpl.Id)
	draft.Set("recurring_period", period)
	if err := app.Save(draft); err != nil {
		// a run that raced this one created it first
		if inv, findErr := find(); findErr == nil {
			return inv, false, nil
		}
		return nil, false, err
	}
	return draft, true, nil
}

// advance moves a recurring invoice on past the period it billed: to its
// next run, or to none past its end date.
func advance(app core.App, tpl *core.Record, run time.Time, period, lastError string) error {
	start, _ := parseDate(tpl.GetString("start_date"))
	sched, err := ParseSchedule(tpl.GetString("schedule"), start)
	if err != nil {
		return err
	}
	next := sched.Next(run)
	if end, ok := parseDate(tpl.GetString("end_date")); next.IsZero() || (ok && !next.Before(end.AddDate(0, 0, 1))) {
		tpl.Set("next_run", "")
	} else {
		tpl.Set("next_run", next)
	}
	tpl.Set("last_period", period)
	tpl.Set("last_error", lastError)
	return app.Save(tpl)
}

// advanceWithError moves a recurring invoice on after a period whose
// invoice was left as a draft, saying why.
func advanceWithError(app core.App, id string, run time.Time, period, lastError string) error {
	return app.RunInTransaction(func(tx core.App) error {
		tpl, err := tx.FindRecordById(recurringCollection, id)
		if err != nil {
			return err
		}
		if !tpl.GetDateTime("next_run").Time().Equal(run) {
			return nil
		}
		return advance(tx, tpl, run, period, lastError)
	})
}

// recordError keeps on a recurring invoice why its period could not be
// billed, without moving it on, and reports whether that is news.
func recordError(app core.App, tpl *core.Record, lastError string) (bool, error) {
	if tpl.GetString("last_error") == lastError {
		return false, nil
	}
	tpl.Set("last_error", lastError)
	return true, app.Save(tpl)
}

// isUserError reports whether an error is one a person must fix (a 400 or
// a field validation error), as opposed to one retrying may mend.
func isUserError(err error) bool {
	var apiErr *router.ApiError
	if errors.As(err, &apiErr) {
		return apiErr.Status == 400
	}
	var fieldErrs validation.Errors
	return errors.As(err, &fieldErrs)
}

// message is the text of an error for a person.
func message(err error) string {
	var apiErr *router.ApiError
	if errors.As(err, &apiErr) {
		return apiErr.Message
	}
	return err.Error()
}
