package xrechnung_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/plugins/einvoicekit"
	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/plugins/xrechnung"
)

// sample is a small invoice to a German public buyer: two standard-rated
// lines, one with a 10 % discount.
func sample() *sdk.Invoice {
	return &sdk.Invoice{
		ModelVersion: sdk.ModelVersion, Number: "RE-2026-0001", IssueDate: "2026-03-02", DueDate: "2026-04-01",
		TypeCode: sdk.TypeInvoice, Currency: "EUR", BuyerReference: "04011000-12345-03",
		PaymentTerms: "Zahlbar bis 2026-04-01",
		Seller: sdk.Party{Name: "Nordlicht Design GmbH", VATID: "DE123456789", TaxRegistrationID: "30/123/45678",
			Address: sdk.Address{Line1: "Hauptstraße 1", City: "Berlin", PostalCode: "10115", Country: "DE"},
			Contact: &sdk.Contact{Name: "Jana Nord", Phone: "+49 30 1234567", Email: "billing@nordlicht.example"}},
		Buyer: sdk.Party{Name: "Stadt Musterhausen",
			ElectronicAddress: &sdk.ElectronicAddress{ID: "04011000-12345-03", Scheme: "0204"},
			Address:           sdk.Address{Line1: "Rathausplatz 1", City: "Musterhausen", PostalCode: "12345", Country: "DE"}},
		Payment: &sdk.PaymentInstructions{MeansCode: sdk.MeansSEPACreditTransfer, RemittanceInformation: "RE-2026-0001",
			CreditTransfer: &sdk.CreditTransfer{AccountID: "DE89370400440532013000", ServiceProviderID: "COBADEFFXXX"}},
		Totals:       sdk.Totals{LineNet: "190.00", Net: "190.00", VAT: "36.10", Gross: "226.10", Payable: "226.10"},
		VATBreakdown: []sdk.VATBreakdown{{Category: "S", Rate: "19", Taxable: "190.00", VAT: "36.10"}},
		Lines: []sdk.Line{
			{ID: "1", Quantity: "1", UnitCode: "C62", NetAmount: "100.00", Price: sdk.Price{Net: "100.00"},
				VAT: sdk.LineVAT{Category: "S", Rate: "19"}, Item: sdk.Item{Name: "Logo design"}},
			{ID: "2", Quantity: "10", UnitCode: "HUR", NetAmount: "90.00", Price: sdk.Price{Net: "10.00"},
				Allowances: []sdk.AllowanceCharge{{Amount: "10.00", BaseAmount: "100.00", Percentage: "10", Reason: "Discount", ReasonCode: "95"}},
				VAT:        sdk.LineVAT{Category: "S", Rate: "19"}, Item: sdk.Item{Name: "Consulting"}},
		},
	}
}

func TestPrepare(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*sdk.Invoice)
		rules []string
	}{
		{"complete", func(*sdk.Invoice) {}, nil},
		{"no Leitweg-ID", func(i *sdk.Invoice) { i.BuyerReference = "" }, []string{"BR-DE-15"}},
		{"no contact", func(i *sdk.Invoice) { i.Seller.Contact = nil }, []string{"BR-DE-5", "BR-DE-6", "BR-DE-7", "PEPPOL-EN16931-R020"}},
		{"no phone", func(i *sdk.Invoice) { i.Seller.Contact.Phone = "" }, []string{"BR-DE-6"}},
		{"no IBAN", func(i *sdk.Invoice) { i.Payment = nil }, []string{"BR-DE-1"}},
		{"no buyer address", func(i *sdk.Invoice) { i.Buyer.ElectronicAddress = nil }, []string{"PEPPOL-EN16931-R010"}},
		{"buyer email stands in", func(i *sdk.Invoice) {
			i.Buyer.ElectronicAddress, i.Buyer.Contact = nil, &sdk.Contact{Email: "rechnung@musterhausen.example"}
		}, nil},
		{"no postal codes", func(i *sdk.Invoice) { i.Seller.Address.PostalCode, i.Buyer.Address.PostalCode = "", "" }, []string{"BR-DE-4", "BR-DE-9"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inv := sample()
			tc.edit(inv)
			for _, f := range []sdk.Format{xrechnung.UBL{}, xrechnung.CII{}} {
				doc, err := f.Render(context.Background(), inv)
				if err != nil {
					t.Fatal(err)
				}
				var rules []string
				for _, i := range doc.Errors() {
					rules = append(rules, i.Rule)
				}
				if strings.Join(rules, ",") != strings.Join(tc.rules, ",") {
					t.Fatalf("%s: issues %v, want %v", f.Describe().Name, rules, tc.rules)
				}
				if (len(tc.rules) == 0) != (len(doc.Content) > 0) {
					t.Errorf("%s: document %q with issues %v", f.Describe().Name, doc.Content, rules)
				}
			}
		})
	}
}

// TestValidates runs the XRechnung rules on the sample as an invoice and as
// a credit note, in both syntaxes; the full matrix runs in hooks/einvoice.
func TestValidates(t *testing.T) {
	kit := einvoicekit.Require(t)
	note := sample()
	note.TypeCode, note.Number = sdk.TypeCreditNote, "GS-2026-0001"
	note.PrecedingInvoices = []sdk.PrecedingInvoice{{Number: "RE-2026-0001", IssueDate: "2026-03-02"}}
	for _, tc := range []struct {
		format  sdk.Format
		kitName string
	}{{xrechnung.UBL{}, "xrechnung-ubl"}, {xrechnung.CII{}, "xrechnung-cii"}} {
		dir := t.TempDir()
		var files []string
		for _, inv := range []*sdk.Invoice{sample(), note} {
			doc, err := tc.format.Render(context.Background(), inv)
			if err != nil || len(doc.Issues) > 0 {
				t.Fatalf("render: %v %+v", err, doc.Issues)
			}
			f := filepath.Join(dir, doc.FileName)
			if err := os.WriteFile(f, doc.Content, 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
		kit.MustPass(t, tc.kitName, files...)
	}
}
