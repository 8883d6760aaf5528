package en16931

import (
	"sort"

	"github.com/shopspring/decimal"

	"github.com/kontor-app/kontor/money"
)

// Breakdown is one entry of the VAT breakdown (BG-23): one per VAT category
// and rate.
type Breakdown struct {
	Category        string          // BT-118
	Rate            decimal.Decimal // BT-119
	Taxable         decimal.Decimal // BT-116 taxable amount
	VAT             decimal.Decimal // BT-117 VAT amount
	ExemptionReason string          // BT-120
}

// Totals are the document totals (BG-22) and the VAT breakdown.
type Totals struct {
	Net       decimal.Decimal // BT-106 sum of line net amounts = BT-109 total without VAT
	VAT       decimal.Decimal // BT-110 total VAT
	Gross     decimal.Decimal // BT-112 total with VAT
	Breakdown []Breakdown
}

// Compute applies the EN 16931 calculation rules to the lines, in decimal
// arithmetic, and fills each line's DiscountAmount and NetAmount. Rounding is
// to cents, half away from zero, and happens exactly here:
//
//   - line gross = quantity × unit price, rounded to 2 decimals;
//   - line discount (BT-136) = line gross × discount % / 100, rounded to 2;
//   - line net (BT-131) = line gross − line discount (already cents);
//   - per VAT category and rate: taxable (BT-116) = sum of the line nets,
//     VAT (BT-117) = taxable × rate / 100, rounded once (never per line);
//   - net (BT-106/BT-109) = sum of line nets, VAT (BT-110) = sum of the
//     breakdown VAT amounts, gross (BT-112) = net + VAT.
//
// These are the sums the EN 16931 schematron checks (BR-CO-10, BR-CO-13,
// BR-CO-14, BR-CO-15, BR-CO-17), so what a person sees is what validates.
// language picks the default legal mention for categories that need one.
func Compute(lines []Line, language string) Totals {
	type key struct {
		category string
		rate     string
	}
	groups := map[key]*Breakdown{}
	var t Totals

	for i := range lines {
		l := &lines[i]
		gross := money.Round2(l.Quantity.Mul(l.UnitPrice))
		l.DiscountAmount = money.Round2(gross.Mul(l.DiscountPercent).Div(hundred))
		l.NetAmount = gross.Sub(l.DiscountAmount)
		t.Net = t.Net.Add(l.NetAmount)

		k := key{l.VATCategory, l.VATRate.String()}
		b := groups[k]
		if b == nil {
			b = &Breakdown{Category: l.VATCategory, Rate: l.VATRate}
			groups[k] = b
		}
		b.Taxable = b.Taxable.Add(l.NetAmount)
		if b.ExemptionReason == "" && NeedsReason(l.VATCategory) {
			b.ExemptionReason = l.ExemptionReason
		}
	}

	for _, b := range groups {
		b.VAT = money.Round2(b.Taxable.Mul(b.Rate).Div(hundred))
		if b.ExemptionReason == "" {
			b.ExemptionReason = LegalMention(b.Category, language)
		}
		t.VAT = t.VAT.Add(b.VAT)
		t.Breakdown = append(t.Breakdown, *b)
	}
	t.Gross = t.Net.Add(t.VAT)

	sort.Slice(t.Breakdown, func(i, j int) bool {
		a, b := t.Breakdown[i], t.Breakdown[j]
		if a.Category != b.Category {
			return categoryRank(a.Category) < categoryRank(b.Category)
		}
		return a.Rate.GreaterThan(b.Rate)
	})
	return t
}

func categoryRank(code string) int {
	for i, c := range categoryOrder {
		if c == code {
			return i
		}
	}
	return len(categoryOrder)
}

// BreakdownJSON is a VAT breakdown entry as the API shows it.
type BreakdownJSON struct {
	Category        string `json:"category"`
	Rate            string `json:"rate"`
	Taxable         string `json:"taxable"`
	VAT             string `json:"vat"`
	ExemptionReason string `json:"exemption_reason"`
}

// BreakdownForAPI returns the breakdown with amounts as decimal strings.
func (t Totals) BreakdownForAPI() []BreakdownJSON {
	out := make([]BreakdownJSON, len(t.Breakdown))
	for i, b := range t.Breakdown {
		out[i] = BreakdownJSON{
			Category:        b.Category,
			Rate:            b.Rate.String(),
			Taxable:         money.Amount(b.Taxable),
			VAT:             money.Amount(b.VAT),
			ExemptionReason: b.ExemptionReason,
		}
	}
	return out
}
