package vies

import "testing"

func TestSplitVATID(t *testing.T) {
	cases := []struct {
		vatID, state, number string
		ok                   bool
	}{
		{"ESB12345678", "ES", "B12345678", true},
		{"DE123456789", "DE", "123456789", true},
		{"EL123456789", "EL", "123456789", true},
		{"GR123456789", "EL", "123456789", true},
		{"XI123456789", "XI", "123456789", true},
		{" fr40303265045 ", "FR", "40303265045", true},
		{"ATU12345678", "AT", "U12345678", true},
		{"GB123456789", "", "", false},
		{"CHE123456789", "", "", false},
		{"NO123456789", "", "", false},
		{"DE", "", "", false},
		{"", "", "", false},
	}
	for _, c := range cases {
		state, number, ok := SplitVATID(c.vatID)
		if state != c.state || number != c.number || ok != c.ok {
			t.Errorf("SplitVATID(%q) = %q, %q, %v; want %q, %q, %v", c.vatID, state, number, ok, c.state, c.number, c.ok)
		}
	}
}
