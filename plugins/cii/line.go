package cii

import "github.com/kontor-app/kontor/plugins/sdk"

// line writes an invoice line (BG-25).
func (d *doc) line(l sdk.Line) {
	w := d.w
	w.Open("ram:IncludedSupplyChainTradeLineItem")

	w.Open("ram:AssociatedDocumentLineDocument")
	w.Leaf("ram:LineID", l.ID) // BT-126
	if l.Note != "" {
		w.Open("ram:IncludedNote")
		w.Leaf("ram:Content", l.Note) // BT-127
		w.Close()
	}
	w.Close()

	w.Open("ram:SpecifiedTradeProduct")
	w.Leaf("ram:SellerAssignedID", l.Item.SellerID) // BT-155
	w.Leaf("ram:Name", l.Item.Name)                 // BT-153
	w.Leaf("ram:Description", l.Item.Description)   // BT-154
	w.Close()

	w.Open("ram:SpecifiedLineTradeAgreement")
	if l.Price.Gross != "" {
		w.Open("ram:GrossPriceProductTradePrice")
		w.Leaf("ram:ChargeAmount", l.Price.Gross) // BT-148
		w.Leaf("ram:BasisQuantity", l.Price.BaseQuantity, "unitCode", l.Price.BaseQuantityUnitCode)
		if l.Price.Discount != "" {
			w.Open("ram:AppliedTradeAllowanceCharge")
			w.Open("ram:ChargeIndicator")
			w.Leaf("udt:Indicator", "false")
			w.Close()
			w.Leaf("ram:ActualAmount", l.Price.Discount) // BT-147
			w.Close()
		}
		w.Close()
	}
	w.Open("ram:NetPriceProductTradePrice")
	w.Leaf("ram:ChargeAmount", l.Price.Net)                                                     // BT-146
	w.Leaf("ram:BasisQuantity", l.Price.BaseQuantity, "unitCode", l.Price.BaseQuantityUnitCode) // BT-149, BT-150
	w.Close()
	w.Close()

	w.Open("ram:SpecifiedLineTradeDelivery")
	w.Leaf("ram:BilledQuantity", l.Quantity, "unitCode", l.UnitCode) // BT-129, BT-130
	w.Close()

	w.Open("ram:SpecifiedLineTradeSettlement")
	w.Open("ram:ApplicableTradeTax")
	w.Leaf("ram:TypeCode", "VAT")
	w.Leaf("ram:CategoryCode", l.VAT.Category) // BT-151
	if l.VAT.Category != notSubject {
		w.Leaf("ram:RateApplicablePercent", l.VAT.Rate) // BT-152
	}
	w.Close()
	d.period(l.Period) // BG-26
	for _, a := range l.Allowances {
		d.allowanceCharge(a, false, false) // BG-27
	}
	for _, c := range l.Charges {
		d.allowanceCharge(c, true, false) // BG-28
	}
	w.Open("ram:SpecifiedTradeSettlementLineMonetarySummation")
	w.Leaf("ram:LineTotalAmount", l.NetAmount) // BT-131
	w.Close()
	w.Close()

	w.Close()
}
