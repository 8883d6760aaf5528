package en16931

import (
	"strings"
	"testing"
)

func TestParseLinesRejects(t *testing.T) {
	cases := []struct {
		name  string
		json  string
		field string
		msg   string
	}{
		{"not a list", `{"a":1}`, "", "must be a list"},
		{"no description", `[{"quantity":"1","unit_price":"1","vat_category":"S","vat_rate":"21"}]`, "description", "description is required"},
		{"quantity text", `[{"description":"x","quantity":"two","unit_price":"1","vat_category":"S","vat_rate":"21"}]`, "quantity", "decimal number"},
		{"comma decimal", `[{"description":"x","quantity":"1","unit_price":"1,50","vat_category":"S","vat_rate":"21"}]`, "unit_price", "decimal number"},
		{"zero quantity", `[{"description":"x","quantity":"0","unit_price":"1","vat_category":"S","vat_rate":"21"}]`, "quantity", "not be zero"},
		{"negative price", `[{"description":"x","quantity":"1","unit_price":"-1","vat_category":"S","vat_rate":"21"}]`, "unit_price", "not be negative"},
		{"discount over 100", `[{"description":"x","quantity":"1","unit_price":"1","discount_percent":"120","vat_category":"S","vat_rate":"21"}]`, "discount_percent", "0 to 100"},
		{"unknown category", `[{"description":"x","quantity":"1","unit_price":"1","vat_category":"X","vat_rate":"21"}]`, "vat_category", "not a VAT category"},
		{"standard at 0", `[{"description":"x","quantity":"1","unit_price":"1","vat_category":"S","vat_rate":"0"}]`, "vat_rate", "above 0"},
		{"reverse charge with VAT", `[{"description":"x","quantity":"1","unit_price":"1","vat_category":"AE","vat_rate":"21"}]`, "vat_rate", "charged at 0"},
		{"exempt without reason", `[{"description":"x","quantity":"1","unit_price":"1","vat_category":"E","vat_rate":"0"}]`, "exemption_reason", "needs the exemption reason"},
		{"reason on standard line", `[{"description":"x","quantity":"1","unit_price":"1","vat_category":"S","vat_rate":"21","exemption_reason":"why"}]`, "exemption_reason", "only exempt"},
		{"bad unit", `[{"description":"x","quantity":"1","unit_price":"1","unit_code":"hours","vat_category":"S","vat_rate":"21"}]`, "unit_code", "Recommendation 20"},
		{"two reasons for one category", `[{"description":"x","quantity":"1","unit_price":"1","vat_category":"E","vat_rate":"0","exemption_reason":"a"},{"description":"y","quantity":"1","unit_price":"1","vat_category":"E","vat_rate":"0","exemption_reason":"b"}]`, "exemption_reason", "share one exemption reason"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errs := ParseLines([]byte(c.json))
			if len(errs) == 0 {
				t.Fatal("want an error, got none")
			}
			if errs[0].Field != c.field || !strings.Contains(errs[0].Message, c.msg) {
				t.Errorf("got %q on %q, want %q on %q", errs[0].Message, errs[0].Field, c.msg, c.field)
			}
		})
	}
}

func TestParseLinesEmpty(t *testing.T) {
	for _, raw := range []string{``, `null`, `[]`} {
		lines, errs := ParseLines([]byte(raw))
		if len(lines) != 0 || errs != nil {
			t.Errorf("%q: got %v, %v", raw, lines, errs)
		}
	}
}
