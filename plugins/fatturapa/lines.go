package fatturapa

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// articleCodeType is the CodiceTipo of the seller's item identifier
// (BT-155): the seller's own code.
const articleCodeType = "INTERNO"

// Kinds of line and of line adjustment.
const (
	kindAllowance  = "SC" // sconto: TipoCessionePrestazione and ScontoMaggiorazione Tipo
	kindLineCharge = "MG" // maggiorazione: ScontoMaggiorazione Tipo
	kindCharge     = "AC" // spesa accessoria: TipoCessionePrestazione
)

// goodsAndServices writes DatiBeniServizi: a DettaglioLinee for each line,
// then one for each document level allowance and charge, and a
// DatiRiepilogo for each VAT breakdown entry.
func (d *doc) goodsAndServices() {
	d.w.Open("DatiBeniServizi")
	number := 0
	for i, l := range d.inv.Lines {
		number++
		d.line(number, i, l)
	}
	for _, a := range d.inv.Allowances {
		number++
		d.documentLevel(number, a, false)
	}
	for _, c := range d.inv.Charges {
		number++
		d.documentLevel(number, c, true)
	}
	for i, b := range d.inv.VATBreakdown {
		d.summary(b, d.f.natures[i])
	}
	d.w.Close()
}

// line writes an invoice line (BG-25) as DettaglioLinee, numbered from 1
// in the order of the invoice. PrezzoUnitario is the item net price
// (BT-146), per unit when the price has a base quantity; a negative
// quantity, which QuantitaType cannot hold, is written positive with the
// price negated, so that PrezzoTotale, the line net amount (BT-131), stays
// their product.
func (d *doc) line(number, index int, l sdk.Line) {
	w, n := d.w, &d.n
	field := "lines[" + strconv.Itoa(index) + "]."
	price := n.parse(field+"price.net", l.Price.Net)
	if base := strings.TrimSpace(l.Price.BaseQuantity); base != "" {
		if b := n.parse(field+"price.base_quantity", base); b.IsPositive() {
			price = price.DivRound(b, 8)
		}
	}
	hasQuantity := strings.TrimSpace(l.Quantity) != ""
	quantity, negated := decimal.Zero, false
	if hasQuantity {
		quantity = n.parse(field+"quantity", l.Quantity)
		if quantity.IsNegative() {
			quantity, price, negated = quantity.Neg(), price.Neg(), true
		}
	}
	nature, _ := natura(l.VAT.Category, d.f.foreign)

	w.Open("DettaglioLinee")
	w.Leaf("NumeroLinea", strconv.Itoa(number))
	if code := latin(l.Item.SellerID, 35); code != "" {
		w.Open("CodiceArticolo")
		w.Leaf("CodiceTipo", articleCodeType)
		w.Leaf("CodiceValore", code) // BT-155
		w.Close()
	}
	w.Leaf("Descrizione", description(l.Item)) // BT-153, BT-154
	if hasQuantity {
		w.Leaf("Quantita", fixed(quantity)) // BT-129
	}
	if unit := strings.TrimSpace(l.UnitCode); isBasic(unit, 10) {
		w.Leaf("UnitaMisura", unit) // BT-130
	}
	if p := l.Period; p != nil { // BG-26
		if isDate(p.Start) {
			w.Leaf("DataInizioPeriodo", p.Start)
		}
		if isDate(p.End) {
			w.Leaf("DataFinePeriodo", p.End)
		}
	}
	w.Leaf("PrezzoUnitario", fixed(price))
	d.adjustments(field, l, quantity, hasQuantity && !quantity.IsZero(), negated)
	w.Leaf("PrezzoTotale", n.amount(field+"net_amount", l.NetAmount))
	w.Leaf("AliquotaIVA", taxRate(l.VAT.Category, l.VAT.Rate)) // BT-152
	w.Leaf("Natura", nature)                                   // BT-151
	w.Close()
}

// description is the Descrizione of a line: the item name, and its
// description when it has one, in at most 1000 characters.
func description(item sdk.Item) string {
	text := item.Name
	if item.Description != "" && item.Description != item.Name {
		text += " - " + item.Description
	}
	return latin(text, 1000)
}

