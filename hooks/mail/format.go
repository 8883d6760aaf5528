package mail

import (
	"strings"
	"time"

	"github.com/kontor-app/kontor/money"
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

// formatMoney writes a decimal amount with two decimals and the language's
// separators, followed by its currency code: "1.211,34 EUR" in German.
// Anything that is not a decimal is written as it is.
func formatMoney(amount, currency, lang string) string {
	d, err := money.Parse(strings.TrimSpace(amount))
	if err != nil {
		return strings.TrimSpace(amount + "\u00A0" + currency)
	}
	s := money.Amount(d)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
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
	b.WriteString(sep[1] + frac)
	if currency != "" {
		b.WriteString("\u00A0" + currency)
	}
	return b.String()
}

// formatDate writes a YYYY-MM-DD date the way the language writes dates;
// anything else as it is.
func formatDate(s, lang string) string {
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

// formatIBAN writes an IBAN in groups of four, as on paper.
func formatIBAN(iban string) string {
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

// owed reports whether a decimal amount is more than zero.
func owed(amount string) bool {
	d, err := money.Parse(strings.TrimSpace(amount))
	return err == nil && d.IsPositive()
}
