package main

import (
	"encoding/json"
	"fmt"

	"github.com/kontor-app/kontor/en16931"
	"github.com/kontor-app/kontor/hooks/einvoice"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// Invoice builds an issued invoice of n lines the way Kontor does (the
// EN 16931 engine computes lines, totals and breakdown) and maps it to the
// canonical model.
func Invoice(n int) (*sdk.Invoice, error) {
	items := make([]map[string]any, n)
	for i := range items {
		rate := "19"
		if i%4 == 3 {
			rate = "7"
		}
		items[i] = map[string]any{"description": fmt.Sprintf("Service item %02d", i+1), "quantity": fmt.Sprintf("%d.5", i%5+1),
			"unit_price": fmt.Sprintf("%d.%02d", 20+i*3, i*7%100), "vat_category": "S", "vat_rate": rate}
		if i%5 == 0 {
			items[i]["discount_percent"] = "10"
		}
	}
	raw, _ := json.Marshal(items)
	lines, errs := en16931.ParseLines(raw)
	if len(errs) > 0 {
		return nil, errs
	}
	totals := en16931.Compute(lines, "en")
	stored := func(v any) []byte { b, _ := json.Marshal(v); return b }
	return einvoice.Canonical(einvoice.Issued{
		Number: "INV-2026-0042", IssueDate: "2026-03-02", DueDate: "2026-04-01", DocumentType: "invoice",
		Currency: "EUR", Language: "en", BuyerReference: "PO-4711",
		Lines: stored(lines),
		Totals: stored(map[string]string{"net": totals.Net.StringFixed(2), "vat": totals.VAT.StringFixed(2),
			"gross": totals.Gross.StringFixed(2)}),
		VATBreakdown: stored(totals.BreakdownForAPI()),
		Seller: map[string]any{"name": "Nordlicht Design GmbH", "vat_id": "DE123456789", "address_line": "Hauptstraße 1",
			"city": "Berlin", "postal_code": "10115", "country": "DE", "iban": "DE89370400440532013000",
			"contact_name": "Jana Nord", "phone": "+49 30 1234567", "email": "billing@nordlicht.example",
			"electronic_address": "DE123456789", "electronic_address_scheme": "9930"},
		Buyer: map[string]any{"name": "Acme Handels GmbH", "vat_id": "DE987654321", "address_line": "Marktplatz 5",
			"city": "München", "postal_code": "80331", "country": "DE",
			"electronic_address": "DE987654321", "electronic_address_scheme": "9930"},
	})
}
