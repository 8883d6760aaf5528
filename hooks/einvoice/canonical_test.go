package einvoice_test

import (
	"testing"

	"github.com/kontor-app/kontor/hooks/einvoice"
	"github.com/kontor-app/kontor/plugins/sdk"
)

func issued() einvoice.Issued {
	return einvoice.Issued{
		Number: "INV-2026-0001", IssueDate: "2026-03-02", DueDate: "2026-04-01", DocumentType: "invoice",
		Currency: "EUR", Language: "de", BuyerReference: "04011000-12345-03", Notes: "  Danke!  ",
		Lines: []byte(`[{"description":"Consulting","quantity":"3","unit_code":"HUR","unit_price":"19.99","discount_percent":"15",
			"vat_category":"S","vat_rate":"19","discount_amount":"9.00","net_amount":"50.97"}]`),
		Totals:       []byte(`{"net":"50.97","vat":"9.68","gross":"60.65","paid":"60.65","due":"0.00"}`),
		VATBreakdown: []byte(`[{"category":"S","rate":"19","taxable":"50.97","vat":"9.68","exemption_reason":""}]`),
		Seller: map[string]any{"name": "Nordlicht GmbH", "vat_id": "DE123456789", "tax_id": "30/123/45678",
			"country": "de", "city": "Berlin", "iban": "de89 3704 0044 0532 0130 00", "bic": "COBADEFFXXX",
			"contact_name": "Jana Nord", "phone": "+49 30 1", "email": "billing@example.com",
			"electronic_address": "DE123456789", "electronic_address_scheme": "9930"},
		Buyer: map[string]any{"name": "Stadt Musterhausen", "country": "DE", "email": "re@example.com"},
	}
}

