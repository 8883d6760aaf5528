package einvoice

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/kontor-app/kontor/money"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// Document types of the invoices collection.
const (
	documentInvoice    = "invoice"
	documentCreditNote = "credit_note"
)

// Issued is an issued invoice or credit note as its record froze it: the
// lines, totals and VAT breakdown computed when it was saved, and the
// seller and buyer as they stood when it was issued.
type Issued struct {
	Number, IssueDate, DueDate     string
	DocumentType                   string // "invoice" or "credit_note"
	Currency, Language             string
	BuyerReference, OrderReference string
	Notes                          string
	Lines, Totals, VATBreakdown    []byte         // the JSON fields as stored
	Seller, Buyer                  map[string]any // the snapshots
	// Credited is the invoice a credit note corrects.
	Credited *sdk.PrecedingInvoice
}

// storedLine is a line as the invoices collection stores it.
type storedLine struct {
	Description     string `json:"description"`
	Quantity        string `json:"quantity"`
	UnitCode        string `json:"unit_code"`
	UnitPrice       string `json:"unit_price"`
	DiscountPercent string `json:"discount_percent"`
	VATCategory     string `json:"vat_category"`
	VATRate         string `json:"vat_rate"`
	DiscountAmount  string `json:"discount_amount"`
	NetAmount       string `json:"net_amount"`
}

// storedTotals are the totals as the invoices collection stores them.
type storedTotals struct {
	Net                string `json:"net"`
	VAT                string `json:"vat"`
	Gross              string `json:"gross"`
	VATAccounting      string `json:"vat_accounting"`
	AccountingCurrency string `json:"accounting_currency"`
}

// storedBreakdown is a VAT breakdown entry as stored.
type storedBreakdown struct {
	Category        string `json:"category"`
	Rate            string `json:"rate"`
	Taxable         string `json:"taxable"`
	VAT             string `json:"vat"`
	ExemptionReason string `json:"exemption_reason"`
}

// exemptionCodes are the VATEX codes (BT-121) of the categories whose
// legal basis is fixed; an exempt (E) line states its own reason instead.
var exemptionCodes = map[string]string{
	"AE": "VATEX-EU-AE",
	"K":  "VATEX-EU-IC",
	"G":  "VATEX-EU-G",
	"O":  "VATEX-EU-O",
}

// Canonical maps an issued document to the canonical invoice. Every amount
// is the stored one, so the e-invoice states what the screen and the PDF
// state, to the cent; the only sum made here is a discounted line's gross
// (net + discount, both stored), which a line allowance states as its base.
func Canonical(d Issued) (*sdk.Invoice, error) {
	var lines []storedLine
	var totals storedTotals
	var breakdown []storedBreakdown
	if err := decode(d.Lines, &lines); err != nil {
		return nil, fmt.Errorf("invoice %s: reading its lines: %w", d.Number, err)
	}
	if err := decode(d.Totals, &totals); err != nil {
		return nil, fmt.Errorf("invoice %s: reading its totals: %w", d.Number, err)
	}
	if err := decode(d.VATBreakdown, &breakdown); err != nil {
		return nil, fmt.Errorf("invoice %s: reading its VAT breakdown: %w", d.Number, err)
	}

	inv := &sdk.Invoice{
		ModelVersion:   sdk.ModelVersion,
		Number:         d.Number,
		IssueDate:      d.IssueDate,
		TypeCode:       sdk.TypeInvoice,
		Currency:       d.Currency,
		DueDate:        d.DueDate,
		BuyerReference: d.BuyerReference,
		OrderReference: d.OrderReference,
		Language:       d.Language,
		Seller:         seller(d.Seller),
		Buyer:          buyer(d.Buyer),
		Totals: sdk.Totals{
			LineNet: totals.Net, Net: totals.Net, VAT: totals.VAT, Gross: totals.Gross,
			// the document as issued: payments recorded later do not change it
			Payable: totals.Gross,
		},
	}
	if d.DocumentType == documentCreditNote {
		inv.TypeCode = sdk.TypeCreditNote
		if d.Credited != nil {
			inv.PrecedingInvoices = []sdk.PrecedingInvoice{*d.Credited}
		}
	}
	if n := strings.TrimSpace(d.Notes); n != "" {
		inv.Notes = []string{n}
	}
	if totals.AccountingCurrency != "" && totals.AccountingCurrency != d.Currency && totals.VATAccounting != "" {
		inv.VATAccountingCurrency = totals.AccountingCurrency
		inv.Totals.VATAccounting = totals.VATAccounting
	}
	if d.DueDate != "" {
		inv.PaymentTerms = dueText(d.Language, d.DueDate)
	}
	inv.Payment = payment(d.Seller, d.Currency, d.Number)

	for _, b := range breakdown {
		inv.VATBreakdown = append(inv.VATBreakdown, sdk.VATBreakdown{
			Category: b.Category, Rate: b.Rate, Taxable: b.Taxable, VAT: b.VAT,
			ExemptionReason: b.ExemptionReason, ExemptionReasonCode: exemptionCodes[b.Category],
		})
		if b.Category == "K" && inv.Delivery == nil {
			// an intra-EU supply of goods states when and where it was
			// delivered (BR-IC-11, BR-IC-12): to the buyer, on the issue date
			address := inv.Buyer.Address
			inv.Delivery = &sdk.Delivery{Date: d.IssueDate, Address: &address}
		}
	}

	for i, l := range lines {
		line := sdk.Line{
			ID:        fmt.Sprint(i + 1),
			Quantity:  l.Quantity,
			UnitCode:  l.UnitCode,
			NetAmount: l.NetAmount,
			Price:     sdk.Price{Net: l.UnitPrice},
			VAT:       sdk.LineVAT{Category: l.VATCategory, Rate: l.VATRate},
			Item:      sdk.Item{Name: l.Description},
		}
		if l.DiscountPercent != "" && l.DiscountAmount != "" {
			base, err := sum(l.NetAmount, l.DiscountAmount)
			if err != nil {
				return nil, fmt.Errorf("invoice %s, line %d: %w", d.Number, i+1, err)
			}
			line.Allowances = []sdk.AllowanceCharge{{
				Amount: l.DiscountAmount, BaseAmount: base, Percentage: l.DiscountPercent,
				Reason: "Discount", ReasonCode: sdk.AllowanceReasonDiscount,
			}}
		}
		inv.Lines = append(inv.Lines, line)
	}
	return inv, nil
}

