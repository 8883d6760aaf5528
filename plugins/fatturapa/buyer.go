package fatturapa

import (
	"github.com/kontor-app/kontor/plugins/sdk"
)

// foreignTaxID is the IdCodice of a buyer outside Italy that has no tax
// identifier, e.g. a private person: the Agenzia delle Entrate asks for
// the buyer's country and any identifying value, and software uses eleven
// nines by convention; the SDI checks identifiers of Italian buyers only.
const foreignTaxID = "99999999999"

// vatPrefixes are the VAT number prefixes of the EU member states; Greece
// uses EL, not its ISO code GR.
var vatPrefixes = map[string]bool{
	"AT": true, "BE": true, "BG": true, "CY": true, "CZ": true, "DE": true, "DK": true, "EE": true, "EL": true,
	"ES": true, "FI": true, "FR": true, "HR": true, "HU": true, "IE": true, "IT": true, "LT": true, "LU": true,
	"LV": true, "MT": true, "NL": true, "PL": true, "PT": true, "RO": true, "SE": true, "SI": true, "SK": true,
}

// checkBuyer checks the buyer (CessionarioCommittente) and decides its
// identifiers. A buyer in Italy needs its partita IVA (IdFiscaleIVA) or
// its codice fiscale, or both, which the SDI checks against the tax
// registry. A buyer outside Italy is known by its VAT number with the
// country prefix when it has one; otherwise by its country and its own tax
// identifier (tax_registration_id), or eleven nines when it has none.
func (f *facts) checkBuyer(is *sdk.Issues, b sdk.Party) {
	if latin(b.Name, 80) == "" {
		is.Error("", "buyer.name", "BT-44", "FatturaPA needs the client's name.")
	}
	country := upper(b.Address.Country)
	if !countryPattern.MatchString(country) {
		is.Error("", "buyer.address.country", "BT-55", "FatturaPA needs the client's country, as its two-letter code (e.g. IT).")
		return
	}
	f.foreign = country != "IT"
	vat, cf := compact(b.VATID), compact(b.TaxRegistrationID)
	if f.foreign {
		f.foreignIDs(is, vat, cf, country)
	} else {
		f.italianIDs(is, vat, cf)
	}
	checkAddress(is, b.Address, "buyer", "the client's", [3]string{"BT-50", "BT-52", "BT-53"}, "client details")
}

// italianIDs decides the identifiers of a buyer in Italy.
func (f *facts) italianIDs(is *sdk.Issues, vat, cf string) {
	if vat != "" {
		id := splitVAT(vat, "IT")
		if (id.country == "IT" && !partitaIVAPattern.MatchString(id.code)) || !isBasic(id.code, 28) {
			is.Error("SDI-00305", "buyer.vat_id", "BT-48",
				"The client's VAT number must be an Italian partita IVA, IT and 11 digits (e.g. IT01234567890): correct it in the client details.")
		} else {
			f.buyer = &id
		}
	}
	if cf != "" {
		if codiceFiscalePattern.MatchString(cf) {
			f.buyerCF = cf
		} else {
			is.Error("SDI-00306", "buyer.tax_registration_id", "",
				"The client's tax number must be an Italian codice fiscale: 11 digits for a company or public body, 16 letters and digits for a person (e.g. RSSMRA80A01H501U).")
		}
	}
	if vat == "" && cf == "" {
		is.Error("SDI-00417", "buyer.vat_id", "BT-48",
			"FatturaPA needs the Italian client's partita IVA (VAT number) or codice fiscale (tax number), for a private person the codice fiscale: set one in the client details.")
	}
}

// foreignIDs decides the identifier of a buyer outside Italy.
func (f *facts) foreignIDs(is *sdk.Issues, vat, cf, country string) {
	switch {
	case vat != "":
		id := splitVAT(vat, country)
		if !isBasic(id.code, 28) {
			is.Error("", "buyer.vat_id", "BT-48", "FatturaPA holds a VAT number of at most 28 letters and digits after the country prefix: correct the client's VAT number.")
			return
		}
		f.buyer = &id
	case isBasic(cf, 28):
		f.buyer = &taxID{country: country, code: cf}
	default:
		f.buyer = &taxID{country: country, code: foreignTaxID}
	}
}

// splitVAT splits a VAT number into IdPaese and IdCodice: an EU VAT
// prefix as written (so EL for Greece), or the buyer's country when a digit
// follows it (GB123456789); otherwise the country and the whole number
// (CHE123456789 is Swiss as it stands).
func splitVAT(vat, country string) taxID {
	if len(vat) > 2 && countryPattern.MatchString(vat[:2]) &&
		(vatPrefixes[vat[:2]] || (vat[:2] == country && vat[2] >= '0' && vat[2] <= '9')) {
		return taxID{country: vat[:2], code: vat[2:]}
	}
	return taxID{country: country, code: vat}
}
