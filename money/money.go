// Package money parses, rounds and prints decimal amounts. It never uses
// floating point: every amount Kontor stores or computes is a decimal.
package money

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// ErrNotDecimal is returned by Parse for a value that is not a decimal number.
var ErrNotDecimal = errors.New("not a decimal number")

// Parse reads a decimal from what a JSON body can carry: a string ("12.50",
// "12,50" is refused on purpose), a json.Number, or a JSON number decoded as
// float64 or int. The float case uses the shortest representation that
// round-trips, so 0.1 stays 0.1.
func Parse(v any) (decimal.Decimal, error) {
	switch x := v.(type) {
	case decimal.Decimal:
		return x, nil
	case string:
		s := strings.TrimSpace(x)
		if s == "" || strings.ContainsAny(s, "eE") {
			return decimal.Zero, ErrNotDecimal
		}
		d, err := decimal.NewFromString(s)
		if err != nil {
			return decimal.Zero, ErrNotDecimal
		}
		return d, nil
	case json.Number:
		return Parse(string(x))
	case float64:
		return decimal.NewFromFloat(x), nil
	case float32:
		return decimal.NewFromFloat32(x), nil
	case int:
		return decimal.NewFromInt(int64(x)), nil
	case int64:
		return decimal.NewFromInt(x), nil
	}
	return decimal.Zero, ErrNotDecimal
}

// Places returns how many decimal places d is written with, ignoring
// trailing zeros ("12.50" has 1, "12" has 0).
func Places(d decimal.Decimal) int32 {
	s := d.String()
	i := strings.IndexByte(s, '.')
	if i < 0 {
		return 0
	}
	return int32(len(strings.TrimRight(s[i+1:], "0")))
}

// Round2 rounds to cents, half away from zero (2.345 → 2.35, −2.345 → −2.35),
// the rounding EN 16931 and the EU VAT rules assume.
func Round2(d decimal.Decimal) decimal.Decimal {
	return d.Round(2)
}

// Amount prints d as an amount with exactly two decimals, rounding half away
// from zero first.
func Amount(d decimal.Decimal) string {
	return d.StringFixed(2)
}

// Plain prints d without trailing zeros beyond min decimals (quantities,
// prices and rates keep the precision they were given).
func Plain(d decimal.Decimal, min int32) string {
	if Places(d) < min {
		return d.StringFixed(min)
	}
	return d.String()
}

// MustParse parses s and panics on error; for constants and tests.
func MustParse(s string) decimal.Decimal {
	d, err := Parse(s)
	if err != nil {
		panic(fmt.Sprintf("money: %q: %v", s, err))
	}
	return d
}
