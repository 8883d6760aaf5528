package sequences

import (
	"regexp"
	"strings"
)

// Placeholders are what a step's subject and body may name, written
// {{name}}: the contact's first and last name, their company's name, and
// the sender (the workspace's name).
var Placeholders = []string{"first_name", "last_name", "company", "sender"}

// placeholderRE matches a placeholder, spaces inside the braces allowed.
var placeholderRE = regexp.MustCompile(`\{\{\s*([A-Za-z_]+)\s*\}\}`)

// unknownPlaceholders lists the placeholders of s that are not one of
// Placeholders.
func unknownPlaceholders(s string) []string {
	var out []string
	for _, m := range placeholderRE.FindAllStringSubmatch(s, -1) {
		known := false
		for _, p := range Placeholders {
			if strings.EqualFold(m[1], p) {
				known = true
			}
		}
		if !known {
			out = append(out, m[0])
		}
	}
	return out
}

// fill writes the values into the placeholders of s; a placeholder
// without a value becomes empty.
func fill(s string, values map[string]string) string {
	return placeholderRE.ReplaceAllStringFunc(s, func(p string) string {
		return values[strings.ToLower(placeholderRE.FindStringSubmatch(p)[1])]
	})
}

// footers are the line under every sequence email, before its
// unsubscribe link, by language.
var footers = map[string]string{
	"en": "Don't want these emails? Unsubscribe:",
	"es": "¿No quieres recibir estos correos? Darse de baja:",
	"de": "Sie möchten diese E-Mails nicht mehr erhalten? Abmelden:",
	"fr": "Vous ne souhaitez plus recevoir ces e-mails ? Se désabonner :",
	"it": "Non vuoi più ricevere queste email? Annulla l'iscrizione:",
}

// footer is the unsubscribe line in lang, English by default.
func footer(lang string) string {
	if f, ok := footers[lang]; ok {
		return f
	}
	return footers["en"]
}