// decode reads a stored JSON field; empty is none.
func decode(raw []byte, v any) error {
	if len(raw) == 0 {
		return nil
	}
	return json.Unmarshal(raw, v)
}

// sum adds two stored amounts.
func sum(a, b string) (string, error) {
	x, err := money.Parse(a)
	if err != nil {
		return "", fmt.Errorf("amount %q: %w", a, err)
	}
	y, err := money.Parse(b)
	if err != nil {
		return "", fmt.Errorf("amount %q: %w", b, err)
	}
	return money.Amount(decimal.Sum(x, y)), nil
}

// text reads a snapshot field as text.
func text(p map[string]any, field string) string {
	v, ok := p[field]
	if !ok || v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return strings.TrimSpace(s)
	}
	return strings.TrimSpace(fmt.Sprint(v))
}

// party maps what a seller and a buyer snapshot share.
func party(p map[string]any) sdk.Party {
	out := sdk.Party{
		Name:  text(p, "name"),
		VATID: text(p, "vat_id"),
		Address: sdk.Address{
			Line1: text(p, "address_line"), City: text(p, "city"),
			PostalCode: text(p, "postal_code"), Country: strings.ToUpper(text(p, "country")),
		},
	}
	if id := text(p, "electronic_address"); id != "" {
		out.ElectronicAddress = &sdk.ElectronicAddress{ID: id, Scheme: strings.ToUpper(text(p, "electronic_address_scheme"))}
	}
	return out
}

// seller maps the seller snapshot (the workspace): BG-4 with its contact
// BG-6 from the workspace's contact name, phone and email.
func seller(p map[string]any) sdk.Party {
	out := party(p)
	out.TaxRegistrationID = text(p, "tax_id")
	out.TaxRegime = text(p, "tax_regime")
	if c := (sdk.Contact{Name: text(p, "contact_name"), Phone: text(p, "phone"), Email: text(p, "email")}); c != (sdk.Contact{}) {
		out.Contact = &c
	}
	return out
}

// buyer maps the buyer snapshot (the client): BG-7, its email as contact,
// its national tax code for the formats that ask for it.
func buyer(p map[string]any) sdk.Party {
	out := party(p)
	out.TaxRegistrationID = text(p, "tax_id")
	if email := text(p, "email"); email != "" {
		out.Contact = &sdk.Contact{Email: email}
	}
	return out
}

// payment maps the seller's bank account to payment instructions (BG-16):
// a SEPA credit transfer for euros, a credit transfer otherwise; none
// without an IBAN.
func payment(s map[string]any, currency, number string) *sdk.PaymentInstructions {
	iban := strings.ToUpper(strings.ReplaceAll(text(s, "iban"), " ", ""))
	if iban == "" {
		return nil
	}
	code := sdk.MeansCreditTransfer
	if currency == "EUR" {
		code = sdk.MeansSEPACreditTransfer
	}
	return &sdk.PaymentInstructions{
		MeansCode:             code,
		RemittanceInformation: number,
		CreditTransfer: &sdk.CreditTransfer{
			AccountID:         iban,
			ServiceProviderID: strings.ToUpper(strings.ReplaceAll(text(s, "bic"), " ", "")),
		},
	}
}
