package money

import (
	"encoding/json"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct {
		in      any
		want    string
		wantErr bool
	}{
		{"12.50", "12.5", false},
		{" 3 ", "3", false},
		{json.Number("0.1"), "0.1", false},
		{0.1, "0.1", false},
		{float64(19.99), "19.99", false},
		{7, "7", false},
		{"12,50", "", true},
		{"1e3", "", true},
		{"", "", true},
		{true, "", true},
		{nil, "", true},
	}
	for _, c := range cases {
		got, err := Parse(c.in)
		if c.wantErr {
			if err == nil {
				t.Errorf("Parse(%#v) = %s, want an error", c.in, got)
			}
			continue
		}
		if err != nil || got.String() != c.want {
			t.Errorf("Parse(%#v) = %s, %v; want %s", c.in, got, err, c.want)
		}
	}
}

func TestRound2HalfAwayFromZero(t *testing.T) {
	cases := map[string]string{
		"2.345":  "2.35",
		"-2.345": "-2.35",
		"2.344":  "2.34",
		"0.005":  "0.01",
		"-0.005": "-0.01",
		"1.0049": "1.00",
		"10":     "10.00",
	}
	for in, want := range cases {
		if got := Amount(Round2(MustParse(in))); got != want {
			t.Errorf("Round2(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestPlacesAndPlain(t *testing.T) {
	if p := Places(MustParse("12.500")); p != 1 {
		t.Errorf("Places(12.500) = %d, want 1", p)
	}
	if s := Plain(MustParse("3"), 2); s != "3.00" {
		t.Errorf("Plain(3, 2) = %s", s)
	}
	if s := Plain(MustParse("3.125"), 2); s != "3.125" {
		t.Errorf("Plain(3.125, 2) = %s", s)
	}
}
