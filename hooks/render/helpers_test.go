package render

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/kontor-app/kontor/en16931"
	"github.com/kontor-app/kontor/hooks/render/internal/rendertest"
)

// The shared test helpers, by their short names.
var (
	tool     = rendertest.Tool
	writePDF = rendertest.WritePDF
	run      = rendertest.Run
	pdfText  = rendertest.PDFText
	plain    = rendertest.Plain
	testLogo = rendertest.Logo
)

// vatCase is a VAT situation to print: the lines' category and rate.
type vatCase struct {
	category, rate, reason string
}

// sampleDocument is an issued invoice in the language: a German seller with
// an IBAN, a buyer, lines of the VAT case with totals computed by the
// EN 16931 engine, exactly as issuing stores them.
func sampleDocument(t testing.TB, lang string, vc vatCase, lineCount int) Document {
	t.Helper()
	var raw []map[string]any
	for i := 0; i < lineCount; i++ {
		line := map[string]any{
			"description": fmt.Sprintf("Consulting work package %d – analysis, design and review", i+1),
			"quantity":    "2.5", "unit_code": "HUR", "unit_price": "493.80",
			"vat_category": vc.category, "vat_rate": vc.rate,
		}
		if i%3 == 1 {
			line["discount_percent"] = "10"
			line["unit_code"] = "DAY"
		}
		if vc.reason != "" {
			line["exemption_reason"] = vc.reason
		}
		raw = append(raw, line)
	}
	lines, errs := en16931.ParseLines(mustJSON(t, raw))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	totals := en16931.Compute(lines, lang)
	doc := Document{
		Type: TypeInvoice, Number: "INV-2026-0042", Language: lang,
		IssueDate: "2026-03-05", DueDate: "2026-04-04", Currency: "EUR",
		Seller: Party{Name: "Müller & Söhne GmbH", AddressLine: "Hauptstraße 1", PostalCode: "10115", City: "Berlin",
			Country: "DE", VATID: "DE123456789", Email: "billing@example.com",
			IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX"},
		Buyer: Party{Name: "Acme Europe SARL", AddressLine: "12 rue de la Paix", PostalCode: "75002", City: "Paris",
			Country: "FR", VATID: "FR40303265045"},
		BuyerReference: "PO-7781", OrderReference: "ORD-2026-11",
		Totals: Totals{Net: totals.Net.StringFixed(2), VAT: totals.VAT.StringFixed(2), Gross: totals.Gross.StringFixed(2),
			Paid: "0.00", Due: totals.Gross.StringFixed(2)},
		Notes:   "Thank you for your business.\nDelivery as agreed.",
		Created: time.Date(2026, 3, 5, 9, 30, 0, 0, time.UTC),
	}
	for _, l := range lines {
		doc.Lines = append(doc.Lines, decodeLine(t, l))
	}
	for _, b := range totals.BreakdownForAPI() {
		doc.Breakdown = append(doc.Breakdown, Breakdown(b))
	}
	return doc
}

func decodeLine(t testing.TB, l en16931.Line) Line {
	t.Helper()
	var out Line
	if err := jsonRoundTrip(l, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func jsonRoundTrip(in, out any) error {
	raw, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, out)
}
