package cii_test

import (
	"strings"
	"testing"

	"github.com/kontor-app/kontor/plugins/cii"
	"github.com/kontor-app/kontor/plugins/sdk"
)

func TestWrite(t *testing.T) {
	inv := &sdk.Invoice{
		Number: "1", IssueDate: "2026-03-02", DueDate: "2026-04-01", TypeCode: sdk.TypeCreditNote, Currency: "USD",
		VATAccountingCurrency: "EUR", PaymentTerms: "Due date: 2026-04-01",
		PrecedingInvoices: []sdk.PrecedingInvoice{{Number: "0", IssueDate: "2026-02-01"}},
		Seller:            sdk.Party{Name: "S", VATID: "DE1", Address: sdk.Address{Country: "DE"}},
		Buyer:             sdk.Party{Name: "B", Address: sdk.Address{Country: "DE"}},
		Totals:            sdk.Totals{LineNet: "90.00", Net: "90.00", VAT: "17.10", VATAccounting: "15.76", Gross: "107.10", Payable: "107.10"},
		VATBreakdown:      []sdk.VATBreakdown{{Category: "S", Rate: "19", Taxable: "90.00", VAT: "17.10"}},
		Lines: []sdk.Line{{ID: "1", Quantity: "10", UnitCode: "HUR", NetAmount: "90.00", Price: sdk.Price{Net: "10.00"},
			Allowances: []sdk.AllowanceCharge{{Amount: "10.00", BaseAmount: "100.00", Percentage: "10", ReasonCode: "95", Reason: "Discount"}},
			VAT:        sdk.LineVAT{Category: "S", Rate: "19"}, Item: sdk.Item{Name: "Consulting"}}},
	}
	out := string(cii.Write(inv, cii.Options{GuidelineID: "g", BusinessProcessID: "b"}))
	for _, s := range []string{
		"<ram:TypeCode>381</ram:TypeCode>",
		`<udt:DateTimeString format="102">20260302</udt:DateTimeString>`,
		`<ram:BilledQuantity unitCode="HUR">10</ram:BilledQuantity>`,
		"<ram:CalculationPercent>10</ram:CalculationPercent>",
		`<ram:TaxTotalAmount currencyID="USD">17.10</ram:TaxTotalAmount>`,
		`<ram:TaxTotalAmount currencyID="EUR">15.76</ram:TaxTotalAmount>`,
		"<ram:TaxCurrencyCode>EUR</ram:TaxCurrencyCode>",
		`<qdt:DateTimeString format="102">20260201</qdt:DateTimeString>`,
		"<ram:ApplicableHeaderTradeDelivery>",
		`<ram:ID schemeID="VA">DE1</ram:ID>`,
	} {
		if !strings.Contains(out, s) {
			t.Errorf("lacks %q", s)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}
