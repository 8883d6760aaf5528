package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"time"

	"github.com/kontor-app/kontor/en16931"
	"github.com/kontor-app/kontor/hooks/render"
)

// invoice returns an issued German-seller invoice with a logo and n lines,
// its totals computed by the EN 16931 engine as issuing stores them.
func invoice(n int, logo []byte) (render.Document, error) {
	raw := make([]map[string]any, n)
	units := []string{"HUR", "DAY", "C62"}
	for i := range raw {
		raw[i] = map[string]any{
			"description":  fmt.Sprintf("Work package %d: analysis, design, implementation and review of the agreed scope", i+1),
			"quantity":     fmt.Sprintf("%d.5", i%7+1),
			"unit_code":    units[i%len(units)],
			"unit_price":   fmt.Sprintf("%d.90", 40+i%200),
			"vat_category": "S", "vat_rate": "19",
		}
		if i%4 == 3 {
			raw[i]["discount_percent"] = "5"
		}
	}
	data, err := json.Marshal(raw)
	if err != nil {
		return render.Document{}, err
	}
	lines, errs := en16931.ParseLines(data)
	if len(errs) > 0 {
		return render.Document{}, errs
	}
	totals := en16931.Compute(lines, "de")
	doc := render.Document{
		Type: render.TypeInvoice, Number: "RE-2026-00042", Language: "de",
		IssueDate: "2026-03-05", DueDate: "2026-04-04", Currency: "EUR",
		Seller: render.Party{Name: "Müller & Söhne Softwarebau GmbH", AddressLine: "Hauptstraße 1", PostalCode: "10115",
			City: "Berlin", Country: "DE", VATID: "DE123456789", Email: "rechnung@example.com",
			IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX"},
		Buyer: render.Party{Name: "Acme Europe SARL", AddressLine: "12 rue de la Paix", PostalCode: "75002",
			City: "Paris", Country: "FR", VATID: "FR40303265045"},
		BuyerReference: "PO-7781",
		Totals: render.Totals{Net: totals.Net.StringFixed(2), VAT: totals.VAT.StringFixed(2),
			Gross: totals.Gross.StringFixed(2), Paid: "0.00", Due: totals.Gross.StringFixed(2)},
		Notes:   "Vielen Dank für Ihren Auftrag.",
		Logo:    logo,
		Created: time.Date(2026, 3, 5, 9, 30, 0, 0, time.UTC),
	}
	for _, l := range lines {
		var line render.Line
		raw, _ := json.Marshal(l)
		if err := json.Unmarshal(raw, &line); err != nil {
			return doc, err
		}
		doc.Lines = append(doc.Lines, line)
	}
	for _, b := range totals.BreakdownForAPI() {
		doc.Breakdown = append(doc.Breakdown, render.Breakdown(b))
	}
	return doc, nil
}

// invoicePages returns an invoice that renders to exactly the given number
// of pages, with as many lines as fit.
func invoicePages(pages int, logo []byte) (render.Document, error) {
	var best render.Document
	for n := 1; n <= 2000; n++ {
		doc, err := invoice(n, logo)
		if err != nil {
			return doc, err
		}
		out, err := render.Invoice(doc)
		if err != nil {
			return doc, err
		}
		switch got := pageCount(out); {
		case got == pages:
			best = doc
		case got > pages:
			if best.Lines == nil {
				return doc, fmt.Errorf("no line count gives %d pages", pages)
			}
			return best, nil
		}
	}
	return best, fmt.Errorf("no line count gives %d pages", pages)
}

// pageCount reads the page count of a PDF the native renderer wrote.
func pageCount(pdf []byte) int {
	return bytes.Count(pdf, []byte("/Type /Page /Parent"))
}

// logo is a 600×200 PNG with a transparent margin, like a typical
// company logo.
func logo() []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 600, 200))
	for y := 0; y < 200; y++ {
		for x := 0; x < 600; x++ {
			if x < 30 || x > 570 || y < 20 || y > 180 {
				continue // transparent
			}
			img.Set(x, y, color.NRGBA{uint8(20 + x/5), 60, uint8(120 + y/4), 255})
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}
