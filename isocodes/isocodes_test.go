package isocodes

import "testing"

func TestCodes(t *testing.T) {
	cases := []struct {
		name string
		fn   func(string) bool
		code string
		want bool
	}{
		{"country", IsCountry, "DE", true},
		{"country lower case", IsCountry, "de", false},
		{"country unknown", IsCountry, "ZZ", false},
		{"currency", IsCurrency, "EUR", true},
		{"currency unknown", IsCurrency, "EURO", false},
		{"eu member", IsEU, "ES", true},
		{"eu non-member", IsEU, "CH", false},
		{"eu former member", IsEU, "GB", false},
	}
	for _, c := range cases {
		if got := c.fn(c.code); got != c.want {
			t.Errorf("%s %q = %v, want %v", c.name, c.code, got, c.want)
		}
	}
	if VATPrefix("GR") != "EL" || VATPrefix("FR") != "FR" {
		t.Error("VATPrefix is wrong for GR or FR")
	}
}
