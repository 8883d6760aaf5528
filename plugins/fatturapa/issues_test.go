package fatturapa_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/plugins/fatturapa"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// TestIssues edits a correct invoice into one FatturaPA cannot hold and
// checks that Render names the field, the rule where there is one, and
// writes no document.
func TestIssues(t *testing.T) {
	cases := []struct {
		name   string
		edit   func(*sdk.Invoice)
		fields []string // of the errors, in order
		rules  []string
	}{
		{"complete", func(*sdk.Invoice) {}, nil, nil},
		{"non-Italian seller", func(i *sdk.Invoice) {
			i.Seller.VATID, i.Seller.TaxRegistrationID = "DE123456789", ""
			i.Seller.Address = sdk.Address{Line1: "Hauptstraße 1", City: "Berlin", PostalCode: "10115", Country: "DE"}
		}, []string{"seller.address.country", "seller.vat_id"}, []string{"", "SDI-00301"}},
		{"no seller VAT number", func(i *sdk.Invoice) { i.Seller.VATID = "" }, []string{"seller.vat_id"}, []string{""}},
		{"short seller VAT number", func(i *sdk.Invoice) { i.Seller.VATID = "IT0123456" }, []string{"seller.vat_id"}, []string{"SDI-00301"}},
		{"bad seller codice fiscale", func(i *sdk.Invoice) { i.Seller.TaxRegistrationID = "12345" }, []string{"seller.tax_registration_id"}, []string{""}},
		{"bad tax regime", func(i *sdk.Invoice) { i.Seller.TaxRegime = "RF03" }, []string{"seller.tax_regime"}, []string{""}},
		{"empty tax regime is ordinary", func(i *sdk.Invoice) { i.Seller.TaxRegime = "" }, nil, nil},
		{"bad seller CAP", func(i *sdk.Invoice) { i.Seller.Address.PostalCode = "2012" }, []string{"seller.address.postal_code"}, []string{""}},
		{"no seller street", func(i *sdk.Invoice) { i.Seller.Address.Line1 = " " }, []string{"seller.address.line1"}, []string{""}},
		{"bad buyer CAP", func(i *sdk.Invoice) { i.Buyer.Address.PostalCode = "I-00144" }, []string{"buyer.address.postal_code"}, []string{""}},
		{"foreign buyer needs no CAP", func(i *sdk.Invoice) {
			i.Buyer = sdk.Party{Name: "Globex Inc.", Address: sdk.Address{Line1: "1 Fifth Avenue", City: "New York", Country: "US"}}
		}, nil, nil},
		{"Italian buyer without identifiers", func(i *sdk.Invoice) { i.Buyer.VATID, i.Buyer.TaxRegistrationID = "", "" },
			[]string{"buyer.vat_id"}, []string{"SDI-00417"}},
		{"bad buyer VAT number", func(i *sdk.Invoice) { i.Buyer.VATID = "IT98765" }, []string{"buyer.vat_id"}, []string{"SDI-00305"}},
		{"bad buyer codice fiscale", func(i *sdk.Invoice) { i.Buyer.TaxRegistrationID = "RSSMRA80A01H501" },
			[]string{"buyer.tax_registration_id"}, []string{"SDI-00306"}},
		{"Codice Destinatario too short", func(i *sdk.Invoice) { i.Buyer.ElectronicAddress.ID = "ABC12" },
			[]string{"buyer.electronic_address"}, []string{"SDI-00311"}},
		{"Codice Destinatario with a symbol", func(i *sdk.Invoice) { i.Buyer.ElectronicAddress.ID = "ABC-123" },
			[]string{"buyer.electronic_address"}, []string{"SDI-00311"}},
		{"IPA code of 7 characters", func(i *sdk.Invoice) {
			i.Buyer.ElectronicAddress = &sdk.ElectronicAddress{ID: "UFABCDE", Scheme: "0201"}
		},
			[]string{"buyer.electronic_address"}, []string{"SDI-00311"}},
		{"PEC that is no address", func(i *sdk.Invoice) {
			i.Buyer.ElectronicAddress = &sdk.ElectronicAddress{ID: "fatture at pec", Scheme: "EM"}
		},
			[]string{"buyer.electronic_address"}, []string{""}},
		{"zero rated", func(i *sdk.Invoice) {
			i.Lines[0].VAT = sdk.LineVAT{Category: "Z", Rate: "0"}
			i.VATBreakdown = []sdk.VATBreakdown{{Category: "Z", Rate: "0", Taxable: "100.00", VAT: "0.00"}}
		}, []string{"vat_breakdown[0].category"}, []string{""}},
		{"number too long", func(i *sdk.Invoice) { i.Number = "FATTURA-2026-000000001" }, []string{"number"}, []string{""}},
		{"number without digits", func(i *sdk.Invoice) { i.Number = "FT-A" }, []string{"number"}, []string{"SDI-00425"}},
		{"no lines", func(i *sdk.Invoice) { i.Lines = nil }, []string{"lines"}, []string{""}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inv := finish(sample("FT-2026-0100", line("Consulenza", "1", "100.00", "", "S", "22")), nil)
			tc.edit(inv)
			doc, err := fatturapa.Format{}.Render(context.Background(), inv)
			if err != nil {
				t.Fatal(err)
			}
			var fields, rules []string
			for _, i := range doc.Errors() {
				fields, rules = append(fields, i.Field), append(rules, i.Rule)
				if i.Message == "" || !strings.HasSuffix(i.Message, ".") {
					t.Errorf("message %q", i.Message)
				}
			}
			if strings.Join(fields, ",") != strings.Join(tc.fields, ",") || strings.Join(rules, ",") != strings.Join(tc.rules, ",") {
				t.Fatalf("errors %v %v, want %v %v: %+v", fields, rules, tc.fields, tc.rules, doc.Issues)
			}
			if (len(tc.fields) == 0) != (len(doc.Content) > 0) {
				t.Errorf("content %d bytes with errors %v", len(doc.Content), fields)
			}
		})
	}
}

// TestMalformedAmount fails the render, not the invoice: a canonical
// amount that is no decimal is Kontor's fault.
func TestMalformedAmount(t *testing.T) {
	inv := finish(sample("FT-2026-0101", line("Consulenza", "1", "100.00", "", "S", "22")), nil)
	inv.Totals.Gross = "12,20"
	if _, err := (fatturapa.Format{}).Render(context.Background(), inv); err == nil {
		t.Error("no error")
	}
}
