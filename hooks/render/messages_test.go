package render

import (
	"regexp"
	"sort"
	"testing"
)

// Every language has exactly the keys English has, with the same
// placeholders, so no label ever prints in the wrong language.
func TestMessagesComplete(t *testing.T) {
	placeholder := regexp.MustCompile(`\{[a-z]+\}`)
	en := messages["en"]
	for _, lang := range Languages {
		m, ok := messages[lang]
		if !ok {
			t.Errorf("no messages for %s", lang)
			continue
		}
		for key, s := range en {
			got, ok := m[key]
			if !ok {
				t.Errorf("%s lacks %q", lang, key)
				continue
			}
			want, have := placeholder.FindAllString(s, -1), placeholder.FindAllString(got, -1)
			sort.Strings(want)
			sort.Strings(have)
			if len(want) != len(have) {
				t.Errorf("%s %q has placeholders %v, English %v", lang, key, have, want)
				continue
			}
			for i := range want {
				if want[i] != have[i] {
					t.Errorf("%s %q has placeholders %v, English %v", lang, key, have, want)
					break
				}
			}
		}
		for key := range m {
			if _, ok := en[key]; !ok {
				t.Errorf("%s has %q, which English lacks", lang, key)
			}
		}
	}
	if len(messages) != len(Languages) {
		t.Errorf("messages has %d languages, Languages lists %d", len(messages), len(Languages))
	}
}

func TestText(t *testing.T) {
	cases := []struct {
		lang, key string
		pairs     []string
		want      string
	}{
		{"de", "page", []string{"page", "2", "pages", "3"}, "Seite 2 von 3"},
		{"fr", "page", []string{"page", "1", "pages", "1"}, "Page 1 sur 1"},
		{"xx", "invoice", nil, "Invoice"},
		{"es", "no_such_key", nil, "no_such_key"},
		{"de", "credit_note", nil, "Rechnungskorrektur"},
	}
	for _, c := range cases {
		if got := text(c.lang, c.key, c.pairs...); got != c.want {
			t.Errorf("text(%s, %s) = %q, want %q", c.lang, c.key, got, c.want)
		}
	}
}