func TestCanonical(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*einvoice.Issued)
		check func(t *testing.T, inv *sdk.Invoice)
	}{
		{"invoice as stored", func(*einvoice.Issued) {}, func(t *testing.T, inv *sdk.Invoice) {
			l := inv.Lines[0]
			a := l.Allowances[0]
			switch {
			case inv.TypeCode != sdk.TypeInvoice || inv.Number != "INV-2026-0001":
				t.Errorf("type %s number %s", inv.TypeCode, inv.Number)
			case inv.Totals != sdk.Totals{LineNet: "50.97", Net: "50.97", VAT: "9.68", Gross: "60.65", Payable: "60.65"}:
				// payments recorded after issue do not change the document
				t.Errorf("totals %+v", inv.Totals)
			case l.NetAmount != "50.97" || l.Price.Net != "19.99" || l.Quantity != "3" || l.UnitCode != "HUR":
				t.Errorf("line %+v", l)
			case a.Amount != "9.00" || a.BaseAmount != "59.97" || a.Percentage != "15" || a.ReasonCode != "95":
				t.Errorf("discount %+v", a)
			case inv.Payment.MeansCode != sdk.MeansSEPACreditTransfer || inv.Payment.CreditTransfer.AccountID != "DE89370400440532013000":
				t.Errorf("payment %+v", inv.Payment)
			case inv.Seller.Contact.Name != "Jana Nord" || inv.Seller.TaxRegistrationID != "30/123/45678" || inv.Seller.Address.Country != "DE":
				t.Errorf("seller %+v", inv.Seller)
			case inv.Seller.ElectronicAddress.Scheme != "9930" || inv.Buyer.ElectronicAddress != nil || inv.Buyer.Contact.Email != "re@example.com":
				t.Errorf("addresses %+v %+v", inv.Seller.ElectronicAddress, inv.Buyer)
			case inv.PaymentTerms != "Fällig am 01.04.2026" || len(inv.Notes) != 1 || inv.Notes[0] != "Danke!":
				t.Errorf("texts %q %q", inv.PaymentTerms, inv.Notes)
			}
		}},
		{"credit note", func(d *einvoice.Issued) {
			d.DocumentType = "credit_note"
			d.Credited = &sdk.PrecedingInvoice{Number: "INV-2026-0000", IssueDate: "2026-02-01"}
		}, func(t *testing.T, inv *sdk.Invoice) {
			if inv.TypeCode != sdk.TypeCreditNote || len(inv.PrecedingInvoices) != 1 || inv.PrecedingInvoices[0].Number != "INV-2026-0000" {
				t.Errorf("%s %+v", inv.TypeCode, inv.PrecedingInvoices)
			}
		}},
		{"another currency", func(d *einvoice.Issued) {
			d.Currency = "USD"
			d.Totals = []byte(`{"net":"50.97","vat":"9.68","gross":"60.65","vat_accounting":"8.92","accounting_currency":"EUR"}`)
		}, func(t *testing.T, inv *sdk.Invoice) {
			if inv.VATAccountingCurrency != "EUR" || inv.Totals.VATAccounting != "8.92" || inv.Payment.MeansCode != sdk.MeansCreditTransfer {
				t.Errorf("%s %s %s", inv.VATAccountingCurrency, inv.Totals.VATAccounting, inv.Payment.MeansCode)
			}
		}},
		{"reverse charge", func(d *einvoice.Issued) {
			d.VATBreakdown = []byte(`[{"category":"AE","rate":"0","taxable":"50.97","vat":"0.00","exemption_reason":"Reverse charge"}]`)
		}, func(t *testing.T, inv *sdk.Invoice) {
			if b := inv.VATBreakdown[0]; b.ExemptionReasonCode != "VATEX-EU-AE" || b.ExemptionReason != "Reverse charge" {
				t.Errorf("%+v", b)
			}
		}},
		{"intra-EU goods are delivered to the buyer", func(d *einvoice.Issued) {
			d.VATBreakdown = []byte(`[{"category":"K","rate":"0","taxable":"50.97","vat":"0.00","exemption_reason":"x"}]`)
		}, func(t *testing.T, inv *sdk.Invoice) {
			if inv.Delivery == nil || inv.Delivery.Date != "2026-03-02" || inv.Delivery.Address.Country != "DE" {
				t.Errorf("%+v", inv.Delivery)
			}
		}},
		{"not subject: the identifiers stay, for the formats that need them", func(d *einvoice.Issued) {
			d.VATBreakdown = []byte(`[{"category":"O","rate":"0","taxable":"50.97","vat":"0.00","exemption_reason":"x"}]`)
			d.Buyer["vat_id"] = "DE987654321"
		}, func(t *testing.T, inv *sdk.Invoice) {
			if inv.Seller.VATID == "" || inv.Buyer.VATID != "DE987654321" || inv.Seller.TaxRegistrationID != "30/123/45678" {
				t.Errorf("%+v %+v", inv.Seller, inv.Buyer)
			}
		}},
		{"national fields: tax regime, buyer tax code", func(d *einvoice.Issued) {
			d.Seller["tax_regime"] = "RF19"
			d.Buyer["tax_id"] = "RSSMRA80A01H501U"
		}, func(t *testing.T, inv *sdk.Invoice) {
			if inv.Seller.TaxRegime != "RF19" || inv.Buyer.TaxRegistrationID != "RSSMRA80A01H501U" {
				t.Errorf("%+v %+v", inv.Seller, inv.Buyer)
			}
		}},
		{"no IBAN, no payment instructions", func(d *einvoice.Issued) { d.Seller["iban"] = "" }, func(t *testing.T, inv *sdk.Invoice) {
			if inv.Payment != nil {
				t.Errorf("%+v", inv.Payment)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := issued()
			tc.edit(&d)
			inv, err := einvoice.Canonical(d)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, inv)
		})
	}

	bad := issued()
	bad.Lines = []byte(`{`)
	if _, err := einvoice.Canonical(bad); err == nil {
		t.Error("broken lines JSON: no error")
	}
}
