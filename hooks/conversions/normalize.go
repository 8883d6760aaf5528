package conversions

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
)

// NormalizeEmail is an email address as Google wants it before hashing
// (Data Manager, "Format user data"): every space removed, lower-cased, and
// for gmail.com and googlemail.com only, the dots of the local part and a
// "+suffix" removed. It returns "" for what is not an address.
func NormalizeEmail(email string) string {
	email = strings.ToLower(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, email))
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") {
		return ""
	}
	if domain == "gmail.com" || domain == "googlemail.com" {
		local, _, _ = strings.Cut(local, "+")
		local = strings.ReplaceAll(local, ".", "")
		if local == "" {
			return ""
		}
	}
	return local + "@" + domain
}

// NormalizePhone is a phone number in E.164 ("+34600111222") with the
// spaces, dashes, dots and brackets people write removed. It returns "" for
// a number without the leading + and country code, or with other than 8 to
// 15 digits: Kontor does not guess a country.
func NormalizePhone(phone string) string {
	phone = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r), r == '-', r == '.', r == '(', r == ')', r == '[', r == ']':
			return -1
		}
		return r
	}, phone)
	digits, ok := strings.CutPrefix(phone, "+")
	if !ok || len(digits) < 8 || len(digits) > 15 || digits[0] == '0' {
		return ""
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return ""
		}
	}
	return "+" + digits
}

// Hash is the SHA-256 of s in lowercase hex, as Google takes hashed user
// data.
func Hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// HashedEmail is the hash of the normalised email address; "" when it is
// not an address.
func HashedEmail(email string) string {
	if n := NormalizeEmail(email); n != "" {
		return Hash(n)
	}
	return ""
}

// HashedPhone is the hash of the phone number in E.164; "" when it is not
// one.
func HashedPhone(phone string) string {
	if n := NormalizePhone(phone); n != "" {
		return Hash(n)
	}
	return ""
}
