package render

import (
	_ "embed"
	"encoding/json"
	"strings"
)

// Languages are the languages documents are printed in; the first is the
// fallback.
var Languages = []string{"en", "es", "de", "fr", "it"}

//go:embed messages.json
var messagesJSON []byte

// messages is the one catalogue of every label a document prints, by
// language and key. Placeholders are written {name}.
var messages = func() map[string]map[string]string {
	var m map[string]map[string]string
	if err := json.Unmarshal(messagesJSON, &m); err != nil {
		panic("render: messages.json: " + err.Error())
	}
	return m
}()

// printLanguage returns lang when documents can be printed in it, else English.
func printLanguage(lang string) string {
	if _, ok := messages[lang]; ok {
		return lang
	}
	return Languages[0]
}

// text returns the message key in lang with its placeholders filled from
// pairs of name and value. A key missing in lang falls back to English,
// and a key missing there prints as itself.
func text(lang, key string, pairs ...string) string {
	s, ok := messages[printLanguage(lang)][key]
	if !ok {
		if s, ok = messages[Languages[0]][key]; !ok {
			s = key
		}
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		s = strings.ReplaceAll(s, "{"+pairs[i]+"}", pairs[i+1])
	}
	return s
}
