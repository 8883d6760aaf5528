package einvoice

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// statusDraft is the status of a document that is not issued yet.
const statusDraft = "draft"

// FromRecord reads an issued record of the invoices collection, and the
// invoice a credit note corrects.
func FromRecord(app core.App, r *core.Record) (Issued, error) {
	d := Issued{
		Number:         r.GetString("number"),
		IssueDate:      r.GetString("issue_date"),
		DueDate:        r.GetString("due_date"),
		DocumentType:   r.GetString("document_type"),
		Currency:       r.GetString("currency"),
		Language:       r.GetString("language"),
		BuyerReference: r.GetString("buyer_reference"),
		OrderReference: r.GetString("order_reference"),
		Notes:          r.GetString("notes"),
		Lines:          []byte(r.GetString("lines")),
		Totals:         []byte(r.GetString("totals")),
		VATBreakdown:   []byte(r.GetString("vat_breakdown")),
	}
	for field, target := range map[string]*map[string]any{"seller": &d.Seller, "buyer": &d.Buyer} {
		if err := decode([]byte(r.GetString(field)), target); err != nil {
			return d, fmt.Errorf("invoice %s: reading its %s: %w", d.Number, field, err)
		}
	}
	if d.DocumentType == documentCreditNote {
		if id := r.GetString("credited_invoice"); id != "" {
			credited, err := app.FindRecordById("invoices", id)
			if err != nil {
				return d, fmt.Errorf("credit note %s: the invoice it credits: %w", d.Number, err)
			}
			d.Credited = &sdk.PrecedingInvoice{Number: credited.GetString("number"), IssueDate: credited.GetString("issue_date")}
		}
	}
	return d, nil
}
