package mail

import (
	"encoding/json"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"github.com/kontor-app/kontor/money"
)

// queuePaymentReceived is bound to the creation of a payment: the client
// is thanked for it by email, in the transaction that records the payment
// (invoicing's), so the email exists exactly when the payment does. A
// refund on a credit note, or a client without an email address, gets
// none.
func (m *Mailer) queuePaymentReceived(e *core.RecordEvent) error {
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if err := e.Next(); err != nil {
			return err
		}
		payment := e.Record
		invoice, err := tx.FindRecordById("invoices", payment.GetString("invoice"))
		if err != nil || invoice.GetString("document_type") != "invoice" || clientEmail(tx, invoice) == "" {
			return nil
		}
		// the invoice is read before invoicing settles it: what is due
		// after this payment is what was due less the payment
		var totals struct {
			Due string `json:"due"`
		}
		_ = json.Unmarshal([]byte(invoice.GetString("totals")), &totals)
		due, _ := money.Parse(totals.Due)
		amount, _ := money.Parse(payment.GetString("amount"))
		left := due.Sub(amount)
		if left.IsNegative() {
			left = decimal.Zero
		}
		return m.QueueInvoiceMail(tx, invoice, "payment_received", "payment_received:"+payment.Id, map[string]any{
			"payment": payment.GetString("amount"), "date": payment.GetString("date"), "due": money.Amount(left),
		})
	})
}
