// Package locale writes numbers, amounts, rates, dates, IBANs and country
// names the way each of Kontor's languages (en, es, de, fr, it) writes them.
// Amounts stay decimal strings throughout: digits are regrouped as text,
// never through a float. It knows nothing of Kontor.
package locale

import (
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// separators are the thousands and decimal separators of each language.
// French groups with a no-break space, so an amount never breaks a line.
var separators = map[string][2]string{
	"en": {",", "."},
	"de": {".", ","},
	"es": {".", ","},
	"it": {".", ","},
	"fr": {"\u00A0", ","},
}

// Number prints a decimal string ("-1234.5") with the language's
// separators ("-1.234,5" in German). It works on the digits as text, never
// through a float; anything that is not a plain decimal is returned as it
// is.
func Number(s, lang string) string {
	return decimal(s, lang, 0)
}

// Amount prints a decimal string as an amount: like Number,
// with at least two decimals ("12.5" → "12.50").
func Amount(s, lang string) string {
	if strings.TrimSpace(s) == "" {
		s = "0"
	}
	return decimal(s, lang, 2)
}

// Money prints an amount followed by its currency code.
func Money(s, currency, lang string) string {
	return strings.TrimSpace(Amount(s, lang) + "\u00A0" + currency)
}

// Rate prints a VAT rate as a percentage ("19 %", "7,5 %").
func Rate(s, lang string) string {
	if lang == "en" {
		return Number(s, lang) + "%"
	}
	return Number(s, lang) + "\u00A0%"
}

func decimal(s, lang string, minDecimals int) string {
	s = strings.TrimSpace(s)
	sign := ""
	switch {
	case strings.HasPrefix(s, "-"):
		sign, s = "-", s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	whole, frac, hasPoint := strings.Cut(s, ".")
	if whole == "" || !digits(whole) || (hasPoint && !digits(frac)) || (hasPoint && frac == "") {
		return sign + s
	}
	whole = strings.TrimLeft(whole, "0")
	if whole == "" {
		whole = "0"
	}
	for len(frac) < minDecimals {
		frac += "0"
	}
	sep, ok := separators[lang]
	if !ok {
		sep = separators["en"]
	}
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(sep[0])
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString(sep[1])
		b.WriteString(frac)
	}
	return b.String()
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Date prints a YYYY-MM-DD date the way the language writes dates.
func Date(s, lang string) string {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	switch lang {
	case "en":
		return t.Format("2 January 2006")
	case "de":
		return t.Format("02.01.2006")
	}
	return t.Format("02/01/2006")
}

// IBAN prints an IBAN in groups of four, as on paper.
func IBAN(iban string) string {
	iban = strings.ToUpper(strings.ReplaceAll(iban, " ", ""))
	var b strings.Builder
	for i, c := range iban {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// CountryName returns the name of an ISO 3166-1 country in the language,
// or the code when it has none.
func CountryName(code, lang string) string {
	region, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if name := display.Regions(language.Make(lang)).Name(region); name != "" {
		return name
	}
	return code
}
