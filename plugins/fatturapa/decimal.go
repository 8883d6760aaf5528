package fatturapa

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

var (
	hundred = decimal.NewFromInt(100)
	// amountLimit is the first amount with more than the 11 integer
	// digits FatturaPA's amount types allow.
	amountLimit = decimal.New(1, 11)
)

// numbers formats the decimal strings of the canonical invoice as the
// FatturaPA number types want them. A string that is no decimal is
// Kontor's fault, not the invoice's: the first one is kept in err and
// Render fails with it.
type numbers struct {
	err error
}

// parse reads a decimal string of the canonical invoice.
func (n *numbers) parse(field, s string) decimal.Decimal {
	v, err := decimal.NewFromString(s)
	if err != nil && n.err == nil {
		n.err = fmt.Errorf("fatturapa: %s %q is no decimal number", field, s)
	}
	return v
}

// amount writes an amount as Amount2DecimalType: the canonical amount,
// which has two decimals, as it is; "100" is written "100.00".
func (n *numbers) amount(field, s string) string {
	v := n.parse(field, s)
	if !v.Equal(v.Round(2)) || v.Abs().GreaterThanOrEqual(amountLimit) {
		if n.err == nil {
			n.err = fmt.Errorf("fatturapa: %s %q is no amount with two decimals and at most 11 digits before them", field, s)
		}
	}
	return v.StringFixed(2)
}

// fixed writes v with at least two and at most eight decimals
// (Amount8DecimalType, QuantitaType): rounded to eight, without trailing
// zeros beyond the second ("1.50000000" is "1.50").
func fixed(v decimal.Decimal) string {
	v = v.Round(8)
	places := int32(2)
	if s := v.String(); strings.Contains(s, ".") {
		places = max(places, int32(len(s)-strings.IndexByte(s, '.')-1))
	}
	return v.StringFixed(places)
}

// rate writes a VAT or discount rate as RateType ("22" is "22.00"), or
// reports false when the rate does not fit it: negative, above 100, or with
// more than two decimals that count.
func rate(s string) (string, bool) {
	v, err := decimal.NewFromString(s)
	if err != nil || v.IsNegative() || v.GreaterThan(hundred) || !v.Equal(v.Round(2)) {
		return "", false
	}
	return v.StringFixed(2), true
}
