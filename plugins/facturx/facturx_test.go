package facturx_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/plugins/einvoicekit"
	"github.com/kontor-app/kontor/plugins/facturx"
	"github.com/kontor-app/kontor/plugins/sdk"
)

func invoice() *sdk.Invoice {
	return &sdk.Invoice{
		ModelVersion: sdk.ModelVersion, Number: "F-2026-0001", IssueDate: "2026-03-02", DueDate: "2026-04-01",
		TypeCode: sdk.TypeInvoice, Currency: "EUR", PaymentTerms: "Payable by 2026-04-01",
		Seller: sdk.Party{Name: "Atelier Lumière SARL", VATID: "FR32123456789",
			Address: sdk.Address{Line1: "3 rue du Bac", City: "Paris", PostalCode: "75007", Country: "FR"}},
		Buyer: sdk.Party{Name: "Dupont SA", VATID: "FR12345678901",
			Address: sdk.Address{Line1: "12 rue de la Paix", City: "Lyon", PostalCode: "69002", Country: "FR"}},
		Payment: &sdk.PaymentInstructions{MeansCode: sdk.MeansSEPACreditTransfer, RemittanceInformation: "F-2026-0001",
			CreditTransfer: &sdk.CreditTransfer{AccountID: "FR7630006000011234567890189"}},
		Totals:       sdk.Totals{LineNet: "1000.00", Net: "1000.00", VAT: "200.00", Gross: "1200.00", Payable: "1200.00"},
		VATBreakdown: []sdk.VATBreakdown{{Category: "S", Rate: "20", Taxable: "1000.00", VAT: "200.00"}},
		Lines: []sdk.Line{{ID: "1", Quantity: "10", UnitCode: "HUR", NetAmount: "1000.00", Price: sdk.Price{Net: "100.00"},
			VAT: sdk.LineVAT{Category: "S", Rate: "20"}, Item: sdk.Item{Name: "Design"}}},
	}
}

// The XML is CII of the EN 16931 profile, named factur-x.xml, and passes
// the Factur-X 1.09 rules of that profile.
func TestRender(t *testing.T) {
	doc, err := facturx.Format{}.Render(context.Background(), invoice())
	if err != nil || len(doc.Errors()) > 0 {
		t.Fatalf("render: %v %v", err, doc.Issues)
	}
	if doc.FileName != "factur-x.xml" || !strings.Contains(string(doc.Content), "<ram:ID>urn:cen.eu:en16931:2017</ram:ID>") {
		t.Fatalf("file %q:\n%s", doc.FileName, doc.Content)
	}
	kit := einvoicekit.Require(t)
	file := filepath.Join(t.TempDir(), "factur-x.xml")
	if err := os.WriteFile(file, doc.Content, 0o644); err != nil {
		t.Fatal(err)
	}
	kit.MustPass(t, "facturx", file)
}

// An invoice EN 16931 refuses gives issues and no XML.
func TestRenderRefuses(t *testing.T) {
	inv := invoice()
	inv.Buyer.Address.Country = ""
	doc, err := facturx.Format{}.Render(context.Background(), inv)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Content) != 0 || len(doc.Errors()) != 1 || doc.Errors()[0].Field != "buyer.address.country" {
		t.Fatalf("document %q, issues %v", doc.Content, doc.Issues)
	}
}

func TestDescribe(t *testing.T) {
	d := facturx.Format{}.Describe()
	if d.Name != "factur-x" || !d.Has(sdk.CapabilityPDFAttachment) || !d.Has(sdk.CapabilityCreditNote) || d.MediaType != "application/pdf" {
		t.Fatalf("%+v", d)
	}
}
