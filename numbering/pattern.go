// Package numbering writes the numbers of invoices, credit notes and
// proposals: the numbering patterns of series and their running counters.
package numbering

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// placeholderPattern finds the placeholders of a numbering pattern.
var placeholderPattern = regexp.MustCompile(`\{([a-z]+)(?::(\d+))?\}`)

// DefaultPattern numbers like "INV-2026-0001".
const DefaultPattern = "{code}-{yyyy}-{seq:4}"

// CheckPattern reports what is wrong with a numbering pattern, or "" when it
// is usable. A pattern needs exactly one {seq} or {seq:N} (N from 1 to 12),
// knows {code} (also {series}), {yyyy}, {yy} and {mm}, and a series that
// restarts each year needs the year in it, or two years would share numbers.
func CheckPattern(pattern string, yearlyReset bool) string {
	seqs, hasYear := 0, false
	for _, m := range placeholderPattern.FindAllStringSubmatch(pattern, -1) {
		switch m[1] {
		case "seq":
			seqs++
			if m[2] != "" {
				if n, _ := strconv.Atoi(m[2]); n < 1 || n > 12 {
					return "Pad {seq:N} to between 1 and 12 digits."
				}
			}
		case "yyyy", "yy":
			hasYear = true
			if m[2] != "" {
				return fmt.Sprintf("{%s} takes no width.", m[1])
			}
		case "code", "series", "mm":
			if m[2] != "" {
				return fmt.Sprintf("{%s} takes no width.", m[1])
			}
		default:
			return fmt.Sprintf("Unknown placeholder {%s}; use {code}, {yyyy}, {yy}, {mm}, {seq} or {seq:N}.", m[1])
		}
	}
	rest := placeholderPattern.ReplaceAllString(pattern, "")
	switch {
	case seqs == 0:
		return "The pattern needs {seq} or {seq:N} for the running number."
	case seqs > 1:
		return "The pattern can hold the running number only once."
	case strings.ContainsAny(rest, "{}"):
		return "Braces are only for placeholders like {yyyy} or {seq:4}."
	case yearlyReset && !hasYear:
		return "A series that restarts every year needs {yyyy} or {yy} in its pattern, or numbers would repeat."
	}
	return ""
}

// FormatNumber writes the number of the seq-th document of a series issued on
// date, following a pattern that CheckPattern accepts.
func FormatNumber(pattern, code string, date time.Time, seq int64) string {
	return placeholderPattern.ReplaceAllStringFunc(pattern, func(p string) string {
		m := placeholderPattern.FindStringSubmatch(p)
		switch m[1] {
		case "code", "series":
			return code
		case "yyyy":
			return fmt.Sprintf("%04d", date.Year())
		case "yy":
			return fmt.Sprintf("%02d", date.Year()%100)
		case "mm":
			return fmt.Sprintf("%02d", int(date.Month()))
		case "seq":
			width, _ := strconv.Atoi(m[2])
			return fmt.Sprintf("%0*d", width, seq)
		}
		return p
	})
}
