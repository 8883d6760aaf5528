package fatturapa

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// replacements are the characters outside Latin-1 that have a usual
// spelling inside it; any other such character becomes "?".
var replacements = map[rune]string{
	'€': "EUR",
	'‘': "'", '’': "'", '‚': "'", '‛': "'", '′': "'",
	'“': `"`, '”': `"`, '„': `"`, '‟': `"`, '″': `"`,
	'‐': "-", '‑': "-", '‒': "-", '–': "-", '—': "-", '―': "-", '−': "-",
	'…': "...", '•': "-",
	'Œ': "OE", 'œ': "oe", 'Ł': "L", 'ł': "l", 'Đ': "D", 'đ': "d", 'ı': "i",
	'™': "TM", '‰': " per mille",
}

// latin returns s as FatturaPA's Latin text types accept it (the
// String...LatinType patterns: Basic Latin and Latin-1 Supplement, 1 to max
// characters): characters outside Latin-1 are spelled in it ("€" becomes
// "EUR", a letter with a mark outside Latin-1 loses the mark) or become
// "?", control characters and runs of white space become one space, and
// the text is cut after max characters. Empty stays empty.
func latin(s string, max int) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r):
			b.WriteByte(' ')
		case r <= 0xff:
			b.WriteRune(r)
		case replacements[r] != "":
			b.WriteString(replacements[r])
		default:
			b.WriteString(fold(r))
		}
	}
	return cut(strings.Join(strings.Fields(b.String()), " "), max)
}

// fold spells a character outside Latin-1 by its base letter when it has
// one inside (e.g. "ő" as "o", "Č" as "C"), otherwise as "?".
func fold(r rune) string {
	base, _ := utf8.DecodeRuneInString(norm.NFD.String(string(r)))
	if base != r && base <= 0xff && !unicode.IsControl(base) {
		return string(base)
	}
	return "?"
}

// unlimited is the max of latin for a text that is split, not cut.
const unlimited = -1

// cut returns s cut after max characters; unlimited keeps it whole.
func cut(s string, max int) string {
	if max == unlimited || utf8.RuneCountInString(s) <= max {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:max]))
}

// chunks splits a Latin text into pieces of at most max characters, for an
// element the schema repeats instead of making longer (Causale). A piece
// ends at its last space when that space is in its second half; otherwise
// it is cut at max.
func chunks(s string, max int) []string {
	var out []string
	r := []rune(s)
	for len(r) > max {
		end, next := max, max
		for i := max; i > max/2; i-- {
			if r[i] == ' ' {
				end, next = i, i+1
				break
			}
		}
		out = append(out, string(r[:end]))
		r = r[next:]
	}
	if len(r) > 0 {
		out = append(out, string(r))
	}
	return out
}

// isBasic reports whether s fits FatturaPA's Basic Latin text types (the
// String...Type patterns of identifiers and codes: printable ASCII, 1 to
// max characters).
func isBasic(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// compact removes the spaces, dots and dashes people write in identifiers
// and returns them in upper case ("it 012.345" is "IT012345").
func compact(s string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', '-', '/', '\t':
			return -1
		}
		return r
	}, strings.TrimSpace(s)))
}
