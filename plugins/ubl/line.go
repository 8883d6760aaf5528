package ubl

import "github.com/kontor-app/kontor/plugins/sdk"

// line writes an invoice line (BG-25).
func (d *doc) line(l sdk.Line) {
	w := d.w
	lineName, quantityName := "cac:InvoiceLine", "cbc:InvoicedQuantity"
	if d.cn {
		lineName, quantityName = "cac:CreditNoteLine", "cbc:CreditedQuantity"
	}
	w.Open(lineName)
	w.Leaf("cbc:ID", l.ID)                                   // BT-126
	w.Leaf("cbc:Note", l.Note)                               // BT-127
	w.Leaf(quantityName, l.Quantity, "unitCode", l.UnitCode) // BT-129, BT-130
	d.amount("cbc:LineExtensionAmount", l.NetAmount)         // BT-131
	d.period("cac:InvoicePeriod", l.Period)                  // BG-26
	for _, a := range l.Allowances {
		d.allowanceCharge(a, false, false) // BG-27
	}
	for _, c := range l.Charges {
		d.allowanceCharge(c, true, false) // BG-28
	}
	w.Open("cac:Item")
	w.Leaf("cbc:Description", l.Item.Description) // BT-154
	w.Leaf("cbc:Name", l.Item.Name)               // BT-153
	if l.Item.SellerID != "" {
		w.Open("cac:SellersItemIdentification")
		w.Leaf("cbc:ID", l.Item.SellerID) // BT-155
		w.Close()
	}
	w.Open("cac:ClassifiedTaxCategory")
	w.Leaf("cbc:ID", l.VAT.Category) // BT-151
	if l.VAT.Category != notSubject {
		w.Leaf("cbc:Percent", l.VAT.Rate) // BT-152
	}
	w.Open("cac:TaxScheme")
	w.Leaf("cbc:ID", "VAT")
	w.Close()
	w.Close()
	w.Close()
	w.Open("cac:Price")
	d.amount("cbc:PriceAmount", l.Price.Net) // BT-146
	w.Leaf("cbc:BaseQuantity", l.Price.BaseQuantity, "unitCode", l.Price.BaseQuantityUnitCode)
	if l.Price.Discount != "" {
		w.Open("cac:AllowanceCharge")
		w.Leaf("cbc:ChargeIndicator", "false")
		d.amount("cbc:Amount", l.Price.Discount)  // BT-147
		d.amount("cbc:BaseAmount", l.Price.Gross) // BT-148
		w.Close()
	}
	w.Close()
	w.Close()
}
