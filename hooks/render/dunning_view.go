package render

import (
	"strconv"
	"strings"

	"github.com/kontor-app/kontor/locale"
)

// dunningView is a dunning letter with every label translated and every
// value formatted. It fills the parts of a view the letter shares with an
// invoice (header, totals, payment, notes, footers), and adds its
// introduction and the table of overdue invoices.
type dunningView struct {
	*view
	Intro   string
	Columns []column
	Rows    [][]string
}

// newDunningView translates and formats a dunning letter.
func newDunningView(d DunningLetter) *dunningView {
	lang := printLanguage(d.Language)
	t := func(key string, pairs ...string) string { return text(lang, key, pairs...) }
	v := &view{Lang: lang, Title: t("dunning_title")}
	v.Heading = v.Title
	v.Meta = []pair{{t("dunning_date"), locale.Date(d.Date, lang)}}
	v.Seller = newPartyView(d.Seller, lang, true)
	v.Buyer = newPartyView(d.Buyer, lang, false)
	v.BillTo = t("dunning_to")
	v.Footer = d.Seller.Name
	if d.Seller.VATID != "" {
		v.Footer += " · " + t("vat_id") + " " + d.Seller.VATID
	}
	dv := &dunningView{view: v, Intro: t("dunning_intro")}
	if len(d.Items) == 0 {
		dv.Intro = t("dunning_nothing_overdue")
		return dv
	}

	dv.Columns = []column{
		{title: t("invoice")},
		{title: t("issue_date")},
		{title: t("due_date")},
		{title: t("dunning_col_days"), right: true},
		{title: t("amount_due"), right: true},
		{title: t("dunning_col_interest"), right: true},
	}
	var numbers []string
	interest := false
	for _, it := range d.Items {
		claimed := "–"
		if it.Interest != "" {
			claimed = locale.Money(it.Interest, it.Currency, lang)
			interest = true
		}
		dv.Rows = append(dv.Rows, []string{it.Number, locale.Date(it.IssueDate, lang), locale.Date(it.DueDate, lang),
			strconv.Itoa(it.DaysLate), locale.Money(it.AmountDue, it.Currency, lang), claimed})
		numbers = append(numbers, it.Number)
	}

	for i, total := range d.Totals {
		cur := total.Currency
		if i > 0 {
			v.Totals = append(v.Totals, totalView{}) // a gap between currencies
		}
		v.Totals = append(v.Totals, totalView{Label: t("amount_due"), Value: locale.Money(total.AmountDue, cur, lang)})
		if total.Interest != "" {
			v.Totals = append(v.Totals, totalView{Label: t("dunning_total_interest"), Value: locale.Money(total.Interest, cur, lang)})
		}
		if total.Compensation != "" {
			v.Totals = append(v.Totals, totalView{Label: t("dunning_total_compensation"), Value: locale.Money(total.Compensation, cur, lang)})
		}
		v.Totals = append(v.Totals, totalView{Label: t("dunning_total"), Value: locale.Money(total.Total, cur, lang), Strong: true})
	}

	v.NotesHeading = t("dunning_legal")
	if interest && len(d.Rates) > 0 {
		var rates []string
		for _, r := range d.Rates {
			rates = append(rates, t("dunning_rate", "period", halfYearLabel(r.Period, lang),
				"rate", locale.Rate(r.Rate, lang), "total", locale.Rate(r.Total, lang)))
		}
		v.Notes = append(v.Notes, t("dunning_interest_note", "date", locale.Date(d.Date, lang), "rates", strings.Join(rates, "; ")))
	}
	if d.CompensationCount > 0 {
		v.Notes = append(v.Notes, t("dunning_compensation_note", "count", strconv.Itoa(d.CompensationCount),
			"each", locale.Money(d.CompensationEach, "EUR", lang), "amount", locale.Money(d.CompensationTotal, "EUR", lang)))
	}
	if len(d.MissingRates) > 0 {
		var periods []string
		for _, p := range d.MissingRates {
			periods = append(periods, halfYearLabel(p, lang))
		}
		v.Notes = append(v.Notes, t("dunning_no_rate", "periods", joinWords(periods, t("dunning_and"))))
	}

	// a blank line between the notes' paragraphs
	for i := len(v.Notes) - 1; i > 0; i-- {
		v.Notes = append(v.Notes[:i], append([]string{""}, v.Notes[i:]...)...)
	}
	v.Payment = dunningPayment(d, numbers, lang)
	return dv
}

// dunningPayment is the payment instruction of a dunning letter, with an
// EPC QR code when everything is due in euros; nil without an IBAN.
func dunningPayment(d DunningLetter, numbers []string, lang string) *paymentView {
	iban := strings.ReplaceAll(d.Seller.IBAN, " ", "")
	if iban == "" {
		return nil
	}
	t := func(key string, pairs ...string) string { return text(lang, key, pairs...) }
	reference := strings.Join(numbers, ", ")
	p := &paymentView{Heading: t("payment"), Text: t("dunning_payment_text"), QRLabel: t("scan_to_pay")}
	p.Rows = append(p.Rows, pair{t("beneficiary"), d.Seller.Name}, pair{t("iban"), locale.IBAN(iban)})
	if d.Seller.BIC != "" {
		p.Rows = append(p.Rows, pair{t("bic"), d.Seller.BIC})
	}
	p.Rows = append(p.Rows, pair{t("reference"), reference})
	if len(d.Totals) != 1 || d.Totals[0].Currency != "EUR" || !isPositive(d.Totals[0].Total) {
		return p
	}
	payload, err := EPCPayload(EPC{BIC: d.Seller.BIC, Name: truncateRunes(d.Seller.Name, epcMaxName), IBAN: iban,
		Amount: d.Totals[0].Total, Remittance: truncateRunes(reference, epcMaxRemittance)})
	if err != nil {
		return p // a payment instruction without a code is still correct
	}
	if code, err := qrCode(payload); err == nil {
		p.QR, p.Payload = code, payload
	}
	return p
}

// halfYearLabel names a half-year ("2026-H1") in the language: "first
// half of 2026".
func halfYearLabel(period, lang string) string {
	year, half, ok := strings.Cut(period, "-H")
	if !ok || (half != "1" && half != "2") {
		return period
	}
	return text(lang, "dunning_h"+half, "year", year)
}

// joinWords lists words as a sentence does: "a", "a and b", "a, b and c".
func joinWords(words []string, and string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + and + " " + words[len(words)-1]
}
