package reminders_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/internal/testserver"
)

// The seeded reference rates are the ECB's main refinancing rates on
// 1 January and 1 July; a rate saved later is a decimal percentage, one
// per half-year.
func TestReferenceRates(t *testing.T) {
	s := testserver.New(t)
	seeded := map[string]string{"2022-H2": "0.00", "2023-H1": "2.50", "2023-H2": "4.00", "2024-H1": "4.50",
		"2024-H2": "4.25", "2025-H1": "3.15", "2025-H2": "2.15"}
	for period, rate := range seeded {
		r, err := s.App.FindFirstRecordByData("reference_rates", "period", period)
		if err != nil || r.GetString("rate") != rate {
			t.Errorf("%s: %v %v, want %s", period, r, err, rate)
		}
	}
	collection, err := s.App.FindCollectionByNameOrId("reference_rates")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		period, rate, want string // want "" when refused
	}{
		{"2026-H1", "2.15", "2.15"},
		{"2026-H2", "2.1", "2.10"},
		{"2027-H1", "2,15", ""},
		{"2027-H1", "two", ""},
		{"2027-H1", "99", ""},
		{"2027-H1", "2.12345", ""},
		{"2027-H3", "2.15", ""},
		{"2026-H1", "2.40", ""}, // a second rate for a half-year
	}
	for _, c := range cases {
		r := core.NewRecord(collection)
		r.Set("period", c.period)
		r.Set("rate", c.rate)
		err := s.App.Save(r)
		switch {
		case c.want == "" && err == nil:
			t.Errorf("%s %s saved", c.period, c.rate)
		case c.want != "" && (err != nil || r.GetString("rate") != c.want):
			t.Errorf("%s %s: %q, %v", c.period, c.rate, r.GetString("rate"), err)
		}
	}
}
