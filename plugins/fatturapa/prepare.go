package fatturapa

import (
	"regexp"
	"strings"
	"time"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// taxID is an IdFiscaleIVA: a country code and the identifier in it.
type taxID struct {
	country, code string
}

// facts are what prepare found out about an invoice, ready to write.
type facts struct {
	format    string // FormatoTrasmissione and versione: FormatPA or FormatPrivate
	recipient string // CodiceDestinatario
	pec       string // PECDestinatario

	seller      taxID
	sellerCF    string // CodiceFiscale of the seller
	regime      string // RegimeFiscale
	phone       string
	email       string
	buyer       *taxID // IdFiscaleIVA of the buyer; nil for none
	buyerCF     string // CodiceFiscale of the buyer
	foreign     bool   // the buyer is outside Italy
	natures     []string
	stamp       bool
	buyerRef    string // RiferimentoAmministrazione
	orderRef    string // DatiOrdineAcquisto IdDocumento
	progressive string // ProgressivoInvio
	fileName    string

	payment *paymentFacts
}

var (
	countryPattern  = regexp.MustCompile(`^[A-Z]{2}$`)
	currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)
	capPattern      = regexp.MustCompile(`^[0-9]{5}$`)
	digitPattern    = regexp.MustCompile(`[0-9]`)
)

// maxLines is the highest NumeroLinea FatturaPA allows.
const maxLines = 9999

// prepare checks the invoice against what FatturaPA and the SDI need and
// decides what to write: the transmission format and recipient, the tax
// identifiers of both parties, the Natura of every VAT category and the
// stamp duty. Errors are in the issues; a non-nil error is a number of the
// canonical invoice that is no decimal, which is Kontor's fault.
func prepare(inv *sdk.Invoice) (*facts, sdk.Issues, error) {
	var is sdk.Issues
	var n numbers
	f := &facts{}
	f.checkSeller(&is, inv.Seller)
	f.checkBuyer(&is, inv.Buyer)
	f.route(&is, inv.Buyer)
	f.checkDocument(&is, inv)
	f.checkTaxes(&is, inv)
	f.checkPayment(&is, inv)
	if is.HasErrors() {
		return f, is, nil
	}

	f.stamp = stampDue(inv.VATBreakdown, f.natures, &n)
	if f.stamp && inv.Currency != "EUR" {
		is.Warning("", "currency", "BT-5", "The invoice owes the stamp duty of 2.00 EUR on amounts not subject to VAT above 77.47 EUR; Kontor compared the "+
			inv.Currency+" amounts with that threshold. Check their value in euros: below 77.47 EUR no stamp duty is due.")
	}
	if f.format == FormatPA && hasCategory(inv.VATBreakdown, standardRate) {
		is.Warning("", "vat_breakdown", "BG-23", "Most Italian public administrations pay the VAT of an invoice to the State themselves (scissione dei pagamenti, art. 17-ter DPR 633/72); "+
			"this invoice states the VAT as payable to you (EsigibilitaIVA I). Check with the administration before sending it.")
	}
	f.progressive = progressive(inv.Number)
	f.fileName = fileName(f.seller, f.progressive)
	return f, is, n.err
}

// hasCategory reports whether the breakdown has an entry of the category.
func hasCategory(breakdown []sdk.VATBreakdown, category string) bool {
	for _, b := range breakdown {
		if b.Category == category {
			return true
		}
	}
	return false
}

// isDate reports whether s is a date FatturaPA accepts (DataFatturaType:
// YYYY-MM-DD, from 1970).
func isDate(s string) bool {
	t, err := time.Parse(time.DateOnly, s)
	return err == nil && t.Year() >= 1970
}

// upper returns s trimmed and in upper case.
func upper(s string) string {
	return strings.ToUpper(strings.TrimSpace(s))
}
