package vies

import (
	"strings"

	"github.com/kontor-app/kontor/isocodes"
)

// SplitVATID splits a VAT number as Kontor stores it (its country prefix
// followed by the number, e.g. "ESB12345678") into the member state code
// and the number VIES asks for. Greece is EL in VIES, whichever of EL or GR
// the number was written with; Northern Ireland is XI. ok is false for a
// number of a country VIES does not cover.
func SplitVATID(vatID string) (memberState, number string, ok bool) {
	vatID = strings.ToUpper(strings.TrimSpace(vatID))
	if len(vatID) < 3 {
		return "", "", false
	}
	prefix, number := vatID[:2], vatID[2:]
	switch {
	case prefix == "EL" || prefix == "GR":
		return "EL", number, true
	case prefix == "XI" || isocodes.IsEU(prefix):
		return prefix, number, true
	}
	return "", "", false
}
