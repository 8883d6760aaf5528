package fatturapa

import (
	"strings"
)

// maxCausale is the length of one Causale; a longer note takes several.
const maxCausale = 200

// body writes FatturaElettronicaBody: general data, goods and services,
// payment.
func (d *doc) body() {
	d.w.Open("FatturaElettronicaBody")
	d.general()
	d.goodsAndServices()
	d.payment()
	d.w.Close()
}

// general writes DatiGenerali: the document data, the order and the
// invoices a credit note corrects.
func (d *doc) general() {
	w, inv := d.w, d.inv
	w.Open("DatiGenerali")
	w.Open("DatiGeneraliDocumento")
	tipo := typeInvoice
	if inv.IsCreditNote() {
		tipo = typeCreditNote
	}
	w.Leaf("TipoDocumento", tipo)                   // BT-3
	w.Leaf("Divisa", inv.Currency)                  // BT-5
	w.Leaf("Data", inv.IssueDate)                   // BT-2
	w.Leaf("Numero", strings.TrimSpace(inv.Number)) // BT-1
	if d.f.stamp {
		w.Open("DatiBollo")
		w.Leaf("BolloVirtuale", "SI")
		w.Leaf("ImportoBollo", stampDuty)
		w.Close()
	}
	w.Leaf("ImportoTotaleDocumento", d.n.amount("totals.gross", inv.Totals.Gross)) // BT-112
	for _, c := range d.causali() {
		w.Leaf("Causale", c)
	}
	w.Close()
	if d.f.orderRef != "" {
		w.Open("DatiOrdineAcquisto")
		w.Leaf("IdDocumento", d.f.orderRef) // BT-13
		w.Close()
	}
	for _, p := range inv.PrecedingInvoices {
		w.Open("DatiFattureCollegate")
		w.Leaf("IdDocumento", strings.TrimSpace(p.Number)) // BT-25
		w.Leaf("Data", p.IssueDate)                        // BT-26
		w.Close()
	}
	w.Close()
}

// causali returns the Causale texts: each note (BT-22) in pieces of 200
// characters and, for an invoice in another currency with its VAT in
// euros, that VAT, which Italian law wants stated in euros.
func (d *doc) causali() []string {
	var out []string
	for _, note := range d.inv.Notes {
		out = append(out, chunks(latin(note, unlimited), maxCausale)...)
	}
	inv := d.inv
	if inv.VATAccountingCurrency == "EUR" && inv.Currency != "EUR" && inv.Totals.VATAccounting != "" {
		out = append(out, "Totale IVA in EUR: "+d.n.amount("totals.vat_accounting", inv.Totals.VATAccounting)) // BT-111
	}
	return out
}

// payment writes DatiPagamento: one complete payment (TP02) of the amount
// due (BT-115) by the due date (BT-9), to the account of the payment
// instructions.
func (d *doc) payment() {
	p := d.f.payment
	if p == nil {
		return
	}
	w := d.w
	w.Open("DatiPagamento")
	w.Leaf("CondizioniPagamento", paymentComplete)
	w.Open("DettaglioPagamento")
	w.Leaf("Beneficiario", p.beneficiary) // BT-85
	w.Leaf("ModalitaPagamento", p.mode)   // BT-81
	if isDate(d.inv.DueDate) {
		w.Leaf("DataScadenzaPagamento", d.inv.DueDate) // BT-9
	}
	w.Leaf("ImportoPagamento", d.n.amount("totals.payable", d.inv.Totals.Payable)) // BT-115
	w.Leaf("IBAN", p.iban)                                                         // BT-84
	w.Leaf("BIC", p.bic)                                                           // BT-86
	w.Close()
	w.Close()
}
