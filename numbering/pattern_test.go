package numbering

import (
	"testing"
	"time"
)

func TestCheckPattern(t *testing.T) {
	cases := []struct {
		pattern string
		yearly  bool
		ok      bool
	}{
		{"{code}-{yyyy}-{seq:4}", true, true},
		{"{series}/{yy}/{mm}/{seq}", true, true},
		{"F{seq:6}", false, true},
		{"F{seq:6}", true, false},
		{"{code}-{yyyy}", false, false},
		{"{seq}-{seq}", false, false},
		{"{seq:0}", false, false},
		{"{seq:13}", false, false},
		{"{code}-{day}-{seq}", false, false},
		{"{yyyy:2}-{seq}", false, false},
		{"{seq} }", false, false},
	}
	for _, c := range cases {
		got := CheckPattern(c.pattern, c.yearly)
		if (got == "") != c.ok {
			t.Errorf("CheckPattern(%q, %v) = %q, want ok=%v", c.pattern, c.yearly, got, c.ok)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	date := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		pattern string
		seq     int64
		want    string
	}{
		{"{code}-{yyyy}-{seq:4}", 7, "INV-2026-0007"},
		{"{series}/{yy}{mm}/{seq}", 123, "INV/2603/123"},
		{"{seq:3}", 12345, "12345"},
	}
	for _, c := range cases {
		if got := FormatNumber(c.pattern, "INV", date, c.seq); got != c.want {
			t.Errorf("FormatNumber(%q, %d) = %q, want %q", c.pattern, c.seq, got, c.want)
		}
	}
}
