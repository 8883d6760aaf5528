package render

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

// formatNumber prints a decimal string ("-1234.5") with the language's
// separators ("-1.234,5" in German). It works on the digits as text, never
// through a float; anything that is not a plain decimal is returned as it
// is.
func formatNumber(s, lang string) string {
	return formatDecimal(s, lang, 0)
}

// formatAmount prints a decimal string as an amount: like formatNumber,
// with at least two decimals ("12.5" → "12.50").
func formatAmount(s, lang string) string {
	if strings.TrimSpace(s) == "" {
		s = "0"
	}
	return formatDecimal(s, lang, 2)
}

// formatMoney prints an amount followed by its currency code.
func formatMoney(s, currency, lang string) string {
	return strings.TrimSpace(formatAmount(s, lang) + "\u00A0" + currency)
}

// formatRate prints a VAT rate as a percentage ("19 %", "7,5 %").
func formatRate(s, lang string) string {
	if lang == "en" {
		return formatNumber(s, lang) + "%"
	}
	return formatNumber(s, lang) + "\u00A0%"
}

func formatDecimal(s, lang string, minDecimals int) string {
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

// formatDate prints a YYYY-MM-DD date the way the language writes dates.
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

// formatIBAN prints an IBAN in groups of four, as on paper.
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

// countryName returns the name of an ISO 3166-1 country in the language,
// or the code when it has none.
func countryName(code, lang string) string {
	region, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if name := display.Regions(language.Make(lang)).Name(region); name != "" {
		return name
	}
	return code
}

// universalUnits are unit symbols written alike in every language; the
// others come from the message catalogue (unit_<code>).
var universalUnits = map[string]string{
	"HUR": "h", "MIN": "min", "SEC": "s",
	"KGM": "kg", "GRM": "g", "TNE": "t",
	"MTR": "m", "KMT": "km", "CMT": "cm", "MMT": "mm", "MTK": "m²", "MTQ": "m³",
	"LTR": "l", "MLT": "ml", "KWH": "kWh", "KWT": "kW", "P1": "%",
}

// unitLabel returns a readable label for a UN/ECE Recommendation 20 unit
// code, or the code itself when it is not a common one.
func unitLabel(code, lang string) string {
	if u, ok := universalUnits[code]; ok {
		return u
	}
	if s := text(lang, "unit_"+code); s != "unit_"+code {
		return s
	}
	return code
}
