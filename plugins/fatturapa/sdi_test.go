package fatturapa_test

import (
	"context"
	"encoding/xml"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/kontor-app/kontor/plugins/fatturapa"
)

// fattura is what the SDI's arithmetic checks read of a document.
type fattura struct {
	Body struct {
		Document struct {
			Total string `xml:"ImportoTotaleDocumento"`
		} `xml:"DatiGenerali>DatiGeneraliDocumento"`
		Lines []struct {
			Quantity    string `xml:"Quantita"`
			Price       string `xml:"PrezzoUnitario"`
			Adjustments []struct {
				Kind    string `xml:"Tipo"`
				Percent string `xml:"Percentuale"`
				Amount  string `xml:"Importo"`
			} `xml:"ScontoMaggiorazione"`
			Total  string `xml:"PrezzoTotale"`
			Rate   string `xml:"AliquotaIVA"`
			Nature string `xml:"Natura"`
		} `xml:"DatiBeniServizi>DettaglioLinee"`
		Summaries []struct {
			Rate    string `xml:"AliquotaIVA"`
			Nature  string `xml:"Natura"`
			Taxable string `xml:"ImponibileImporto"`
			Tax     string `xml:"Imposta"`
		} `xml:"DatiBeniServizi>DatiRiepilogo"`
	} `xml:"FatturaElettronicaBody"`
}

// dec reads a number of a document; empty is zero.
func dec(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	if s == "" {
		return decimal.Zero
	}
	return decimal.RequireFromString(s)
}

// TestSDIArithmetic replays on every rendered document the SDI's checks of
// the figures, which no schema states: PrezzoTotale is PrezzoUnitario,
// less its discounts or plus its surcharges, times Quantita (error 00423);
// each DatiRiepilogo's ImponibileImporto is the sum of the lines of its
// rate and Natura (00422) and its Imposta that amount at its rate (00421).
// The SDI allows a cent on a line and one euro on a summary; the test
// allows a cent on both, and checks the total of the document too.
func TestSDIArithmetic(t *testing.T) {
	cent := decimal.New(1, -2)
	for _, tc := range renderCases() {
		doc, err := fatturapa.Format{}.Render(context.Background(), tc.inv)
		if err != nil {
			t.Fatal(err)
		}
		var f fattura
		if err := xml.Unmarshal(doc.Content, &f); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		type key struct{ rate, nature string }
		sums := map[key]decimal.Decimal{}
		for i, l := range f.Body.Lines {
			unit := dec(t, l.Price)
			for _, a := range l.Adjustments {
				sign := decimal.NewFromInt(-1)
				if a.Kind == "MG" {
					sign = decimal.NewFromInt(1)
				}
				if a.Percent != "" {
					unit = unit.Add(unit.Mul(dec(t, a.Percent)).Div(decimal.NewFromInt(100)).Mul(sign))
				} else {
					unit = unit.Add(dec(t, a.Amount).Mul(sign))
				}
			}
			quantity := decimal.NewFromInt(1)
			if l.Quantity != "" {
				quantity = dec(t, l.Quantity)
			}
			if got := unit.Mul(quantity); got.Sub(dec(t, l.Total)).Abs().GreaterThan(cent) {
				t.Errorf("%s, line %d: PrezzoTotale %s, the SDI computes %s", tc.name, i+1, l.Total, got)
			}
			k := key{l.Rate, l.Nature}
			sums[k] = sums[k].Add(dec(t, l.Total))
		}
		total := decimal.Zero
		for _, s := range f.Body.Summaries {
			taxable := dec(t, s.Taxable)
			if sum := sums[key{s.Rate, s.Nature}]; !sum.Equal(taxable) {
				t.Errorf("%s: ImponibileImporto %s at %s %s, lines sum to %s", tc.name, s.Taxable, s.Rate, s.Nature, sum)
			}
			tax := taxable.Mul(dec(t, s.Rate)).Div(decimal.NewFromInt(100))
			if tax.Sub(dec(t, s.Tax)).Abs().GreaterThan(cent) {
				t.Errorf("%s: Imposta %s at %s, the SDI computes %s", tc.name, s.Tax, s.Rate, tax)
			}
			total = total.Add(taxable).Add(dec(t, s.Tax))
		}
		if !total.Equal(dec(t, f.Body.Document.Total)) {
			t.Errorf("%s: ImportoTotaleDocumento %s, summaries add up to %s", tc.name, f.Body.Document.Total, total)
		}
	}
}
