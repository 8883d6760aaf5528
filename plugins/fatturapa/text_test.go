package fatturapa

import (
	"fmt"
	"strings"
	"testing"
)

func TestLatin(t *testing.T) {
	cases := []struct {
		in   string
		max  int
		want string
	}{
		{"Caffè Città", 80, "Caffè Città"},
		{"Preis: 10 €", 80, "Preis: 10 EUR"},
		{"„Zitat“ – ‘x’…", 80, `"Zitat" - 'x'...`},
		{"Łódź, Kraków, Győr, Plzeň", 80, "Lódz, Kraków, Gyor, Plzen"},
		{"東京 Office", 80, "?? Office"},
		{"line one\nline two\t\x00end", 80, "line one line two end"},
		{"  padded   text  ", 80, "padded text"},
		{"abcdefghij", 4, "abcd"},
		{"ab cdef", 3, "ab"},
		{strings.Repeat("à", 90), 80, strings.Repeat("à", 80)},
		{"", 80, ""},
		{"€€", unlimited, "EUREUR"},
	}
	for _, tc := range cases {
		if got := latin(tc.in, tc.max); got != tc.want {
			t.Errorf("latin(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}

func TestChunks(t *testing.T) {
	cases := []struct {
		in   string
		want []int // lengths in characters
	}{
		{"", nil},
		{strings.Repeat("a", 200), []int{200}},
		{strings.Repeat("è", 201), []int{200, 1}},
		{strings.Repeat("a", 450), []int{200, 200, 50}},
		{strings.Repeat("a", 150) + " " + strings.Repeat("b", 100), []int{150, 100}},
		{strings.Repeat("a", 200) + " " + strings.Repeat("b", 10), []int{200, 10}},
		{"a " + strings.Repeat("b", 250), []int{200, 52}},
	}
	for _, tc := range cases {
		var got []int
		for _, c := range chunks(tc.in, 200) {
			got = append(got, len([]rune(c)))
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("chunks of %d characters: %v, want %v", len([]rune(tc.in)), got, tc.want)
		}
	}
}

func TestPhone(t *testing.T) {
	cases := map[string]string{
		"+39 02 1234567":      "+39021234567",
		"+39 (02) 123-45678":  "0212345678",
		"0039 06 12 34 56 78": "0612345678",
		"123":                 "",
		"+49 30 123456789012": "",
	}
	for in, want := range cases {
		if got := phone(in); got != want {
			t.Errorf("phone(%q) = %q, want %q", in, got, want)
		}
	}
}
