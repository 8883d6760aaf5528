package peppol_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/plugins/einvoicekit"
	"github.com/kontor-app/kontor/plugins/peppol"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// sample is a small, correct invoice: two standard-rated lines, one with a
// 10 % discount.
func sample() *sdk.Invoice {
	return &sdk.Invoice{
		ModelVersion: sdk.ModelVersion, Number: "INV-2026-0001", IssueDate: "2026-03-02", DueDate: "2026-04-01",
		TypeCode: sdk.TypeInvoice, Currency: "EUR", BuyerReference: "PO-77",
		PaymentTerms: "Payment due by 2026-04-01",
		Seller: sdk.Party{Name: "Nordlicht Design GmbH", VATID: "DE123456789",
			ElectronicAddress: &sdk.ElectronicAddress{ID: "DE123456789", Scheme: "9930"},
			Address:           sdk.Address{Line1: "Hauptstraße 1", City: "Berlin", PostalCode: "10115", Country: "DE"},
			Contact:           &sdk.Contact{Name: "Jana Nord", Phone: "+49 30 1234567", Email: "billing@nordlicht.example"}},
		Buyer: sdk.Party{Name: "Acme AG", VATID: "DE987654321",
			ElectronicAddress: &sdk.ElectronicAddress{ID: "DE987654321", Scheme: "9930"},
			Address:           sdk.Address{Line1: "Marktplatz 5", City: "München", PostalCode: "80331", Country: "DE"}},
		Payment: &sdk.PaymentInstructions{MeansCode: sdk.MeansSEPACreditTransfer, RemittanceInformation: "INV-2026-0001",
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

func TestChecks(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*sdk.Invoice)
		terms []string
	}{
		{"complete", func(*sdk.Invoice) {}, nil},
		{"no seller address", func(i *sdk.Invoice) { i.Seller.ElectronicAddress = nil }, []string{"BT-34"}},
		{"buyer address without scheme", func(i *sdk.Invoice) { i.Buyer.ElectronicAddress.Scheme = "" }, []string{"BT-49"}},
		{"email is no Peppol address", func(i *sdk.Invoice) { i.Buyer.ElectronicAddress.Scheme = "EM" }, []string{"BT-49"}},
		{"no reference", func(i *sdk.Invoice) { i.BuyerReference = "" }, []string{"BT-10"}},
		{"order reference is enough", func(i *sdk.Invoice) { i.BuyerReference, i.OrderReference = "", "PO-1" }, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inv := sample()
			tc.edit(inv)
			doc, err := peppol.Format{}.Render(context.Background(), inv)
			if err != nil {
				t.Fatal(err)
			}
			var terms []string
			for _, i := range doc.Errors() {
				terms = append(terms, i.Term)
			}
			if strings.Join(terms, ",") != strings.Join(tc.terms, ",") {
				t.Fatalf("issues %v, want %v", terms, tc.terms)
			}
			if len(tc.terms) > 0 && len(doc.Content) != 0 {
				t.Error("a document despite errors")
			}
			if len(tc.terms) == 0 && (!strings.Contains(string(doc.Content), peppol.CustomizationID) || doc.FileName != "INV-2026-0001.xml") {
				t.Errorf("document: %s %s", doc.FileName, doc.Content)
			}
		})
	}
}

// TestValidates runs the Peppol rules on the sample as an invoice and as a
// credit note; the full matrix runs in hooks/einvoice.
func TestValidates(t *testing.T) {
	kit := einvoicekit.Require(t)
	dir := t.TempDir()
	note := sample()
	note.TypeCode, note.Number = sdk.TypeCreditNote, "CN-2026-0001"
	note.PrecedingInvoices = []sdk.PrecedingInvoice{{Number: "INV-2026-0001", IssueDate: "2026-03-02"}}
	var files []string
	for _, inv := range []*sdk.Invoice{sample(), note} {
		doc, err := peppol.Format{}.Render(context.Background(), inv)
		if err != nil || len(doc.Issues) > 0 {
			t.Fatalf("render: %v %+v", err, doc.Issues)
		}
		f := filepath.Join(dir, doc.FileName)
		if err := os.WriteFile(f, doc.Content, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	kit.MustPass(t, "peppol", files...)
}
