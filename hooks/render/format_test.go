package render

import "testing"

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
