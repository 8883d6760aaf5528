package invoicing

import (
	"context"
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/fielderr"
)

// serverOwned are the invoice fields that only the server writes: a client
// that sends one with a new value gets a 400.
var serverOwned = []string{"number", "status", "totals", "vat_breakdown", "seller", "buyer", "issued_at", "sent_at", "warnings",
	"reminder_level", "recurring", "recurring_period", "public_token", "public_token_hash"}

// settlementFields are what still changes on an issued document: its status
// (settled, or sent to the client), the credited, paid and due amounts
// inside totals, when it was last sent, and its reminders (the last level
// sent, and whether they are stopped).
var settlementFields = map[string]bool{"status": true, "totals": true, "updated": true, "sent_at": true,
	"reminder_level": true, "reminders_stopped": true}

// storedOnceFields are written once on an issued document, by the server:
// its public link.
var storedOnceFields = map[string]bool{"public_token": true, "public_token_hash": true}

// issuedRequestFields are what a request may still send for an issued
// document through the record API: whether it is reminded.
var issuedRequestFields = map[string]bool{"reminders_stopped": true}

// issuedError says why an issued document cannot change.
func issuedError(r *core.Record) error {
	return apis.NewBadRequestError(
		"Document "+r.GetString("number")+" is issued and can no longer be changed or deleted; correct it with a credit note.", nil)
}

// keepIssued refuses every change to an issued document except to its
// settlement (status, credited, paid and due) and to when it was sent. Net,
// VAT and gross stay frozen.
// The document's PDF, rendered after issuing, and its public link
// (hooks/payments) are stored once.
func keepIssued(r *core.Record) error {
	original := r.Original()
	if r.GetString("status") == StatusDraft {
		return issuedError(original)
	}
	for _, f := range r.Collection().Fields {
		name := f.GetName()
		storedOnce := storedOnceFields[name] && original.GetString(name) == ""
		if !settlementFields[name] && !storedOnce && !sameJSON(r.Get(name), original.Get(name)) {
			return issuedError(original)
		}
	}
	now, was := readTotals(r.GetString("totals")), readTotals(original.GetString("totals"))
	if now.Net != was.Net || now.VAT != was.VAT || now.Gross != was.Gross ||
		now.VATAccounting != was.VATAccounting || now.AccountingCurrency != was.AccountingCurrency {
		return issuedError(original)
	}
	return nil
}

// guardInvoiceRequest answers a create or update through the record API:
// an issued document may only have its reminders stopped or resumed, and a
// new value for a field the server owns is refused.
func guardInvoiceRequest(e *core.RecordRequestEvent) error {
	original := e.Record.Original()
	info, err := e.RequestInfo()
	if err != nil {
		return err
	}
	if !e.Record.IsNew() && original.GetString("status") != StatusDraft {
		if len(info.Body) == 0 {
			return issuedError(original)
		}
		for f := range info.Body {
			if !issuedRequestFields[f] {
				return issuedError(original)
			}
		}
		return e.Next()
	}
	errs := fielderr.Errors{}
	for _, f := range serverOwned {
		if _, sent := info.Body[f]; !sent {
			continue
		}
		if f == "status" && e.Record.GetString("status") == StatusDraft {
			continue
		}
		if !sameJSON(e.Record.Get(f), original.Get(f)) {
			errs.Add(f, "The server sets this field; it cannot be written.")
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return e.Next()
}

// guardInvoiceDelete refuses to delete an issued document, from any route:
// invoices are kept for the legal retention period. The one exception is
// DeleteAfterRetention, once that period has ended.
func guardInvoiceDelete(e *core.RecordEvent) error {
	if e.Record.GetString("status") != StatusDraft {
		if id, _ := e.Context.Value(retentionEndedKey{}).(string); id == "" || id != e.Record.Id {
			return issuedError(e.Record)
		}
	}
	return e.Next()
}

// retentionEndedKey marks, in the context of a delete, the issued document
// DeleteAfterRetention deletes.
type retentionEndedKey struct{}

// DeleteAfterRetention deletes an issued invoice or credit note whose legal
// retention ended at retainedUntil, which must be past at now and later
// than the end of the year of issue: the only path by which an issued
// document is deleted (hooks/privacy's retention job). A draft is refused
// too: drafts are deleted the usual way.
func DeleteAfterRetention(app core.App, invoice *core.Record, retainedUntil, now time.Time) error {
	issued, err := time.Parse("2006-01-02", invoice.GetString("issue_date"))
	if invoice.GetString("status") == StatusDraft || err != nil {
		return fmt.Errorf("invoicing: %s is not an issued document", invoice.Id)
	}
	if !retainedUntil.After(time.Date(issued.Year()+1, 1, 1, 0, 0, 0, 0, time.UTC)) || now.Before(retainedUntil) {
		return fmt.Errorf("invoicing: the retention of %s has not ended", invoice.GetString("number"))
	}
	ctx := context.WithValue(context.Background(), retentionEndedKey{}, invoice.Id)
	return app.DeleteWithContext(ctx, invoice)
}
