package render

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/kontor-app/kontor/locale"
)

// sampleLetter is a dunning letter to a business client with an invoice in
// euros and one in dollars, interest claimed on both, and a half-year whose
// rate is missing.
func sampleLetter(lang string) DunningLetter {
	return DunningLetter{
		Language: lang,
		Date:     "2025-12-31",
		Seller: Party{Name: "Müller & Söhne GmbH", AddressLine: "Hauptstraße 1", PostalCode: "10115", City: "Berlin",
			Country: "DE", VATID: "DE123456789", Email: "billing@example.com", IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX"},
		Buyer: Party{Name: "Acme Europe SARL", AddressLine: "12 rue de la Paix", PostalCode: "75002", City: "Paris",
			Country: "FR", VATID: "FR40303265045"},
		Items: []DunningItem{
			{Number: "INV-2025-0007", IssueDate: "2025-05-01", DueDate: "2025-06-20", Currency: "EUR", AmountDue: "1190.00", DaysLate: 194, Interest: "64.52"},
			{Number: "INV-2025-0031", IssueDate: "2025-10-31", DueDate: "2025-11-30", Currency: "USD", AmountDue: "595.00", DaysLate: 31, Interest: "5.13"},
			{Number: "INV-2025-0040", IssueDate: "2025-11-20", DueDate: "2025-12-20", Currency: "EUR", AmountDue: "119.00", DaysLate: 11},
		},
		Totals: []DunningTotal{
			{Currency: "EUR", AmountDue: "1309.00", Interest: "64.52", Compensation: "80.00", Total: "1453.52"},
			{Currency: "USD", AmountDue: "595.00", Interest: "5.13", Total: "600.13"},
		},
		CompensationCount: 2, CompensationEach: "40.00", CompensationTotal: "80.00",
		Rates:        []DunningRate{{Period: "2025-H1", Rate: "3.15", Total: "11.15"}, {Period: "2025-H2", Rate: "2.15", Total: "10.15"}},
		MissingRates: []string{"2026-H1"},
		Created:      time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC),
	}
}

// Each language prints the title, the invoices, the totals per currency
// with the compensation in euros, the rates applied and the half-year
// whose rate is missing.
func TestDunningText(t *testing.T) {
	cases := []struct {
		lang, title, interest, compensation, missing, page string
	}{
		{"en", "Payment reminder", "Late-payment interest", "Compensation for recovery costs", "first half of 2026", "Page 1 of 1"},
		{"de", "Mahnung", "Verzugszinsen", "Pauschale für Beitreibungskosten", "1. Halbjahr 2026", "Seite 1 von 1"},
		{"es", "Requerimiento de pago", "Intereses de demora", "Indemnización por costes de cobro", "primer semestre de 2026", "Página 1 de 1"},
		{"fr", "Relance de paiement", "Intérêts de retard", "Indemnité forfaitaire de recouvrement", "premier semestre 2026", "Page 1 sur 1"},
		{"it", "Sollecito di pagamento", "Interessi di mora", "Risarcimento dei costi di recupero", "primo semestre 2026", "Pagina 1 di 1"},
	}
	for _, c := range cases {
		t.Run(c.lang, func(t *testing.T) {
			letter := sampleLetter(c.lang)
			out, err := Dunning(letter)
			if err != nil {
				t.Fatal(err)
			}
			got := pdfText(t, out)
			flat := strings.Join(strings.Fields(got), " ")
			for _, want := range []string{
				c.title, c.interest, c.compensation, c.page,
				"INV-2025-0007", "INV-2025-0031", "INV-2025-0040", "194",
				plain(locale.Money("1190.00", "EUR", c.lang)),
				plain(locale.Money("64.52", "EUR", c.lang)),
				plain(locale.Money("5.13", "USD", c.lang)),
				plain(locale.Money("1309.00", "EUR", c.lang)),
				plain(locale.Money("80.00", "EUR", c.lang)),
				plain(locale.Money("1453.52", "EUR", c.lang)),
				plain(locale.Money("600.13", "USD", c.lang)),
				plain(locale.Rate("10.15", c.lang)),
				plain(locale.Rate("11.15", c.lang)),
				"2011/7/",
				locale.Date("2025-06-20", c.lang),
				"DE89 3704 0044 0532 0130 00",
				"Acme Europe SARL",
				"FR40303265045",
			} {
				if !strings.Contains(got, want) {
					t.Errorf("the text lacks %q:\n%s", want, got)
				}
			}
			if !strings.Contains(flat, c.missing) {
				t.Errorf("the text does not name the missing half-year %q:\n%s", c.missing, got)
			}
		})
	}
}

// A letter in several currencies has no payment QR code (it could carry
// one amount only); one in euros has one, for the total. The same letter
// gives the same bytes.
func TestDunningQRAndDeterminism(t *testing.T) {
	multi, err := Dunning(sampleLetter("en"))
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Dunning(sampleLetter("en"))
	if !bytes.Equal(multi, again) {
		t.Error("the same letter rendered twice differs")
	}
	euros := sampleLetter("en")
	euros.Items = []DunningItem{euros.Items[0], euros.Items[2]}
	euros.Totals = euros.Totals[:1]
	v := newDunningView(euros)
	if v.Payment == nil || v.Payment.QR == nil || !strings.Contains(v.Payment.Payload, "EUR1453.52") ||
		!strings.Contains(v.Payment.Payload, "INV-2025-0007, INV-2025-0040") {
		t.Errorf("euro letter payment: %+v", v.Payment)
	}
	if v := newDunningView(sampleLetter("en")); v.Payment == nil || v.Payment.QR != nil {
		t.Errorf("multi-currency letter payment: %+v", v.Payment)
	}
	out, err := Dunning(euros)
	if err != nil {
		t.Fatal(err)
	}
	if codes := decodeImages(t, tool(t, "zbarimg"), out); len(codes) != 1 || !strings.Contains(codes[0], "EUR1453.52") {
		t.Errorf("QR codes in the PDF: %q", codes)
	}
}

// A client with nothing overdue gets a letter that says so, and many
// invoices flow over pages under the table's header again.
func TestDunningEmptyAndLong(t *testing.T) {
	empty := sampleLetter("de")
	empty.Items, empty.Totals, empty.CompensationCount, empty.Rates, empty.MissingRates = nil, nil, 0, nil, nil
	out, err := Dunning(empty)
	if err != nil {
		t.Fatal(err)
	}
	if got := pdfText(t, out); !strings.Contains(got, "Keine Rechnung ist überfällig.") || strings.Contains(got, "Verzugszinsen") {
		t.Errorf("empty letter:\n%s", got)
	}

	long := sampleLetter("en")
	for i := 0; i < 120; i++ {
		long.Items = append(long.Items, long.Items[2])
	}
	out, err = Dunning(long)
	if err != nil {
		t.Fatal(err)
	}
	second := pdfText(t, out, "-f", "2", "-l", "2")
	if !strings.Contains(second, "Days late") || !strings.Contains(second, "Page 2 of") {
		t.Errorf("second page:\n%s", second)
	}
}
