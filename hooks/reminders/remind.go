package reminders

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"github.com/kontor-app/kontor/hooks/invoicing"
	"github.com/kontor-app/kontor/money"
)

// ReminderTemplate is the email template of a payment reminder.
const ReminderTemplate = "reminder"

// openStatuses are the statuses of an invoice that is issued and not yet
// paid in full or cancelled: the invoices reminders are for.
var openStatuses = []any{invoicing.StatusIssued, invoicing.StatusSent, invoicing.StatusPartiallyPaid}

// RunReminders queues, for every open invoice past its due date in a
// workspace with reminders on and not stopped for the invoice, the
// reminder of the highest level due at now that was not sent yet, and
// returns how many it queued.
//
// Each reminder is queued in one transaction with the invoice's
// reminder_level, so a level is never sent twice: running again at the
// same time, or later, sends nothing new until the next level's day. After
// downtime only the highest level due is sent (levelDue). One invoice that
// fails is logged and tried again on the next run; the others go on.
func RunReminders(app core.App, mailer Mailer, now time.Time) (int, error) {
	today := now.UTC().Format(dateLayout)
	var ids []string
	err := app.DB().NewQuery(`SELECT i.id FROM invoices i JOIN workspaces w ON w.id = i.workspace
		WHERE w.reminders_enabled = TRUE AND i.document_type = 'invoice' AND i.status IN ({:s0}, {:s1}, {:s2})
			AND i.reminders_stopped = FALSE AND i.due_date != '' AND i.due_date < {:today}
			AND i.reminder_level < json_array_length(w.reminder_days)
		ORDER BY i.due_date, i.id`).
		Bind(dbx.Params{"s0": openStatuses[0], "s1": openStatuses[1], "s2": openStatuses[2], "today": today}).
		Column(&ids)
	if err != nil {
		return 0, err
	}
	queued := 0
	for _, id := range ids {
		sent, err := remind(app, mailer, id, now)
		if err != nil {
			app.Logger().Warn("reminders: not queued; tried again on the next run", "invoice", id, "error", err)
			continue
		}
		if sent {
			queued++
		}
	}
	return queued, nil
}

// remind queues the reminder due for one invoice, if any, and records its
// level, in one transaction. It reads the invoice and its workspace again
// inside the transaction, so a payment or a stop that came in since the
// list was read is respected and a concurrent run cannot send it twice.
func remind(app core.App, mailer Mailer, invoiceID string, now time.Time) (bool, error) {
	sent := false
	err := app.RunInTransaction(func(tx core.App) error {
		invoice, err := tx.FindRecordById("invoices", invoiceID)
		if err != nil {
			return err
		}
		workspace, err := tx.FindRecordById("workspaces", invoice.GetString("workspace"))
		if err != nil {
			return err
		}
		if !remindable(invoice, workspace) {
			return nil
		}
		due, ok := parseDate(invoice.GetString("due_date"))
		if !ok {
			return errors.New("the due date is not a date")
		}
		level := levelDue(due, reminderDays(workspace), now)
		if level <= invoice.GetInt("reminder_level") {
			return nil
		}

		data := map[string]any{
			"level":        level,
			"levels":       len(reminderDays(workspace)),
			"days_overdue": daysBetween(due, now),
		}
		if claimsLatePayment(tx, workspace, invoice.GetString("client"), level) {
			data["dunning_letter"] = invoice.GetString("client")
			data["dunning_date"] = now.UTC().Format(dateLayout)
		}
		invoice.Set("reminder_level", level)
		key := fmt.Sprintf("reminder:%s:%d", invoice.Id, level)
		if err := mailer.QueueInvoiceMail(tx, invoice, ReminderTemplate, key, data); err != nil {
			return err
		}
		if err := tx.Save(invoice); err != nil {
			return err
		}
		sent = true
		return nil
	})
	return sent, err
}

// remindable reports whether an invoice may be reminded at all: an open
// invoice with something due, reminders not stopped, in a workspace with
// reminders on.
func remindable(invoice, workspace *core.Record) bool {
	if !workspace.GetBool("reminders_enabled") || invoice.GetBool("reminders_stopped") ||
		invoice.GetString("document_type") != invoicing.DocumentInvoice {
		return false
	}
	open := false
	for _, s := range openStatuses {
		open = open || invoice.GetString("status") == s
	}
	return open && amountDue(invoice).IsPositive()
}

// claimsLatePayment reports whether a reminder of the level claims
// late-payment interest and compensation: the workspace claims them from a
// level this one reaches, and the client is a business (it has a VAT
// number), since Directive 2011/7/EU covers transactions between
// businesses.
func claimsLatePayment(app core.App, workspace *core.Record, clientID string, level int) bool {
	from := workspace.GetInt("late_payment_from_level")
	if from <= 0 || level < from {
		return false
	}
	client, err := app.FindRecordById("clients", clientID)
	return err == nil && isBusiness(client)
}

// isBusiness reports whether a client is a business: it has a VAT number.
func isBusiness(client *core.Record) bool {
	return client.GetString("vat_id") != ""
}

// totals is what reminders read of an invoice's totals JSON.
type totals struct {
	Due string `json:"due"`
}

// amountDue is what is still due on an invoice.
func amountDue(invoice *core.Record) decimal.Decimal {
	var t totals
	_ = json.Unmarshal([]byte(invoice.GetString("totals")), &t)
	d, err := money.Parse(t.Due)
	if err != nil {
		return decimal.Zero
	}
	return d
}

// daysBetween counts the days from the day of from to the day of to, in UTC.
func daysBetween(from, to time.Time) int {
	return int(day(to).Sub(day(from)) / (24 * time.Hour))
}
