package fatturapa

import (
	"regexp"
	"strings"

	"github.com/kontor-app/kontor/plugins/sdk"
)

var (
	// partitaIVAPattern is an Italian VAT number without its IT prefix.
	partitaIVAPattern = regexp.MustCompile(`^[0-9]{11}$`)
	// codiceFiscalePattern is an Italian codice fiscale: 11 digits for a
	// company or body, 16 characters for a person.
	codiceFiscalePattern = regexp.MustCompile(`^([0-9]{11}|[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z])$`)
	// contactEmailPattern is FatturaPA's EmailContattiType.
	contactEmailPattern = regexp.MustCompile(`^.+@.+[.]+.+$`)
)

// defaultRegime is the RegimeFiscale of a seller that states none: the
// ordinary regime.
const defaultRegime = "RF01"

// regimes are the RegimeFiscale codes of FatturaPA 1.2.2 (RF03 was
// withdrawn).
var regimes = map[string]bool{
	"RF01": true, "RF02": true, "RF04": true, "RF05": true, "RF06": true, "RF07": true, "RF08": true,
	"RF09": true, "RF10": true, "RF11": true, "RF12": true, "RF13": true, "RF14": true, "RF15": true,
	"RF16": true, "RF17": true, "RF18": true, "RF19": true,
}

// checkSeller checks the seller (CedentePrestatore), who is also the
// transmitter: FatturaPA is issued by sellers established in Italy, known
// by their partita IVA.
func (f *facts) checkSeller(is *sdk.Issues, s sdk.Party) {
	if upper(s.Address.Country) != "IT" {
		is.Error("", "seller.address.country", "BT-40",
			"FatturaPA is the e-invoice of the Italian SDI, issued by sellers established in Italy: set your country to IT in the workspace settings, or choose another format.")
	}
	vat := compact(s.VATID)
	if partitaIVAPattern.MatchString(vat) {
		vat = "IT" + vat
	}
	switch {
	case vat == "":
		is.Error("", "seller.vat_id", "BT-31",
			"FatturaPA needs your Italian VAT number (partita IVA, e.g. IT01234567890): set it in the workspace settings. A seller under the flat-rate scheme states it too.")
	case !strings.HasPrefix(vat, "IT") || !partitaIVAPattern.MatchString(vat[2:]):
		is.Error("SDI-00301", "seller.vat_id", "BT-31",
			"Your VAT number must be an Italian partita IVA, IT and 11 digits (e.g. IT01234567890): correct it in the workspace settings.")
	default:
		f.seller = taxID{country: "IT", code: vat[2:]}
	}
	if cf := compact(s.TaxRegistrationID); cf != "" {
		if codiceFiscalePattern.MatchString(cf) {
			f.sellerCF = cf
		} else {
			is.Error("", "seller.tax_registration_id", "BT-32",
				"Your tax number must be an Italian codice fiscale: 11 digits for a company, 16 letters and digits for a person (workspace settings).")
		}
	}
	if latin(s.Name, 80) == "" {
		is.Error("", "seller.name", "BT-27", "FatturaPA needs your legal name (workspace settings).")
	}
	f.regime = upper(s.TaxRegime)
	if f.regime == "" {
		f.regime = defaultRegime
	}
	if !regimes[f.regime] {
		is.Error("", "seller.tax_regime", "",
			"Your tax regime must be a FatturaPA regime fiscale from RF01 (ordinary) to RF19 (flat rate), RF03 excepted: choose it in the workspace settings.")
	}
	checkAddress(is, s.Address, "seller", "your", [3]string{"BT-35", "BT-37", "BT-38"}, "workspace settings")
	f.contacts(is, s.Contact)
}

// checkAddress checks that an address has what Sede needs: a street, a
// city and, in Italy, a five-digit CAP. terms are the business terms of
// line 1, city and postal code.
func checkAddress(is *sdk.Issues, a sdk.Address, party, whose string, terms [3]string, where string) {
	if latin(a.Line1, 60) == "" {
		is.Error("", party+".address.line1", terms[0], "FatturaPA needs "+whose+" street address ("+where+").")
	}
	if latin(a.City, 60) == "" {
		is.Error("", party+".address.city", terms[1], "FatturaPA needs "+whose+" city ("+where+").")
	}
	if upper(a.Country) == "IT" && !capPattern.MatchString(strings.TrimSpace(a.PostalCode)) {
		is.Error("", party+".address.postal_code", terms[2], "FatturaPA needs "+whose+" CAP, the Italian postal code of five digits (e.g. 00144) ("+where+").")
	}
}

// contacts keeps the seller's phone and email when FatturaPA can hold them
// (Contatti: a phone of 5 to 12 characters, an email address), and warns
// about those it leaves out.
func (f *facts) contacts(is *sdk.Issues, c *sdk.Contact) {
	if c == nil {
		return
	}
	if c.Phone != "" {
		f.phone = phone(c.Phone)
		if f.phone == "" {
			is.Warning("", "seller.contact.phone", "BT-42",
				"Your phone number was left out: FatturaPA holds 5 to 12 characters, e.g. +39061234567.")
		}
	}
	if email := strings.TrimSpace(c.Email); email != "" {
		if len(email) >= 7 && len(email) <= 256 && contactEmailPattern.MatchString(email) && isBasic(email, 256) {
			f.email = email
		} else {
			is.Warning("", "seller.contact.email", "BT-43", "Your email address was left out: FatturaPA holds an address like name@example.it.")
		}
	}
}

// phone returns the phone number as TelFaxType holds it (5 to 12 basic
// Latin characters): without spaces and separators and, when that is
// still too long, without the Italian prefix; "" when it does not fit.
func phone(s string) string {
	p := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', '-', '/', '(', ')', '\t':
			return -1
		}
		return r
	}, s)
	if len(p) > 12 {
		for _, prefix := range []string{"+39", "0039"} {
			if strings.HasPrefix(p, prefix) {
				p = strings.TrimPrefix(p, prefix)
				break
			}
		}
	}
	if len(p) < 5 || !isBasic(p, 12) {
		return ""
	}
	return p
}
