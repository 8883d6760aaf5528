// Package ubl writes a canonical invoice as an OASIS UBL 2.1 Invoice or
// CreditNote, with the EN 16931 mapping of every business term (the syntax
// binding Peppol BIS Billing 3.0 and XRechnung share). The profiles differ
// only in their identifiers and in what they demand, which their plugins
// check before writing.
package ubl

import (
	"github.com/kontor-app/kontor/plugins/internal/xmlw"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// Namespaces of UBL 2.1.
const (
	NamespaceInvoice    = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
	NamespaceCreditNote = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
	namespaceCAC        = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
	namespaceCBC        = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
)

// MediaType is the media type of a UBL document.
const MediaType = "application/xml"

// Options are the identifiers of the profile a document follows.
type Options struct {
	// CustomizationID is the specification identifier (BT-24).
	CustomizationID string
	// ProfileID is the business process type (BT-23).
	ProfileID string
}

// Write writes the invoice as UBL: a CreditNote for a credit note, an
// Invoice otherwise. Amounts are written as the invoice has them.
func Write(inv *sdk.Invoice, o Options) []byte {
	d := doc{w: xmlw.New(), inv: inv, cn: inv.IsCreditNote()}
	d.write(o)
	return d.w.Bytes()
}

// doc is one document being written.
type doc struct {
	w   *xmlw.Writer
	inv *sdk.Invoice
	cn  bool // a CreditNote
}

func (d *doc) write(o Options) {
	w, inv := d.w, d.inv
	root, ns := "Invoice", NamespaceInvoice
	if d.cn {
		root, ns = "CreditNote", NamespaceCreditNote
	}
	w.Open(root, "xmlns", ns, "xmlns:cac", namespaceCAC, "xmlns:cbc", namespaceCBC)
	w.Leaf("cbc:CustomizationID", o.CustomizationID)
	w.Leaf("cbc:ProfileID", o.ProfileID)
	w.Leaf("cbc:ID", inv.Number)
	w.Leaf("cbc:IssueDate", inv.IssueDate)
	if d.cn {
		w.Leaf("cbc:CreditNoteTypeCode", inv.TypeCode)
	} else {
		w.Leaf("cbc:DueDate", inv.DueDate)
		w.Leaf("cbc:InvoiceTypeCode", inv.TypeCode)
	}
	for _, n := range inv.Notes {
		w.Leaf("cbc:Note", n)
	}
	w.Leaf("cbc:DocumentCurrencyCode", inv.Currency)
	w.Leaf("cbc:TaxCurrencyCode", inv.VATAccountingCurrency)
	w.Leaf("cbc:BuyerReference", inv.BuyerReference)
	d.period("cac:InvoicePeriod", inv.InvoicingPeriod)
	if inv.OrderReference != "" {
		w.Open("cac:OrderReference")
		w.Leaf("cbc:ID", inv.OrderReference)
		w.Close()
	}
	for _, p := range inv.PrecedingInvoices {
		w.Open("cac:BillingReference")
		w.Open("cac:InvoiceDocumentReference")
		w.Leaf("cbc:ID", p.Number)
		w.Leaf("cbc:IssueDate", p.IssueDate)
		w.Close()
		w.Close()
	}
	d.party("cac:AccountingSupplierParty", inv.Seller, true)
	d.party("cac:AccountingCustomerParty", inv.Buyer, false)
	d.delivery()
	d.paymentMeans()
	if inv.PaymentTerms != "" {
		w.Open("cac:PaymentTerms")
		w.Leaf("cbc:Note", inv.PaymentTerms)
		w.Close()
	}
	for _, a := range inv.Allowances {
		d.allowanceCharge(a, false, true)
	}
	for _, c := range inv.Charges {
		d.allowanceCharge(c, true, true)
	}
	d.taxTotals()
	d.monetaryTotal()
	for _, l := range inv.Lines {
		d.line(l)
	}
	w.Close()
}

// amount writes an amount in the invoice currency.
func (d *doc) amount(name, value string) {
	d.w.Leaf(name, value, "currencyID", d.inv.Currency)
}

func (d *doc) period(name string, p *sdk.Period) {
	if p == nil || p.Start == "" && p.End == "" {
		return
	}
	d.w.Open(name)
	d.w.Leaf("cbc:StartDate", p.Start)
	d.w.Leaf("cbc:EndDate", p.End)
	d.w.Close()
}
