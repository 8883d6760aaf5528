package rules_test

import (
	"strings"
	"testing"

	"github.com/kontor-app/kontor/plugins/rules"
	"github.com/kontor-app/kontor/plugins/sdk"
)

func TestEN16931(t *testing.T) {
	complete := func() *sdk.Invoice {
		return &sdk.Invoice{
			Seller: sdk.Party{Name: "S", VATID: "DE1", Address: sdk.Address{Country: "DE"}},
			Buyer:  sdk.Party{Name: "B", Address: sdk.Address{Country: "ES"}},
		}
	}
	cases := []struct {
		name  string
		edit  func(*sdk.Invoice)
		rules string
	}{
		{"complete", func(*sdk.Invoice) {}, ""},
		{"identified by tax number", func(i *sdk.Invoice) {
			i.Seller.VATID, i.Seller.Identifier = "", &sdk.Identifier{ID: "30/123/45678"}
		}, ""},
		{"not identified", func(i *sdk.Invoice) { i.Seller.VATID = "" }, "BR-CO-26"},
		{"no names nor countries", func(i *sdk.Invoice) {
			i.Seller.Name, i.Buyer.Name, i.Seller.Address.Country, i.Buyer.Address.Country = "", "", "", ""
		}, "BR-6,BR-9,BR-7,BR-11"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inv := complete()
			tc.edit(inv)
			var got []string
			for _, i := range rules.EN16931(inv) {
				got = append(got, i.Rule)
			}
			if strings.Join(got, ",") != tc.rules {
				t.Errorf("got %v, want %s", got, tc.rules)
			}
		})
	}
}

// A document not subject to VAT loses its VAT identifiers and is identified
// by the seller's tax number; any other is left as it is.
func TestShape(t *testing.T) {
	invoice := func(categories ...string) *sdk.Invoice {
		inv := &sdk.Invoice{
			Seller: sdk.Party{Name: "S", VATID: "DE1", TaxRegistrationID: "30/123/45678"},
			Buyer:  sdk.Party{Name: "B", VATID: "ES2"},
		}
		for _, c := range categories {
			inv.VATBreakdown = append(inv.VATBreakdown, sdk.VATBreakdown{Category: c})
		}
		return inv
	}
	for _, categories := range [][]string{nil, {"S"}, {"O", "S"}, {"E"}} {
		in := invoice(categories...)
		if out := rules.Shape(in); out != in {
			t.Errorf("%v: changed", categories)
		}
	}
	in := invoice("O")
	out := rules.Shape(in)
	if out.Seller.VATID != "" || out.Buyer.VATID != "" || out.Seller.Identifier == nil || out.Seller.Identifier.ID != "30/123/45678" {
		t.Errorf("not subject: %+v %+v", out.Seller, out.Buyer)
	}
	if in.Seller.VATID != "DE1" || in.Buyer.VATID != "ES2" || in.Seller.Identifier != nil {
		t.Errorf("the input changed: %+v %+v", in.Seller, in.Buyer)
	}
}
