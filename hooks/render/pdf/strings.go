package pdf

import (
	"strings"
	"time"
	"unicode/utf16"
)

// textString writes s as a PDF text string: a literal string when it is
// printable ASCII, otherwise UTF-16BE with a byte order mark.
func textString(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			ascii = false
			break
		}
	}
	if ascii {
		return literal(s)
	}
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		b.WriteByte(hexDigits[u>>12])
		b.WriteByte(hexDigits[u>>8&0xF])
		b.WriteByte(hexDigits[u>>4&0xF])
		b.WriteByte(hexDigits[u&0xF])
	}
	b.WriteByte('>')
	return b.String()
}

// literal writes printable ASCII as a literal string, escaping what must be.
func literal(s string) string {
	var b strings.Builder
	b.WriteByte('(')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '(', ')', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(')')
	return b.String()
}

// asciiName returns s with every character outside printable ASCII replaced
// by '_', for the /F entry of a file specification.
func asciiName(s string) string {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r < ' ' || r > '~' {
			out = append(out, '_')
			continue
		}
		out = append(out, byte(r))
	}
	return string(out)
}

// name writes s as a PDF name, escaping delimiters and non-regular
// characters as #XX (so "text/xml" becomes /text#2Fxml).
func name(s string) string {
	var b strings.Builder
	b.WriteByte('/')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '!' || c > '~' || strings.IndexByte("#()<>[]{}/%", c) >= 0 {
			b.WriteByte('#')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xF])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// date writes t as a PDF date string, in UTC.
func date(t time.Time) string {
	return "(D:" + t.UTC().Format("20060102150405") + "+00'00')"
}

// xmpDate writes t as an XMP date, in UTC; it names the same instant as date.
func xmpDate(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05") + "+00:00"
}

// xmlEscape escapes text for an XML element or attribute.
func xmlEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&apos;")
		default:
			if r < ' ' && r != '\t' && r != '\n' && r != '\r' {
				continue // not allowed in XML 1.0
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}
