package reminders

import (
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"github.com/kontor-app/kontor/hooks/fielderr"
	"github.com/kontor-app/kontor/money"
)

// Rates are the reference rates of Directive 2011/7/EU by half-year
// ("2026-H1"), in percent.
type Rates map[string]decimal.Decimal

// loadRates reads the reference_rates collection.
func loadRates(app core.App) (Rates, error) {
	records, err := app.FindAllRecords("reference_rates")
	if err != nil {
		return nil, err
	}
	rates := make(Rates, len(records))
	for _, r := range records {
		if d, err := money.Parse(r.GetString("rate")); err == nil {
			rates[r.GetString("period")] = d
		}
	}
	return rates, nil
}

// halfYear names the half-year of a day: "2026-H1" for January to June,
// "2026-H2" for July to December.
func halfYear(t time.Time) string {
	h := 1
	if t.Month() > time.June {
		h = 2
	}
	return fmt.Sprintf("%d-H%d", t.Year(), h)
}

// halfYearEnd is the last day of the half-year of a day.
func halfYearEnd(t time.Time) time.Time {
	if t.Month() > time.June {
		return time.Date(t.Year(), time.December, 31, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(t.Year(), time.June, 30, 0, 0, 0, 0, time.UTC)
}

// minRate and maxRate bound a reference rate, in percent.
var (
	minRate = decimal.NewFromInt(-5)
	maxRate = decimal.NewFromInt(50)
)

// checkRate checks a reference rate a superuser saves: a decimal percentage
// with at most four decimals, written back without trailing zeros beyond
// two ("4.5" → "4.50").
func checkRate(e *core.RecordEvent) error {
	d, err := money.Parse(e.Record.GetString("rate"))
	if err != nil || money.Places(d) > 4 || d.LessThan(minRate) || d.GreaterThan(maxRate) {
		return fielderr.New("rate", "Write the rate in percent as a decimal number with a point, like 2.15 for 2.15 %.")
	}
	e.Record.Set("rate", money.Plain(d, 2))
	return e.Next()
}
