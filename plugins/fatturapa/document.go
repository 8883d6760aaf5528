package fatturapa

import (
	"fmt"
	"strings"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// Document types (TipoDocumento) of the invoices Kontor issues.
const (
	typeInvoice    = "TD01" // fattura
	typeCreditNote = "TD04" // nota di credito
)

// checkDocument checks the document's own data: its number, date, type,
// currency, the invoices a credit note corrects and the references.
func (f *facts) checkDocument(is *sdk.Issues, inv *sdk.Invoice) {
	number := strings.TrimSpace(inv.Number)
	switch {
	case !isBasic(number, 20):
		is.Error("", "number", "BT-1",
			"FatturaPA holds invoice numbers of 1 to 20 characters without accents (letters, digits, punctuation): this number does not fit. Use a shorter numbering pattern for the series.")
	case !digitPattern.MatchString(number):
		is.Error("SDI-00425", "number", "BT-1", "The SDI refuses an invoice number without a digit: number the series with {seq}.")
	}
	if !isDate(inv.IssueDate) {
		is.Error("", "issue_date", "BT-2", "FatturaPA needs the issue date as YYYY-MM-DD.")
	}
	if inv.TypeCode != sdk.TypeInvoice && inv.TypeCode != sdk.TypeCreditNote {
		is.Error("", "type_code", "BT-3", "FatturaPA renders invoices (380) and credit notes (381) only.")
	}
	if !currencyPattern.MatchString(inv.Currency) {
		is.Error("", "currency", "BT-5", "FatturaPA needs the invoice currency as its three-letter code (e.g. EUR).")
	}
	for i, p := range inv.PrecedingInvoices {
		if !isBasic(strings.TrimSpace(p.Number), 20) {
			is.Error("", fmt.Sprintf("preceding_invoices[%d].number", i), "BT-25",
				"FatturaPA holds the number of a corrected invoice in 1 to 20 characters without accents: this one does not fit.")
		}
		if p.IssueDate != "" && !isDate(p.IssueDate) {
			is.Error("", fmt.Sprintf("preceding_invoices[%d].issue_date", i), "BT-26", "FatturaPA needs the date of a corrected invoice as YYYY-MM-DD.")
		}
	}
	f.buyerRef = reference(is, inv.BuyerReference, "buyer_reference", "BT-10", "buyer reference")
	f.orderRef = reference(is, inv.OrderReference, "order_reference", "BT-13", "purchase order reference")
}

// reference returns an optional reference when it fits FatturaPA's
// String20Type, and warns that it is left out when it does not.
func reference(is *sdk.Issues, ref, field, term, what string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" || isBasic(ref, 20) {
		return ref
	}
	is.Warning("", field, term, "The "+what+" was left out: FatturaPA holds 1 to 20 characters without accents.")
	return ""
}

// checkTaxes checks the lines, the document level allowances and charges
// and the VAT breakdown, and decides the Natura of each breakdown entry.
// A category FatturaPA cannot state is reported once, where it first
// appears: in the breakdown, or else on a line.
func (f *facts) checkTaxes(is *sdk.Issues, inv *sdk.Invoice) {
	if len(inv.Lines) == 0 {
		is.Error("", "lines", "BG-25", "FatturaPA needs at least one invoice line.")
	}
	if n := len(inv.Lines) + len(inv.Allowances) + len(inv.Charges); n > maxLines {
		is.Error("", "lines", "BG-25", fmt.Sprintf("FatturaPA holds at most %d lines (with one for each document level allowance or charge); this invoice has %d.", maxLines, n))
	}
	if len(inv.VATBreakdown) == 0 {
		is.Error("", "vat_breakdown", "BG-23", "FatturaPA needs the VAT breakdown of the invoice.")
	}
	reported := map[string]bool{}
	check := func(category, rateValue, field, categoryTerm, rateTerm string) string {
		nature, ok := natura(category, f.foreign)
		switch {
		case reported[category]:
		case !ok:
			reported[category] = true
			is.Error("", field+"category", categoryTerm, unsupported(category))
		case category == standardRate && !positiveRate(rateValue):
			reported[category] = true
			is.Error("", field+"rate", rateTerm, "A standard rated supply needs a VAT rate above 0 with at most two decimals (e.g. 22).")
		}
		return nature
	}
	f.natures = make([]string, len(inv.VATBreakdown))
	for i, b := range inv.VATBreakdown {
		f.natures[i] = check(b.Category, b.Rate, fmt.Sprintf("vat_breakdown[%d].", i), "BT-118", "BT-119")
	}
	for i, l := range inv.Lines {
		check(l.VAT.Category, l.VAT.Rate, fmt.Sprintf("lines[%d].vat.", i), "BT-151", "BT-152")
		if latin(l.Item.Name, 1000) == "" {
			is.Error("", fmt.Sprintf("lines[%d].item.name", i), "BT-153", fmt.Sprintf("FatturaPA needs a description of line %d.", i+1))
		}
	}
	for i, a := range inv.Allowances {
		check(a.VATCategory, a.VATRate, fmt.Sprintf("allowances[%d].vat_", i), "BT-95", "BT-96")
	}
	for i, c := range inv.Charges {
		check(c.VATCategory, c.VATRate, fmt.Sprintf("charges[%d].vat_", i), "BT-102", "BT-103")
	}
}

// unsupported says why FatturaPA cannot state a VAT category.
func unsupported(category string) string {
	if category == "Z" {
		return "Italian VAT has no zero rate (category Z): choose the category that states why no VAT is charged, E (exempt, with the reason), G (export), K (intra-EU supply of goods), AE (reverse charge) or O (not subject)."
	}
	return "FatturaPA cannot state the VAT category \"" + category + "\": use S (taxed), E (exempt), G (export), K (intra-EU supply of goods), AE (reverse charge) or O (not subject)."
}

// positiveRate reports whether s is a VAT rate above 0 that RateType holds.
func positiveRate(s string) bool {
	r, ok := rate(s)
	return ok && r != "0.00"
}
