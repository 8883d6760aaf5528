package invoicing

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"github.com/kontor-app/kontor/hooks/fielderr"
	"github.com/kontor-app/kontor/money"
)

// recordPayment checks a payment against its document and, in the same
// transaction as the payment, updates the document's paid and due amounts
// and its status. Paying more than is due is refused.
func recordPayment(now func() time.Time) func(e *core.RecordEvent) error {
	return func(e *core.RecordEvent) error {
		return e.App.RunInTransaction(func(tx core.App) error {
			e.App = tx
			p := e.Record
			invoice, err := tx.FindRecordById("invoices", p.GetString("invoice"))
			if err != nil {
				return fielderr.New("invoice", "This invoice does not exist.")
			}
			p.Set("workspace", invoice.GetString("workspace"))

			errs := fielderr.Errors{}
			amount, err := money.Parse(p.GetString("amount"))
			switch {
			case err != nil || money.Places(amount) > 2:
				errs.Add("amount", "Enter the amount as a decimal number with at most two decimals, like 120.50.")
			case !amount.IsPositive():
				errs.Add("amount", "The amount must be more than zero.")
			}
			switch invoice.GetString("status") {
			case StatusDraft:
				errs.Add("invoice", "Issue the invoice before recording a payment.")
			case StatusCancelled:
				errs.Add("invoice", "Invoice "+invoice.GetString("number")+" is cancelled by a credit note.")
			}
			if p.GetString("date") == "" {
				p.Set("date", now().UTC().Format(dateLayout))
			} else if _, ok := parseDate(p.GetString("date")); !ok {
				errs.Add("date", "Write the payment date as YYYY-MM-DD.")
			}
			if p.GetString("method") == "" {
				p.Set("method", "bank_transfer")
			}
			if err := errs.Err(); err != nil {
				return err
			}
			if due := dec(readTotals(invoice.GetString("totals")).Due); amount.GreaterThan(due) {
				return fielderr.New("amount", "This is more than is due on "+invoice.GetString("number")+": "+money.Amount(due)+" "+invoice.GetString("currency")+".")
			}
			p.Set("amount", money.Amount(amount))

			if err := e.Next(); err != nil {
				return err
			}
			return settlePayments(tx, invoice)
		})
	}
}

// deletePayment takes a payment back off its document, in one transaction.
func deletePayment(e *core.RecordEvent) error {
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if err := e.Next(); err != nil {
			return err
		}
		invoice, err := tx.FindRecordById("invoices", e.Record.GetString("invoice"))
		if err != nil {
			return err
		}
		return settlePayments(tx, invoice)
	})
}

// refusePaymentChange keeps recorded payments as they are: a wrong one is
// deleted and recorded again, so the paid amount always sums the records.
func refusePaymentChange(e *core.RecordEvent) error {
	return apis.NewBadRequestError("A recorded payment cannot be changed; delete it and record it again.", nil)
}

// settlePayments sums the payments of a document, in decimal, and updates
// its paid and due amounts and its status.
func settlePayments(tx core.App, invoice *core.Record) error {
	var amounts []string
	err := tx.DB().NewQuery(`SELECT amount FROM payments WHERE invoice = {:i}`).
		Bind(dbx.Params{"i": invoice.Id}).Column(&amounts)
	if err != nil {
		return err
	}
	paid := decimal.Zero
	for _, a := range amounts {
		paid = paid.Add(dec(a))
	}
	t := readTotals(invoice.GetString("totals"))
	t.Paid = money.Amount(paid)
	settleStatus(invoice, t)
	return tx.Save(invoice)
}
