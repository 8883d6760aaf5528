package render

import (
	"time"

	"github.com/kontor-app/kontor/hooks/render/pdf"
)

// Document types a renderer draws.
const (
	TypeInvoice    = "invoice"
	TypeCreditNote = "credit_note"
)

// Document is everything a PDF shows of an invoice or a credit note, as
// plain values: amounts, quantities and rates are decimal strings ("1234.50"),
// dates are "YYYY-MM-DD". It knows nothing of PocketBase; DocumentFromRecord
// builds one from an invoices record.
type Document struct {
	Type     string // TypeInvoice or TypeCreditNote
	Number   string // empty for a draft
	Language string // en, es, de, fr or it; other values print in English

	IssueDate string
	DueDate   string
	Currency  string // ISO 4217

	Seller Party
	Buyer  Party

	BuyerReference string // BT-10
	OrderReference string // BT-13
	CreditedNumber string // for a credit note: the number of the invoice it corrects

	Lines     []Line
	Breakdown []Breakdown
	Totals    Totals
	Notes     string

	// Logo is the seller's logo, a PNG or JPEG file; nil for none.
	Logo []byte

	// PayURL is the document's public page, where the buyer pays online
	// (hooks/payments); empty for none.
	PayURL string

	// Draft marks a document not yet issued: the PDF says on every page
	// that it is not a valid invoice, and carries no payment QR code.
	Draft bool

	// Created is the creation date written into the file; the zero time
	// means now. Issued documents use their issue time, so that rendering
	// the same document again gives the same bytes.
	Created time.Time

	// Attachments are embedded as PDF/A-3 associated files, e.g. the
	// factur-x.xml of a Factur-X invoice (Relationship "Alternative").
	Attachments []Attachment

	// Metadata adds custom XMP properties with their PDF/A extension
	// schema, e.g. the fx: properties of Factur-X.
	Metadata []pdf.XMPSchema
}

// Party is the seller or the buyer as the document shows it.
type Party struct {
	Name        string `json:"name"`
	AddressLine string `json:"address_line"`
	City        string `json:"city"`
	PostalCode  string `json:"postal_code"`
	Country     string `json:"country"` // ISO 3166-1 alpha-2
	VATID       string `json:"vat_id"`
	TaxID       string `json:"tax_id"`
	Email       string `json:"email"`
	Phone       string `json:"phone"`
	IBAN        string `json:"iban"`
	BIC         string `json:"bic"`
}

// Line is one invoice line, as stored in the lines JSON of an invoice.
type Line struct {
	Description     string `json:"description"`
	Quantity        string `json:"quantity"`
	UnitCode        string `json:"unit_code"` // UN/ECE Recommendation 20
	UnitPrice       string `json:"unit_price"`
	DiscountPercent string `json:"discount_percent"`
	VATCategory     string `json:"vat_category"` // UNCL 5305
	VATRate         string `json:"vat_rate"`
	NetAmount       string `json:"net_amount"`
}

// Breakdown is one entry of the VAT breakdown, as stored in vat_breakdown.
type Breakdown struct {
	Category        string `json:"category"`
	Rate            string `json:"rate"`
	Taxable         string `json:"taxable"`
	VAT             string `json:"vat"`
	ExemptionReason string `json:"exemption_reason"` // already in the document's language
}

// Totals are the document totals, as stored in the totals JSON.
type Totals struct {
	Net                string `json:"net"`
	VAT                string `json:"vat"`
	Gross              string `json:"gross"`
	Credited           string `json:"credited"`
	Paid               string `json:"paid"`
	Due                string `json:"due"`
	VATAccounting      string `json:"vat_accounting"`
	AccountingCurrency string `json:"accounting_currency"`
}

// Attachment is a file embedded in the PDF as a PDF/A-3 associated file:
// listed in the catalog's /AF array and the EmbeddedFiles name tree, with
// its /AFRelationship.
type Attachment struct {
	Name         string // e.g. "factur-x.xml"
	MediaType    string // e.g. "text/xml"
	Relationship string // "Data", "Alternative", "Source", "Supplement" or "Unspecified"
	Description  string
	Data         []byte
}

// fileName is the name a document's PDF is offered under: its number, or
// draft-<record id> for a draft.
func fileName(draft bool, number, id string) string {
	if draft || number == "" {
		return "draft-" + id + ".pdf"
	}
	return safeFileName(number) + ".pdf"
}

// safeFileName keeps letters, digits and -_. of a document number, so it
// can stand in a Content-Disposition header and a file system.
func safeFileName(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			out = append(out, r)
		default:
			out = append(out, '_')
		}
	}
	if len(out) == 0 {
		return "document"
	}
	return string(out)
}
