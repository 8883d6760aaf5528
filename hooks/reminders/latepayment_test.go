package reminders

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/kontor-app/kontor/money"
)

// The seeded ECB rates the cases below use.
var testRates = Rates{
	"2022-H1": money.MustParse("0.00"),
	"2024-H1": money.MustParse("4.50"),
	"2025-H1": money.MustParse("3.15"),
	"2025-H2": money.MustParse("2.15"),
}

func TestLateInterest(t *testing.T) {
	cases := []struct {
		name     string
		amount   string
		due, on  string
		rates    Rates
		interest string
		days     int
		periods  string
		missing  string
	}{
		// 1000 × 30 × 10.15 / 36500 = 8.3424…
		{"one half-year", "1000.00", "2025-07-10", "2025-08-09", testRates, "8.34", 30, "2025-H2", ""},
		// 1000 × (10 × 11.15 + 10 × 10.15) / 36500 = 5.8356…
		{"across half-years", "1000.00", "2025-06-20", "2025-07-10", testRates, "5.84", 20, "2025-H1 2025-H2", ""},
		// 1000 × 2 × 12.50 / 36500 = 0.6849…: 29 February counts
		{"leap day", "1000.00", "2024-02-28", "2024-03-01", testRates, "0.68", 2, "2024-H1", ""},
		// 0 % reference rate: 8 points only; 1234.56 × 45 × 8 / 36500 = 12.1764…
		{"zero reference rate", "1234.56", "2022-01-31", "2022-03-17", testRates, "12.18", 45, "2022-H1", ""},
		// 25 × 1 × 36.5 / 36500 = 0.025 exactly: half away from zero
		{"half rounds up", "25.00", "2030-01-01", "2030-01-02", Rates{"2030-H1": money.MustParse("28.50")}, "0.03", 1, "2030-H1", ""},
		{"below half rounds down", "24.99", "2030-01-01", "2030-01-02", Rates{"2030-H1": money.MustParse("28.50")}, "0.02", 1, "2030-H1", ""},
		{"paid on the due date", "1000.00", "2025-07-10", "2025-07-10", testRates, "0.00", 0, "", ""},
		{"a rate is missing", "1000.00", "2025-12-20", "2026-01-10", testRates, "0.00", 21, "2025-H2 2026-H1", "2026-H1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := LateInterest(money.MustParse(c.amount), date(c.due), date(c.on), c.rates)
			if got := money.Amount(in.Amount); got != c.interest {
				t.Errorf("interest %s, want %s", got, c.interest)
			}
			if in.Days != c.days || strings.Join(in.Periods, " ") != c.periods || strings.Join(in.Missing, " ") != c.missing {
				t.Errorf("days %d periods %v missing %v, want %d %q %q", in.Days, in.Periods, in.Missing, c.days, c.periods, c.missing)
			}
		})
	}
	if !Margin.Equal(decimal.NewFromInt(8)) || !Compensation.Equal(decimal.NewFromInt(40)) {
		t.Errorf("margin %s, compensation %s", Margin, Compensation)
	}
}

func TestHalfYear(t *testing.T) {
	for in, want := range map[string]string{"2026-01-01": "2026-H1", "2026-06-30": "2026-H1", "2026-07-01": "2026-H2", "2026-12-31": "2026-H2"} {
		if got := halfYear(date(in)); got != want {
			t.Errorf("%s: %s, want %s", in, got, want)
		}
	}
}
