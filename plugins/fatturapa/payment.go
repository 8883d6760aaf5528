package fatturapa

import (
	"regexp"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// Payment codes of DatiPagamento.
const (
	paymentComplete = "TP02" // CondizioniPagamento: pagamento completo
	modeTransfer    = "MP05" // ModalitaPagamento: bonifico
)

// modes are the ModalitaPagamento of the payment means codes (BT-81, UNCL
// 4461) that have one.
var modes = map[string]string{
	"10": "MP01", // cash: contanti
	"20": "MP02", // cheque: assegno
	"30": "MP05", // credit transfer: bonifico
	"31": "MP05", // debit transfer
	"42": "MP05", // payment to bank account
	"58": "MP05", // SEPA credit transfer
	"48": "MP08", // bank card: carta di pagamento
	"54": "MP08", // credit card
	"55": "MP08", // debit card
	"49": "MP19", // direct debit: SEPA Direct Debit
	"59": "MP19", // SEPA direct debit
}

var (
	ibanPattern = regexp.MustCompile(`^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$`)
	bicPattern  = regexp.MustCompile(`^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$`)
)

// paymentFacts are what DettaglioPagamento states.
type paymentFacts struct {
	mode, beneficiary, iban, bic string
}

// checkPayment decides the payment details of an invoice with payment
// instructions (BG-16): the mode of its payment means (a bank transfer,
// MP05, when the means has no mode of its own but an account), the
// account holder, the IBAN and the BIC. An IBAN or BIC the schema would
// refuse is left out with a warning. A credit note states none: the
// seller's account is where the buyer pays, not where a credit goes.
func (f *facts) checkPayment(is *sdk.Issues, inv *sdk.Invoice) {
	p := inv.Payment
	if p == nil || inv.IsCreditNote() {
		return
	}
	ct := p.CreditTransfer
	if ct == nil {
		ct = &sdk.CreditTransfer{}
	}
	mode := modes[p.MeansCode]
	if mode == "" && ct.AccountID != "" {
		mode = modeTransfer
	}
	if mode == "" {
		return
	}
	f.payment = &paymentFacts{mode: mode, beneficiary: latin(ct.AccountName, 200)}
	if iban := compact(ct.AccountID); iban != "" {
		if ibanPattern.MatchString(iban) {
			f.payment.iban = iban
		} else {
			is.Warning("", "payment.credit_transfer.account_id", "BT-84", "Your IBAN was left out: it is no IBAN FatturaPA accepts (workspace settings).")
		}
	}
	if bic := compact(ct.ServiceProviderID); bic != "" {
		if bicPattern.MatchString(bic) {
			f.payment.bic = bic
		} else {
			is.Warning("", "payment.credit_transfer.service_provider_id", "BT-86", "Your BIC was left out: it is no BIC FatturaPA accepts (workspace settings).")
		}
	}
}
