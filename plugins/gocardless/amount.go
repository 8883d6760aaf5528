package gocardless

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// currencies are the currencies GoCardless collects; all have two
// decimals, and GoCardless takes amounts in their minor unit (pence,
// cents). Which of them an account can take by instant bank payment
// depends on its country (GBP and EUR today); GoCardless says so when not.
var currencies = map[string]bool{
	"AUD": true, "CAD": true, "DKK": true, "EUR": true, "GBP": true, "NZD": true, "SEK": true, "USD": true,
}

// MinorUnits converts a decimal amount ("120.50") of the currency to the
// integer GoCardless expects (12050), exactly: an amount with more than two
// decimals is refused rather than rounded, and so is one that is not
// positive or a currency GoCardless does not collect.
func MinorUnits(amount, currency string) (int64, error) {
	currency = strings.ToUpper(currency)
	if !currencies[currency] {
		return 0, fmt.Errorf("GoCardless does not collect %q (only AUD, CAD, DKK, EUR, GBP, NZD, SEK, USD)", currency)
	}
	d, err := decimal.NewFromString(strings.TrimSpace(amount))
	if err != nil {
		return 0, fmt.Errorf("amount %q is not a decimal number", amount)
	}
	if !d.IsPositive() {
		return 0, fmt.Errorf("amount %s %s is not positive", amount, currency)
	}
	m := d.Shift(2)
	switch {
	case !m.IsInteger():
		return 0, fmt.Errorf("amount %s %s has more than 2 decimals; Kontor does not round what a buyer pays", amount, currency)
	case m.GreaterThan(decimal.NewFromInt(99999999999)):
		return 0, fmt.Errorf("amount %s %s is too large", amount, currency)
	}
	return m.IntPart(), nil
}
