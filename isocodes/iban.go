package isocodes

import (
	"math/big"
	"regexp"
	"strings"
)

var (
	ibanPattern = regexp.MustCompile(`^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$`)
	bicPattern  = regexp.MustCompile(`^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$`)
)

// NormalizeIBAN removes spaces and upper-cases an IBAN as typed by a person.
func NormalizeIBAN(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// IsIBAN reports whether s (normalised) is an IBAN (ISO 13616) with a valid
// country code and mod-97 check digits.
func IsIBAN(s string) bool {
	if !ibanPattern.MatchString(s) || !IsCountry(s[:2]) {
		return false
	}
	rearranged := s[4:] + s[:4]
	var digits strings.Builder
	for _, r := range rearranged {
		if r >= 'A' && r <= 'Z' {
			digits.WriteString(big.NewInt(int64(r - 'A' + 10)).String())
		} else {
			digits.WriteRune(r)
		}
	}
	n, ok := new(big.Int).SetString(digits.String(), 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

// IsBIC reports whether s is a BIC (ISO 9362), 8 or 11 characters.
func IsBIC(s string) bool {
	return bicPattern.MatchString(s) && IsCountry(s[4:6])
}
