package locale

import "testing"

func TestAmount(t *testing.T) {
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
		if got := Amount(c.in, c.lang); got != c.want {
			t.Errorf("Amount(%q, %s) = %q, want %q", c.in, c.lang, got, c.want)
		}
	}
}

func TestNumber(t *testing.T) {
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
		if got := Number(c.in, c.lang); got != c.want {
			t.Errorf("Number(%q, %s) = %q, want %q", c.in, c.lang, got, c.want)
		}
	}
}

func TestRateDateIBAN(t *testing.T) {
	cases := []struct {
		name, got, want string
	}{
		{"rate en", Rate("19", "en"), "19%"},
		{"rate de", Rate("7.5", "de"), "7,5\u00A0%"},
		{"date en", Date("2026-03-05", "en"), "5 March 2026"},
		{"date de", Date("2026-03-05", "de"), "05.03.2026"},
		{"date fr", Date("2026-03-05", "fr"), "05/03/2026"},
		{"date es", Date("2026-03-05", "es"), "05/03/2026"},
		{"date it", Date("2026-03-05", "it"), "05/03/2026"},
		{"date invalid", Date("soon", "en"), "soon"},
		{"IBAN", IBAN("de89370400440532013000"), "DE89 3704 0044 0532 0130 00"},
		{"money", Money("1234.5", "EUR", "de"), "1.234,50\u00A0EUR"},
		{"country de", CountryName("FR", "de"), "Frankreich"},
		{"country es", CountryName("DE", "es"), "Alemania"},
		{"country unknown", CountryName("??", "en"), "??"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
}
