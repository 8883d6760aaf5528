// Package cii writes a canonical invoice as a UN/CEFACT Cross Industry
// Invoice (CII D16B), with the EN 16931 mapping of every business term: the
// syntax XRechnung (CII) and Factur-X share. The profiles differ in their
// identifiers and in what they demand, which their plugins check before
// writing.
package cii

import (
	"strings"

	"github.com/kontor-app/kontor/plugins/internal/xmlw"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// Namespaces of CII D16B.
const (
	NamespaceRSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
	namespaceRAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
	namespaceQDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
	namespaceUDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
)

// MediaType is the media type of a CII document.
const MediaType = "application/xml"

// notSubject is the VAT category whose rate is never written (BR-O-05).
const notSubject = "O"

// Options are the identifiers of the profile a document follows.
type Options struct {
	// GuidelineID is the specification identifier (BT-24).
	GuidelineID string
	// BusinessProcessID is the business process type (BT-23).
	BusinessProcessID string
}

// Write writes the invoice as CII. Amounts are written as the invoice has
// them.
func Write(inv *sdk.Invoice, o Options) []byte {
	d := doc{w: xmlw.New(), inv: inv}
	d.write(o)
	return d.w.Bytes()
}

// doc is one document being written.
type doc struct {
	w   *xmlw.Writer
	inv *sdk.Invoice
}

func (d *doc) write(o Options) {
	w, inv := d.w, d.inv
	w.Open("rsm:CrossIndustryInvoice", "xmlns:rsm", NamespaceRSM, "xmlns:ram", namespaceRAM,
		"xmlns:qdt", namespaceQDT, "xmlns:udt", namespaceUDT)

	w.Open("rsm:ExchangedDocumentContext")
	if o.BusinessProcessID != "" {
		w.Open("ram:BusinessProcessSpecifiedDocumentContextParameter")
		w.Leaf("ram:ID", o.BusinessProcessID)
		w.Close()
	}
	w.Open("ram:GuidelineSpecifiedDocumentContextParameter")
	w.Leaf("ram:ID", o.GuidelineID)
	w.Close()
	w.Close()

	w.Open("rsm:ExchangedDocument")
	w.Leaf("ram:ID", inv.Number)
	w.Leaf("ram:TypeCode", inv.TypeCode)
	d.dateTime("ram:IssueDateTime", inv.IssueDate)
	for _, n := range inv.Notes {
		w.Open("ram:IncludedNote")
		w.Leaf("ram:Content", n)
		w.Close()
	}
	w.Close()

	w.Open("rsm:SupplyChainTradeTransaction")
	for _, l := range inv.Lines {
		d.line(l)
	}
	d.agreement()
	d.delivery()
	d.settlement()
	w.Close()

	w.Close()
}

// date writes a date (YYYY-MM-DD) in format 102 (YYYYMMDD).
func (d *doc) dateTime(name, date string) {
	if date == "" {
		return
	}
	d.w.Open(name)
	d.w.Leaf("udt:DateTimeString", strings.ReplaceAll(date, "-", ""), "format", "102")
	d.w.Close()
}

// period writes a billing period (BG-14, BG-26).
func (d *doc) period(p *sdk.Period) {
	if p == nil || p.Start == "" && p.End == "" {
		return
	}
	d.w.Open("ram:BillingSpecifiedPeriod")
	d.dateTime("ram:StartDateTime", p.Start)
	d.dateTime("ram:EndDateTime", p.End)
	d.w.Close()
}

// allowanceCharge writes an allowance or charge, with the VAT category of a
// document level one.
func (d *doc) allowanceCharge(a sdk.AllowanceCharge, charge, document bool) {
	w := d.w
	w.Open("ram:SpecifiedTradeAllowanceCharge")
	w.Open("ram:ChargeIndicator")
	indicator := "false"
	if charge {
		indicator = "true"
	}
	w.Leaf("udt:Indicator", indicator)
	w.Close()
	w.Leaf("ram:CalculationPercent", a.Percentage)
	w.Leaf("ram:BasisAmount", a.BaseAmount)
	w.Leaf("ram:ActualAmount", a.Amount)
	w.Leaf("ram:ReasonCode", a.ReasonCode)
	w.Leaf("ram:Reason", a.Reason)
	if document {
		w.Open("ram:CategoryTradeTax")
		w.Leaf("ram:TypeCode", "VAT")
		w.Leaf("ram:CategoryCode", a.VATCategory)
		if a.VATCategory != notSubject {
			w.Leaf("ram:RateApplicablePercent", a.VATRate)
		}
		w.Close()
	}
	w.Close()
}
