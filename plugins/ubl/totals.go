package ubl

import "github.com/kontor-app/kontor/plugins/sdk"

// notSubject is the VAT category whose rate is never written (BR-O-05).
const notSubject = "O"

// taxTotals writes the VAT breakdown (BG-23) and, for an invoice with a VAT
// accounting currency, the total VAT in it (BT-111).
func (d *doc) taxTotals() {
	w, inv := d.w, d.inv
	w.Open("cac:TaxTotal")
	d.amount("cbc:TaxAmount", inv.Totals.VAT) // BT-110
	for _, b := range inv.VATBreakdown {
		w.Open("cac:TaxSubtotal")
		d.amount("cbc:TaxableAmount", b.Taxable) // BT-116
		d.amount("cbc:TaxAmount", b.VAT)         // BT-117
		d.taxCategory("cac:TaxCategory", b.Category, b.Rate, b.ExemptionReasonCode, b.ExemptionReason, true)
		w.Close()
	}
	w.Close()
	if inv.VATAccountingCurrency != "" && inv.VATAccountingCurrency != inv.Currency {
		w.Open("cac:TaxTotal")
		w.Leaf("cbc:TaxAmount", inv.Totals.VATAccounting, "currencyID", inv.VATAccountingCurrency)
		w.Close()
	}
}

// taxCategory writes a VAT category with its rate, and its exemption
// reason for a breakdown entry. Outside the breakdown, "not subject" has no
// rate (BR-O-05..07); in it, the rate is written, 0, as XRechnung demands
// (BR-DE-14).
func (d *doc) taxCategory(name, category, rate, reasonCode, reason string, breakdown bool) {
	w := d.w
	w.Open(name)
	w.Leaf("cbc:ID", category)
	if breakdown || category != notSubject {
		w.Leaf("cbc:Percent", rate)
	}
	w.Leaf("cbc:TaxExemptionReasonCode", reasonCode)
	w.Leaf("cbc:TaxExemptionReason", reason)
	w.Open("cac:TaxScheme")
	w.Leaf("cbc:ID", "VAT")
	w.Close()
	w.Close()
}

// monetaryTotal writes the document totals (BG-22).
func (d *doc) monetaryTotal() {
	t := d.inv.Totals
	d.w.Open("cac:LegalMonetaryTotal")
	d.amount("cbc:LineExtensionAmount", t.LineNet)     // BT-106
	d.amount("cbc:TaxExclusiveAmount", t.Net)          // BT-109
	d.amount("cbc:TaxInclusiveAmount", t.Gross)        // BT-112
	d.amount("cbc:AllowanceTotalAmount", t.Allowances) // BT-107
	d.amount("cbc:ChargeTotalAmount", t.Charges)       // BT-108
	d.amount("cbc:PrepaidAmount", t.Prepaid)           // BT-113
	d.amount("cbc:PayableRoundingAmount", t.Rounding)  // BT-114
	d.amount("cbc:PayableAmount", t.Payable)           // BT-115
	d.w.Close()
}

// allowanceCharge writes an allowance or charge of the document (with its
// VAT category) or of a line.
func (d *doc) allowanceCharge(a sdk.AllowanceCharge, charge, document bool) {
	w := d.w
	w.Open("cac:AllowanceCharge")
	indicator := "false"
	if charge {
		indicator = "true"
	}
	w.Leaf("cbc:ChargeIndicator", indicator)
	w.Leaf("cbc:AllowanceChargeReasonCode", a.ReasonCode)
	w.Leaf("cbc:AllowanceChargeReason", a.Reason)
	w.Leaf("cbc:MultiplierFactorNumeric", a.Percentage)
	d.amount("cbc:Amount", a.Amount)
	d.amount("cbc:BaseAmount", a.BaseAmount)
	if document {
		d.taxCategory("cac:TaxCategory", a.VATCategory, a.VATRate, "", "", false)
	}
	w.Close()
}