// adjustments writes the line's allowances (BG-27) and charges (BG-28) as
// ScontoMaggiorazione, SC and MG, in the form the SDI recomputes
// PrezzoTotale from (PrezzoUnitario less the discounts, times Quantita,
// within a cent). A single allowance or charge whose percentage RateType
// holds is written as that Percentuale; any other as Importo per unit: its
// amount divided by the quantity, to eight decimals.
func (d *doc) adjustments(field string, l sdk.Line, quantity decimal.Decimal, perUnit, negated bool) {
	type adjustment struct {
		kind string
		ac   sdk.AllowanceCharge
	}
	var all []adjustment
	for _, a := range l.Allowances {
		all = append(all, adjustment{kindAllowance, a})
	}
	for _, c := range l.Charges {
		all = append(all, adjustment{kindLineCharge, c})
	}
	for _, a := range all {
		d.w.Open("ScontoMaggiorazione")
		d.w.Leaf("Tipo", a.kind)
		if pct, ok := rate(a.ac.Percentage); ok && len(all) == 1 && !negated {
			d.w.Leaf("Percentuale", pct) // BT-138, BT-143
		} else {
			amount := d.n.parse(field+"allowances.amount", a.ac.Amount) // BT-136, BT-141
			if perUnit {
				amount = amount.DivRound(quantity, 8)
			}
			d.w.Leaf("Importo", fixed(amount))
		}
		d.w.Close()
	}
}

// documentLevel writes a document level allowance (BG-20) or charge
// (BG-21) as a line of its own, a discount (SC) of negative price or an
// ancillary charge (AC), so that the lines of each rate add up to its
// taxable amount in DatiRiepilogo, as the SDI checks.
func (d *doc) documentLevel(number int, ac sdk.AllowanceCharge, charge bool) {
	kind, text := kindAllowance, "Sconto"
	amount := d.n.parse("allowances.amount", ac.Amount) // BT-92
	if charge {
		kind, text = kindCharge, "Spesa accessoria"
	} else {
		amount = amount.Neg()
	}
	if reason := latin(ac.Reason, 1000); reason != "" { // BT-97, BT-104
		text = reason
	}
	nature, _ := natura(ac.VATCategory, d.f.foreign)
	w := d.w
	w.Open("DettaglioLinee")
	w.Leaf("NumeroLinea", strconv.Itoa(number))
	w.Leaf("TipoCessionePrestazione", kind)
	w.Leaf("Descrizione", text)
	w.Leaf("PrezzoUnitario", fixed(amount))
	w.Leaf("PrezzoTotale", fixed(amount))
	w.Leaf("AliquotaIVA", taxRate(ac.VATCategory, ac.VATRate)) // BT-96, BT-103
	w.Leaf("Natura", nature)                                   // BT-95, BT-102
	w.Close()
}

// summary writes a VAT breakdown entry (BG-23) as DatiRiepilogo: a taxed
// one with its rate and immediate VAT (EsigibilitaIVA I), any other at
// rate 0 with its Natura and legal reference.
func (d *doc) summary(b sdk.VATBreakdown, nature string) {
	w := d.w
	w.Open("DatiRiepilogo")
	w.Leaf("AliquotaIVA", taxRate(b.Category, b.Rate))                          // BT-119
	w.Leaf("Natura", nature)                                                    // BT-118
	w.Leaf("ImponibileImporto", d.n.amount("vat_breakdown.taxable", b.Taxable)) // BT-116
	w.Leaf("Imposta", d.n.amount("vat_breakdown.vat", b.VAT))                   // BT-117
	if nature == "" {
		w.Leaf("EsigibilitaIVA", "I")
	}
	w.Leaf("RiferimentoNormativo", legalReference(nature, b.ExemptionReason, d.f.regime)) // BT-120
	w.Close()
}

// taxRate is the AliquotaIVA of a category and rate: the rate of a taxed
// supply, 0.00 for every other category.
func taxRate(category, value string) string {
	if category != standardRate {
		return "0.00"
	}
	r, _ := rate(value)
	return r
}
