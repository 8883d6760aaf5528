package fatturapa

import (
	"regexp"
	"strings"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// Electronic address schemes (EAS) the SDI delivers to.
const (
	schemeIPA   = "0201" // codice univoco ufficio of the IPA index: a public administration
	schemeSDI   = "0205" // Codice Destinatario: a channel registered with the SDI
	schemeEmail = "EM"   // an email address, for FatturaPA a PEC (certified email)
)

// Default values of CodiceDestinatario.
const (
	// recipientNone lets the SDI deliver to the PEC of PECDestinatario or,
	// without one, to the buyer's reserved area on the Agenzia delle
	// Entrate's portal (Fatture e Corrispettivi).
	recipientNone = "0000000"
	// recipientForeign is the recipient of a buyer outside Italy: the SDI
	// delivers nothing, and the seller sends the invoice to the buyer.
	recipientForeign = "XXXXXXX"
)

var (
	ipaPattern = regexp.MustCompile(`^[A-Z0-9]{6}$`)
	sdiPattern = regexp.MustCompile(`^[A-Z0-9]{7}$`)
	// pecPattern is the dot-atom form of FatturaPA's EmailType.
	pecPattern = regexp.MustCompile(`^[!#-'*+/-9=?A-Z^-~-]+(\.[!#-'*+/-9=?A-Z^-~-]+)*@[!#-'*+/-9=?A-Z^-~-]+(\.[!#-'*+/-9=?A-Z^-~-]+)*$`)
)

// route decides how the SDI delivers the invoice, from the buyer's
// electronic address (BT-49):
//
//   - scheme 0201, the 6-character IPA office code of a public
//     administration: format FPA12, the code as CodiceDestinatario;
//   - scheme 0205, a 7-character Codice Destinatario: FPR12 to it;
//   - scheme EM, for a buyer in Italy: the address is its PEC, written as
//     PECDestinatario with CodiceDestinatario 0000000;
//   - a buyer outside Italy (with none of the Italian codes): XXXXXXX;
//   - a buyer in Italy with none of these: 0000000, which the SDI accepts
//     for FPR12 and delivers to the buyer's reserved area of the Agenzia
//     delle Entrate, where it is legally received. It is the rule for a
//     private person; a business buyer usually has a code or a PEC, so a
//     warning asks for it.
func (f *facts) route(is *sdk.Issues, b sdk.Party) {
	f.format = FormatPrivate
	var scheme, id string
	if ea := b.ElectronicAddress; ea != nil {
		scheme, id = upper(ea.Scheme), strings.TrimSpace(ea.ID)
	}
	switch {
	case scheme == schemeIPA:
		code := strings.ToUpper(id)
		if !ipaPattern.MatchString(code) {
			is.Error("SDI-00311", "buyer.electronic_address", "BT-49",
				"An Italian public administration is reached by the 6-character code of its office in the IPA index (codice univoco ufficio, e.g. UFABCD), letters and digits: correct the client's electronic address.")
		}
		f.format, f.recipient = FormatPA, code
	case scheme == schemeSDI:
		code := strings.ToUpper(id)
		if !sdiPattern.MatchString(code) {
			is.Error("SDI-00311", "buyer.electronic_address", "BT-49",
				"A Codice Destinatario has exactly 7 letters and digits (e.g. ABC1234): correct the client's electronic address.")
		}
		f.recipient = code
	case scheme == schemeEmail && !f.foreign:
		if len(id) > 256 || !pecPattern.MatchString(id) {
			is.Error("", "buyer.electronic_address", "BT-49",
				"The client's electronic address of scheme EM must be its PEC address, e.g. fatture@pec.example.it: correct it in the client details.")
		}
		f.recipient, f.pec = recipientNone, id
	case f.foreign:
		f.recipient = recipientForeign
	default:
		f.recipient = recipientNone
		if f.buyer == nil {
			return // a private person: its reserved area is where it receives invoices
		}
		what := "The client has no Codice Destinatario (scheme 0205) or PEC address (scheme EM)"
		if scheme != "" {
			what = "The client's electronic address of scheme " + scheme + " is none the SDI delivers to"
		}
		is.Warning("", "buyer.electronic_address", "BT-49", what+
			": the SDI will deliver the invoice to the client's reserved area on the Agenzia delle Entrate's portal. Ask the client for its Codice Destinatario or PEC, and send it a copy of the invoice.")
	}
}
