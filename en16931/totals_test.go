package en16931

import (
	"encoding/json"
	"testing"

	"github.com/kontor-app/kontor/money"
)

// l builds a line from strings: quantity, unit price, discount %, category, rate.
func l(qty, price, discount, category, rate string) map[string]any {
	m := map[string]any{"description": "item", "quantity": qty, "unit_price": price, "vat_category": category, "vat_rate": rate}
	if discount != "" {
		m["discount_percent"] = discount
	}
	return m
}

func TestCompute(t *testing.T) {
	type entry struct{ category, rate, taxable, vat, reason string }
	cases := []struct {
		name      string
		language  string
		lines     []map[string]any
		lineNets  []string
		net, vat  string
		gross     string
		breakdown []entry
	}{
		{
			name:     "one standard rate",
			lines:    []map[string]any{l("2", "12.50", "", "S", "21")},
			lineNets: []string{"25.00"},
			net:      "25.00", vat: "5.25", gross: "30.25",
			breakdown: []entry{{"S", "21", "25.00", "5.25", ""}},
		},
		{
			name: "mixed rates, VAT per rate from the sum of nets",
			lines: []map[string]any{
				l("3", "10.00", "", "S", "21"),
				l("1", "5.55", "", "S", "10"),
				l("2", "4.99", "", "S", "4"),
			},
			lineNets: []string{"30.00", "5.55", "9.98"},
			net:      "45.53", vat: "7.26", gross: "52.79",
			breakdown: []entry{
				{"S", "21", "30.00", "6.30", ""},
				{"S", "10", "5.55", "0.56", ""}, // 0.555 rounds half away from zero
				{"S", "4", "9.98", "0.40", ""},
			},
		},
		{
			name: "VAT is rounded once per rate, not per line",
			lines: []map[string]any{
				l("1", "0.05", "", "S", "10"),
				l("1", "0.05", "", "S", "10"),
				l("1", "0.05", "", "S", "10"),
			},
			lineNets: []string{"0.05", "0.05", "0.05"},
			net:      "0.15", vat: "0.02", gross: "0.17", // per line it would be 3 × 0.01 = 0.03
			breakdown: []entry{{"S", "10", "0.15", "0.02", ""}},
		},
		{
			name:     "VAT at exactly .005 rounds half away from zero, not to even",
			lines:    []map[string]any{l("1", "0.25", "", "S", "10")},
			lineNets: []string{"0.25"},
			net:      "0.25", vat: "0.03", gross: "0.28",
			breakdown: []entry{{"S", "10", "0.25", "0.03", ""}},
		},
		{
			name: "line nets at .005 and with many decimals",
			lines: []map[string]any{
				l("1", "2.345", "", "S", "20"),   // 2.345 → 2.35
				l("1.5", "3.335", "", "S", "20"), // 5.0025 → 5.00
				l("3", "0.333", "", "S", "20"),   // 0.999 → 1.00
				l("-1", "2.345", "", "S", "20"),  // −2.345 → −2.35
			},
			lineNets: []string{"2.35", "5.00", "1.00", "-2.35"},
			net:      "6.00", vat: "1.20", gross: "7.20",
			breakdown: []entry{{"S", "20", "6.00", "1.20", ""}},
		},
		{
			name: "line discounts",
			lines: []map[string]any{
				l("3", "19.99", "15", "S", "21"),   // 59.97 − 8.9955→9.00 = 50.97
				l("10", "9.95", "12.5", "S", "19"), // 99.50 − 12.4375→12.44 = 87.06
				l("1", "100", "100", "S", "21"),    // free of charge
			},
			lineNets: []string{"50.97", "87.06", "0.00"},
			net:      "138.03", vat: "27.24", gross: "165.27",
			breakdown: []entry{
				{"S", "21", "50.97", "10.70", ""}, // 10.7037
				{"S", "19", "87.06", "16.54", ""}, // 16.5414
			},
		},
		{
			name:     "intra-EU reverse charge carries the legal mention",
			lines:    []map[string]any{l("10", "85.00", "", "AE", "0")},
			lineNets: []string{"850.00"},
			net:      "850.00", vat: "0.00", gross: "850.00",
			breakdown: []entry{{"AE", "0", "850.00", "0.00", "Reverse charge"}},
		},
		{
			name:     "reverse charge mention in the invoice language",
			language: "es",
			lines:    []map[string]any{l("1", "1000", "", "AE", "0")},
			lineNets: []string{"1000.00"},
			net:      "1000.00", vat: "0.00", gross: "1000.00",
			breakdown: []entry{{"AE", "0", "1000.00", "0.00", "Inversión del sujeto pasivo"}},
		},
		{
			name: "standard, exempt with reason and export in one invoice",
			lines: []map[string]any{
				l("1", "200", "", "S", "19"),
				func() map[string]any {
					m := l("2", "50", "", "E", "0")
					m["exemption_reason"] = "§ 4 Nr. 21 UStG"
					return m
				}(),
				l("1", "80", "10", "G", "0"),
			},
			lineNets: []string{"200.00", "100.00", "72.00"},
			net:      "372.00", vat: "38.00", gross: "410.00",
			breakdown: []entry{
				{"S", "19", "200.00", "38.00", ""},
				{"E", "0", "100.00", "0.00", "§ 4 Nr. 21 UStG"},
				{"G", "0", "72.00", "0.00", "Export outside the EU, exempt from VAT (Art. 146 Directive 2006/112/EC)"},
			},
		},
		{
			name:     "JSON numbers are read as decimals",
			lines:    []map[string]any{{"description": "x", "quantity": 3, "unit_price": 0.1, "vat_category": "S", "vat_rate": 21}},
			lineNets: []string{"0.30"},
			net:      "0.30", vat: "0.06", gross: "0.36",
			breakdown: []entry{{"S", "21", "0.30", "0.06", ""}},
		},
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw, _ := json.Marshal(c.lines)
			lines, errs := ParseLines(raw)
			if len(errs) > 0 {
				t.Fatalf("ParseLines: %v", errs)
			}
			totals := Compute(lines, c.language)
			for i, want := range c.lineNets {
				if got := money.Amount(lines[i].NetAmount); got != want {
					t.Errorf("line %d net = %s, want %s", i+1, got, want)
				}
			}
			if got := money.Amount(totals.Net); got != c.net {
				t.Errorf("net = %s, want %s", got, c.net)
			}
			if got := money.Amount(totals.VAT); got != c.vat {
				t.Errorf("vat = %s, want %s", got, c.vat)
			}
			if got := money.Amount(totals.Gross); got != c.gross {
				t.Errorf("gross = %s, want %s", got, c.gross)
			}
			got := totals.BreakdownForAPI()
			if len(got) != len(c.breakdown) {
				t.Fatalf("breakdown has %d entries, want %d: %+v", len(got), len(c.breakdown), got)
			}
			for i, w := range c.breakdown {
				g := got[i]
				if g.Category != w.category || g.Rate != w.rate || g.Taxable != w.taxable || g.VAT != w.vat || g.ExemptionReason != w.reason {
					t.Errorf("breakdown[%d] = %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

func TestLineRoundTrip(t *testing.T) {
	raw := []byte(`[{"description":"Consulting","quantity":"1.50","unit_code":"hur","unit_price":80,"discount_percent":"10","vat_category":"s","vat_rate":"21.0"}]`)
	lines, errs := ParseLines(raw)
	if errs != nil {
		t.Fatal(errs)
	}
	Compute(lines, "en")
	out, _ := json.Marshal(lines)
	want := `[{"description":"Consulting","quantity":"1.5","unit_code":"HUR","unit_price":"80.00","discount_percent":"10","vat_category":"S","vat_rate":"21","discount_amount":"12.00","net_amount":"108.00"}]`
	if string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
}
