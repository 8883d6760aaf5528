package stripe

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// zeroDecimal are the currencies Stripe takes in whole units: an amount of
// 1200 JPY is sent as 1200 (https://docs.stripe.com/currencies#zero-decimal).
var zeroDecimal = map[string]bool{
	"BIF": true, "CLP": true, "DJF": true, "GNF": true, "JPY": true, "KMF": true, "KRW": true, "MGA": true,
	"PYG": true, "RWF": true, "UGX": true, "VND": true, "VUV": true, "XAF": true, "XOF": true, "XPF": true,
}

// threeDecimal are the currencies Stripe takes in thousandths, the last
// digit 0: 5.12 KWD is sent as 5120.
var threeDecimal = map[string]bool{"BHD": true, "JOD": true, "KWD": true, "OMR": true, "TND": true}

// wholeOnly are two-decimal currencies in Stripe's API that card networks
// take in whole units only: 5 ISK is sent as 500, 5.50 ISK is refused.
var wholeOnly = map[string]bool{"ISK": true}

// exponent is the number of decimals of the currency's minor unit in
// Stripe's API.
func exponent(currency string) int32 {
	switch {
	case zeroDecimal[currency]:
		return 0
	case threeDecimal[currency]:
		return 3
	}
	return 2
}

// MinorUnits converts a decimal amount ("120.50") of the currency (ISO
// 4217) to the integer Stripe expects (12050), exactly: an amount with more
// decimals than Stripe takes for the currency (1.005 EUR, 1.5 JPY) is
// refused rather than rounded, and so is an amount that is not positive.
func MinorUnits(amount, currency string) (int64, error) {
	currency = strings.ToUpper(currency)
	if len(currency) != 3 {
		return 0, fmt.Errorf("currency %q is not an ISO 4217 code", currency)
	}
	d, err := decimal.NewFromString(strings.TrimSpace(amount))
	if err != nil {
		return 0, fmt.Errorf("amount %q is not a decimal number", amount)
	}
	if !d.IsPositive() {
		return 0, fmt.Errorf("amount %s %s is not positive", amount, currency)
	}
	exp := exponent(currency)
	m := d.Shift(exp)
	switch {
	case !m.IsInteger():
		return 0, fmt.Errorf("amount %s %s has more decimals than %s has (%d); Kontor does not round what a buyer pays", amount, currency, currency, exp)
	case threeDecimal[currency] && !m.Mod(decimal.NewFromInt(10)).IsZero():
		return 0, fmt.Errorf("amount %s %s: Stripe takes %s amounts to 2 decimals only", amount, currency, currency)
	case wholeOnly[currency] && !m.Mod(decimal.NewFromInt(100)).IsZero():
		return 0, fmt.Errorf("amount %s %s: Stripe takes %s amounts in whole units only", amount, currency, currency)
	case m.GreaterThan(decimal.NewFromInt(99999999999)):
		return 0, fmt.Errorf("amount %s %s is too large for Stripe", amount, currency)
	}
	return m.IntPart(), nil
}

// FromMinorUnits converts an integer amount in Stripe's minor units of the
// currency back to a decimal string: 12050 EUR is "120.50", 1200 JPY "1200".
func FromMinorUnits(minor int64, currency string) string {
	exp := exponent(strings.ToUpper(currency))
	return decimal.New(minor, -exp).StringFixed(exp)
}
