package proposals

import (
	"testing"
)

func TestParseLinesFlags(t *testing.T) {
	cases := []struct {
		name     string
		raw      string
		optional []bool
		included []bool
		errors   int
	}{
		{"plain line is included", `[{"description":"A","quantity":"1","unit_price":"10","vat_category":"S","vat_rate":"19"}]`,
			[]bool{false}, []bool{true}, 0},
		{"a plain line cannot be left out", `[{"description":"A","quantity":"1","unit_price":"10","vat_category":"S","vat_rate":"19","included":false}]`,
			[]bool{false}, []bool{true}, 0},
		{"optional, not included by default", `[{"description":"A","quantity":"1","unit_price":"10","vat_category":"S","vat_rate":"19","optional":true}]`,
			[]bool{true}, []bool{false}, 0},
		{"optional, included", `[{"description":"A","quantity":"1","unit_price":"10","vat_category":"S","vat_rate":"19","optional":true,"included":true}]`,
			[]bool{true}, []bool{true}, 0},
		{"flag not a boolean", `[{"description":"A","quantity":"1","unit_price":"10","vat_category":"S","vat_rate":"19","optional":"yes"}]`,
			nil, nil, 1},
		{"invoice line errors still found", `[{"description":"","quantity":"1","unit_price":"10","vat_category":"S","vat_rate":"19","optional":true}]`,
			nil, nil, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lines, errs := parseLines([]byte(c.raw))
			if len(errs) != c.errors {
				t.Fatalf("errors = %v, want %d", errs, c.errors)
			}
			if c.errors > 0 {
				return
			}
			for i, l := range lines {
				if l.Optional != c.optional[i] || l.Included != c.included[i] {
					t.Errorf("line %d: optional %v included %v", i, l.Optional, l.Included)
				}
			}
		})
	}
}

func TestComputeCountsIncludedLines(t *testing.T) {
	lines, errs := parseLines([]byte(`[
		{"description":"Design","quantity":"3","unit_price":"33.335","vat_category":"S","vat_rate":"19"},
		{"description":"Hosting","quantity":"1","unit_price":"240","vat_category":"S","vat_rate":"19","optional":true},
		{"description":"Book","quantity":"2","unit_price":"9.99","vat_category":"S","vat_rate":"7","optional":true,"included":true}]`))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	cases := []struct {
		included []int
		gross    string
		err      bool
	}{
		{nil, "119.01", false},      // 100.01 × 1.19
		{[]int{1}, "404.61", false}, // (100.01 + 240) × 1.19
		{[]int{2}, "140.39", false}, // + 19.98 × 1.07 = 21.38
		{[]int{1, 2}, "425.99", false},
		{[]int{0}, "", true},
		{[]int{3}, "", true},
	}
	for _, c := range cases {
		chosen, err := withIncluded(lines, c.included)
		if (err != nil) != c.err {
			t.Fatalf("%v: err = %v", c.included, err)
		}
		if c.err {
			continue
		}
		if got := totalsOf(compute(chosen, "en")).Gross; got != c.gross {
			t.Errorf("%v: gross %s, want %s", c.included, got, c.gross)
		}
		// every line has its own amount, counted or not
		if chosen[1].NetAmount.String() != "240" {
			t.Errorf("%v: the optional line's net is %s", c.included, chosen[1].NetAmount)
		}
	}
	if !lines[2].Included {
		t.Error("withIncluded changed the lines it was given")
	}
}
