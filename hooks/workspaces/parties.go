package workspaces

import (
	"regexp"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/fielderr"
	"github.com/kontor-app/kontor/isocodes"
)

var (
	vatIDPattern  = regexp.MustCompile(`^[A-Z]{2}[0-9A-Z+*]{2,13}$`)
	schemePattern = regexp.MustCompile(`^[0-9A-Z]{2,4}$`)
	vatIDJunk     = strings.NewReplacer(" ", "", ".", "", "-", "", "/", "")
)

func invalid(field, message string) error { return fielderr.New(field, message) }

// normalizeWorkspace tidies what a person typed about the seller and refuses
// what no invoice could carry.
func normalizeWorkspace(e *core.RecordEvent) error {
	r := e.Record
	errs := fielderr.Errors{}
	normalizeParty(r, errs)

	if r.GetString("currency") == "" {
		r.Set("currency", "EUR")
	}
	if r.GetString("language") == "" {
		r.Set("language", "en")
	}
	if r.GetString("tax_regime") == "" {
		r.Set("tax_regime", "RF01")
	}
	if iban := isocodes.NormalizeIBAN(r.GetString("iban")); iban != "" {
		r.Set("iban", iban)
		if !isocodes.IsIBAN(iban) {
			errs.Add("iban", "This is not a valid IBAN; check the country code and the two check digits.")
		}
	}
	if bic := strings.ToUpper(strings.TrimSpace(r.GetString("bic"))); bic != "" {
		r.Set("bic", bic)
		if !isocodes.IsBIC(bic) {
			errs.Add("bic", "A BIC has 8 or 11 letters and digits, like COBADEFFXXX.")
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return e.Next()
}

// normalizeClient tidies what a person typed about a buyer.
func normalizeClient(e *core.RecordEvent) error {
	errs := fielderr.Errors{}
	normalizeParty(e.Record, errs)
	if err := errs.Err(); err != nil {
		return err
	}
	return e.Next()
}

// normalizeParty checks the fields sellers and buyers share.
func normalizeParty(r *core.Record, errs fielderr.Errors) {
	r.Set("name", strings.TrimSpace(r.GetString("name")))
	r.Set("tax_id", strings.ToUpper(strings.TrimSpace(r.GetString("tax_id"))))

	if c := strings.ToUpper(strings.TrimSpace(r.GetString("country"))); c != "" {
		r.Set("country", c)
		if !isocodes.IsCountry(c) {
			errs.Add("country", "Use the two-letter ISO 3166-1 country code, like DE, ES or FR.")
		}
	}
	if c := strings.ToUpper(strings.TrimSpace(r.GetString("currency"))); c != "" {
		r.Set("currency", c)
		if !isocodes.IsCurrency(c) {
			errs.Add("currency", "Use a three-letter ISO 4217 currency code, like EUR, USD or GBP.")
		}
	}
	if v := strings.ToUpper(vatIDJunk.Replace(r.GetString("vat_id"))); v != "" {
		r.Set("vat_id", v)
		if !vatIDPattern.MatchString(v) {
			errs.Add("vat_id", "A VAT number starts with its country prefix, like DE123456789 or ESB12345678.")
		}
	}
	address := strings.TrimSpace(r.GetString("electronic_address"))
	scheme := strings.ToUpper(strings.TrimSpace(r.GetString("electronic_address_scheme")))
	r.Set("electronic_address", address)
	r.Set("electronic_address_scheme", scheme)
	switch {
	case address != "" && scheme == "":
		errs.Add("electronic_address_scheme", "Say which scheme the electronic address uses (Peppol EAS code, e.g. 0088 for GLN, 9930 for a German VAT number, EM for email).")
	case scheme != "" && !schemePattern.MatchString(scheme):
		errs.Add("electronic_address_scheme", "The scheme is a Peppol EAS code of 2 to 4 letters or digits, like 0088, 9930 or EM.")
	case scheme != "" && address == "":
		errs.Add("electronic_address", "Enter the electronic address for this scheme.")
	}
}
