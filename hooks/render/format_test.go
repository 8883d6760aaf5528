package render

import "testing"

func TestFormatAmount(t *testing.T) {
	cases := []struct {
		in, lang, want string
	}{
		{"1234.56", "en", "1,234.56"},
		{"1234.56", "de", "1.234,56"},
		{"1234.56", "es", "1.234,56"},
		{"1234.56", "it", "1.234,56"},
		{"1234.56", "fr", "1\u00A0234,56"},
		{"1234567890.5", "de", "1.234.567.890,50"},
		{"-1234.5", "en", "-1,234.50"},
		{"999.99", "de", "999,99"},
		{"0", "en", "0.00"},
		{"", "en", "0.00"},
		{"12", "fr", "12,00"},
		{"0.10", "it", "0,10"},
		{"007.5", "en", "7.50"},
		{"12.3456", "de", "12,3456"},
		{"1234.56", "pt", "1,234.56"},
		{"abc", "en", "abc"},
		{"1e5", "en", "1e5"},
		{"1.", "en", "1."},
	}
	for _, c := range cases {
		if got := formatAmount(c.in, c.lang); got != c.want {
			t.Errorf("formatAmount(%q, %s) = %q, want %q", c.in, c.lang, got, c.want)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	cases := []struct {
		in, lang, want string
	}{
		{"2.5", "de", "2,5"},
		{"2.5", "en", "2.5"},
		{"1000", "fr", "1\u00A0000"},
		{"-3", "es", "-3"},
		{"1234567.125", "it", "1.234.567,125"},
	}
	for _, c := range cases {
		if got := formatNumber(c.in, c.lang); got != c.want {
			t.Errorf("formatNumber(%q, %s) = %q, want %q", c.in, c.lang, got, c.want)
		}
	}
}

func TestFormatRateDateIBAN(t *testing.T) {
	cases := []struct {
		name, got, want string
	}{
		{"rate en", formatRate("19", "en"), "19%"},
		{"rate de", formatRate("7.5", "de"), "7,5\u00A0%"},
		{"date en", formatDate("2026-03-05", "en"), "5 March 2026"},
		{"date de", formatDate("2026-03-05", "de"), "05.03.2026"},
		{"date fr", formatDate("2026-03-05", "fr"), "05/03/2026"},
		{"date es", formatDate("2026-03-05", "es"), "05/03/2026"},
		{"date it", formatDate("2026-03-05", "it"), "05/03/2026"},
		{"date invalid", formatDate("soon", "en"), "soon"},
		{"IBAN", formatIBAN("de89370400440532013000"), "DE89 3704 0044 0532 0130 00"},
		{"money", formatMoney("1234.5", "EUR", "de"), "1.234,50\u00A0EUR"},
		{"country de", countryName("FR", "de"), "Frankreich"},
		{"country es", countryName("DE", "es"), "Alemania"},
		{"country unknown", countryName("??", "en"), "??"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
}

func TestUnitLabel(t *testing.T) {
	cases := []struct {
		code, lang, want string
	}{
		{"C62", "en", "pcs"},
		{"C62", "de", "Stk."},
		{"HUR", "fr", "h"},
		{"DAY", "en", "day"},
		{"DAY", "es", "día"},
		{"KGM", "it", "kg"},
		{"MTR", "de", "m"},
		{"LTR", "en", "l"},
		{"XYZ", "en", "XYZ"},
	}
	for _, c := range cases {
		if got := unitLabel(c.code, c.lang); got != c.want {
			t.Errorf("unitLabel(%s, %s) = %q, want %q", c.code, c.lang, got, c.want)
		}
	}
}
