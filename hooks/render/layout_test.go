package render

import (
	"strings"
	"testing"
)

func TestWrap(t *testing.T) {
	regular, _, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		text  string
		width float64
		want  []string
	}{
		{"empty", "", 100, []string{""}},
		{"fits", "Consulting", 100, []string{"Consulting"}},
		{"at spaces", "one two three four", 60, []string{"one two", "three four"}},
		{"line breaks kept", "first\nsecond", 200, []string{"first", "second"}},
		{"windows line breaks", "first\r\nsecond", 200, []string{"first", "second"}},
		{"blank line kept", "a\n\nb", 200, []string{"a", "", "b"}},
		{"long word broken", "Donaudampfschifffahrtsgesellschaft", 60, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := wrap(regular, 10, c.text, c.width)
			if c.want != nil && strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Fatalf("wrap = %q, want %q", got, c.want)
			}
			if strings.ReplaceAll(strings.Join(got, ""), " ", "") != strings.NewReplacer(" ", "", "\n", "", "\r", "").Replace(c.text) {
				t.Errorf("wrap lost text: %q", got)
			}
			for _, line := range got {
				if w := regular.Width(line, 10); w > c.width {
					t.Errorf("line %q is %.1f wide, more than %.1f", line, w, c.width)
				}
			}
		})
	}
}

func TestTruncateToWidth(t *testing.T) {
	regular, _, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	if got := truncateToWidth(regular, 8, "short", 100); got != "short" {
		t.Errorf("short text changed: %q", got)
	}
	got := truncateToWidth(regular, 8, strings.Repeat("long ", 40), 100)
	if !strings.HasSuffix(got, "…") || regular.Width(got, 8) > 100 {
		t.Errorf("truncated to %q", got)
	}
}
