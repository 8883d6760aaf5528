package ubl_test

import (
	"strings"
	"testing"

	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/plugins/ubl"
)

func invoice() *sdk.Invoice {
	return &sdk.Invoice{
		Number: "1", IssueDate: "2026-03-02", DueDate: "2026-04-01", TypeCode: sdk.TypeInvoice, Currency: "USD",
		VATAccountingCurrency: "EUR",
		Seller:                sdk.Party{Name: "S", TaxRegistrationID: "30/1", Identifier: &sdk.Identifier{ID: "30/1"}, Address: sdk.Address{Country: "DE"}},
		Buyer:                 sdk.Party{Name: "B", Address: sdk.Address{Country: "DE"}},
		Payment:               &sdk.PaymentInstructions{MeansCode: "30", CreditTransfer: &sdk.CreditTransfer{AccountID: "DE89"}},
		Totals:                sdk.Totals{LineNet: "1.00", Net: "1.00", VAT: "0.00", VATAccounting: "0.00", Gross: "1.00", Payable: "1.00"},
		VATBreakdown:          []sdk.VATBreakdown{{Category: "O", Rate: "0", Taxable: "1.00", VAT: "0.00", ExemptionReasonCode: "VATEX-EU-O"}},
		Lines: []sdk.Line{{ID: "1", Quantity: "2", UnitCode: "C62", NetAmount: "1.00", Price: sdk.Price{Net: "0.50"},
			VAT: sdk.LineVAT{Category: "O", Rate: "0"}, Item: sdk.Item{Name: "x & y"}}},
	}
}

func TestWrite(t *testing.T) {
	note := invoice()
	note.TypeCode = sdk.TypeCreditNote
	cases := []struct {
		name       string
		inv        *sdk.Invoice
		has, lacks []string
	}{
		{"invoice", invoice(), []string{
			`<Invoice xmlns="` + ubl.NamespaceInvoice,
			"<cbc:DueDate>2026-04-01</cbc:DueDate>",
			`<cbc:InvoicedQuantity unitCode="C62">2</cbc:InvoicedQuantity>`,
			"<cbc:Name>x &amp; y</cbc:Name>",
			`<cbc:TaxAmount currencyID="EUR">0.00</cbc:TaxAmount>`, // BT-111
			"<cbc:ID>FC</cbc:ID>",                                  // BT-32
			"<cac:PartyIdentification>",                            // BT-29
		}, []string{"PaymentDueDate"}},
		{"credit note", note, []string{
			`<CreditNote xmlns="` + ubl.NamespaceCreditNote,
			"<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>",
			"<cbc:PaymentDueDate>2026-04-01</cbc:PaymentDueDate>",
			`<cbc:CreditedQuantity unitCode="C62">2</cbc:CreditedQuantity>`,
		}, []string{"<cbc:DueDate>", "InvoiceLine"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := string(ubl.Write(tc.inv, ubl.Options{CustomizationID: "c", ProfileID: "p"}))
			for _, s := range tc.has {
				if !strings.Contains(out, s) {
					t.Errorf("lacks %q", s)
				}
			}
			for _, s := range tc.lacks {
				if strings.Contains(out, s) {
					t.Errorf("has %q", s)
				}
			}
			// "not subject" has its rate in the breakdown only (BR-O-05, BR-DE-14)
			if n := strings.Count(out, "<cbc:Percent>"); n != 1 {
				t.Errorf("%d rates written, want 1", n)
			}
			if t.Failed() {
				t.Log(out)
			}
		})
	}
}
