package invoicing

import (
	"encoding/json"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"github.com/kontor-app/kontor/en16931"
	"github.com/kontor-app/kontor/money"
)

// Document types and statuses of the invoices collection.
const (
	DocumentInvoice    = "invoice"
	DocumentCreditNote = "credit_note"

	StatusDraft         = "draft"
	StatusIssued        = "issued"
	StatusSent          = "sent"
	StatusPartiallyPaid = "partially_paid"
	StatusPaid          = "paid"
	StatusCancelled     = "cancelled"
)

// dateLayout is how issue, due and payment dates are written.
const dateLayout = "2006-01-02"

// Totals is the totals JSON of an invoice: decimal strings, two decimals.
// Net, VAT and gross come from the lines and are frozen at issue; credited,
// paid and due follow credit notes and payments.
type Totals struct {
	Net      string `json:"net"`
	VAT      string `json:"vat"`
	Gross    string `json:"gross"`
	Credited string `json:"credited,omitempty"`
	Paid     string `json:"paid"`
	Due      string `json:"due"`
	// VATAccounting is the VAT in the workspace currency (BT-111), when the
	// invoice is in another currency: VAT × exchange rate, rounded to cents.
	VATAccounting      string `json:"vat_accounting,omitempty"`
	AccountingCurrency string `json:"accounting_currency,omitempty"`
}

// newTotals are the totals of a document nothing has been paid or credited on.
func newTotals(t en16931.Totals) Totals {
	return Totals{Net: money.Amount(t.Net), VAT: money.Amount(t.VAT), Gross: money.Amount(t.Gross),
		Paid: money.Amount(decimal.Zero), Due: money.Amount(t.Gross)}
}

// readTotals reads the totals JSON of a record.
func readTotals(raw string) Totals {
	var t Totals
	_ = json.Unmarshal([]byte(raw), &t)
	return t
}

// dec reads an amount the server wrote; empty is zero.
func dec(s string) decimal.Decimal {
	d, err := money.Parse(s)
	if err != nil {
		return decimal.Zero
	}
	return d
}

// settle recomputes what is still due and the status from the gross total,
// the credited and the paid amounts: due = gross − credited − paid, never
// below zero. A fully credited invoice is cancelled; one nothing is paid on
// is sent when it was sent to the client, else issued.
func (t *Totals) settle(documentType string, sent bool) string {
	gross, credited, paid := dec(t.Gross), dec(t.Credited), dec(t.Paid)
	due := gross.Sub(credited).Sub(paid)
	if due.IsNegative() {
		due = decimal.Zero
	}
	t.Paid, t.Due = money.Amount(paid), money.Amount(due)
	if credited.IsZero() {
		t.Credited = ""
	} else {
		t.Credited = money.Amount(credited)
	}
	switch {
	case documentType == DocumentInvoice && gross.IsPositive() && credited.GreaterThanOrEqual(gross):
		return StatusCancelled
	case due.IsZero() && paid.IsPositive():
		return StatusPaid
	case paid.IsPositive():
		return StatusPartiallyPaid
	case sent:
		return StatusSent
	}
	return StatusIssued
}

// settleStatus settles the totals t of a document and writes them, and the
// status they give, on its record.
func settleStatus(invoice *core.Record, t Totals) {
	invoice.Set("status", t.settle(invoice.GetString("document_type"), !invoice.GetDateTime("sent_at").IsZero()))
	invoice.Set("totals", t)
}
