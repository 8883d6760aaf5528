package render

import (
	"strconv"
	"strings"

	"rsc.io/qr"

	"github.com/kontor-app/kontor/locale"
	"github.com/kontor-app/kontor/money"
)

// setHeading writes the heading of the document: its title and number,
// or its title marked as a draft.
func (v *view) setHeading() {
	switch {
	case v.Number != "":
		v.Heading = v.Title + " " + v.Number
	case v.Draft:
		v.Heading = v.Title + " – " + v.DraftMark
	default:
		v.Heading = v.Title
	}
}

// addMeta adds a labelled value to the document's references, unless the
// value is empty.
func (v *view) addMeta(label, value string) {
	if value != "" {
		v.Meta = append(v.Meta, pair{label, value})
	}
}

// view is a document with every label translated and every value
// formatted: what both the native renderer and the HTML template draw, so
// they print the same words and figures.
type view struct {
	Lang        string
	Title       string // "Invoice", "Credit note"
	Heading     string // title and number, or title and draft mark
	Number      string
	Draft       bool
	DraftMark   string // "DRAFT"
	DraftNotice string // "DRAFT – not a valid invoice"

	Meta   []pair // number, dates, references
	Seller partyView
	Buyer  partyView
	BillTo string

	Labels      labels
	Lines       []lineView
	HasDiscount bool
	AmountsIn   string

	Breakdown []breakdownView
	Totals    []totalView

	Payment    *paymentView
	PaidInFull string

	NotesHeading string
	Notes        []string // paragraphs

	Footer string // seller name and VAT id
}

// pair is a label and its value.
type pair struct{ Label, Value string }

// partyView is a party's name and the lines under it.
type partyView struct {
	Name  string
	Lines []string
}

// labels are the column headings of the tables.
type labels struct {
	Description, Quantity, Unit, UnitPrice, Discount, VAT, Net string
	Breakdown, Category, Rate, Taxable, VATAmount, Reason      string
}

type lineView struct {
	Description, Quantity, Unit, UnitPrice, Discount, VAT, Net string
	// Note is a short mark printed under the description, e.g. that the
	// line of a proposal is optional; empty on invoices.
	Note string
	// Excluded is a line shown but not counted (an optional line of a
	// proposal that was not chosen): printed greyed, its amount struck out.
	Excluded bool
}

type breakdownView struct {
	Category, Rate, Taxable, VAT, Reason string
}

type totalView struct {
	Label, Value string
	Strong       bool
}

// paymentView is the payment instruction of an invoice, with its EPC QR
// code when it can have one.
type paymentView struct {
	Heading string
	Text    string
	Rows    []pair
	QR      *qr.Code
	QRLabel string
	Payload string
}

// page returns "Page n of total" in the language.
func (v *view) page(n, total int) string {
	return text(v.Lang, "page", "page", strconv.Itoa(n), "pages", strconv.Itoa(total))
}

// newView translates and formats the document.
func newView(d Document) (*view, error) {
	lang := printLanguage(d.Language)
	t := func(key string, pairs ...string) string { return text(lang, key, pairs...) }
	v := &view{Lang: lang, Number: d.Number, Draft: d.Draft}

	v.Title = t("invoice")
	if d.Type == TypeCreditNote {
		v.Title = t("credit_note")
	}
	v.DraftMark = t("draft")
	v.DraftNotice = t("draft_notice_invoice")
	if d.Type == TypeCreditNote {
		v.DraftNotice = t("draft_notice_credit_note")
	}
	v.setHeading()
	add := func(key, value string) { v.addMeta(t(key), value) }
	add("number", d.Number)
	add("issue_date", locale.Date(d.IssueDate, lang))
	if d.Type != TypeCreditNote {
		add("due_date", locale.Date(d.DueDate, lang))
	}
	add("credited_invoice", d.CreditedNumber)
	add("buyer_reference", d.BuyerReference)
	add("order_reference", d.OrderReference)

	v.Seller = newPartyView(d.Seller, lang, true)
	v.Buyer = newPartyView(d.Buyer, lang, false)
	v.BillTo = t("bill_to")
	v.Footer = footerOf(d.Seller, lang)

	v.Labels = tableLabels(lang)
	v.AmountsIn = t("amounts_in", "currency", d.Currency)
	for _, l := range d.Lines {
		v.addLine(newLineView(l, lang))
	}
	v.Breakdown = newBreakdownViews(d.Breakdown, lang)

	cur := d.Currency
	tt := d.Totals
	v.Totals = documentTotals(tt, cur, lang)
	if tt.VATAccounting != "" && tt.AccountingCurrency != "" {
		v.Totals = append(v.Totals, totalView{Label: t("vat_accounting", "currency", tt.AccountingCurrency),
			Value: locale.Money(tt.VATAccounting, tt.AccountingCurrency, lang)})
	}
	if d.Type != TypeCreditNote {
		if !isZero(tt.Credited) {
			v.Totals = append(v.Totals, totalView{Label: t("credited"), Value: locale.Money("-"+strings.TrimPrefix(tt.Credited, "-"), cur, lang)})
		}
		if !isZero(tt.Paid) {
			v.Totals = append(v.Totals, totalView{Label: t("paid"), Value: locale.Money("-"+strings.TrimPrefix(tt.Paid, "-"), cur, lang)})
		}
		due := tt.Due
		if due == "" {
			due = tt.Gross
		}
		v.Totals = append(v.Totals, totalView{Label: t("amount_due"), Value: locale.Money(due, cur, lang), Strong: true})
		payment, err := newPaymentView(d, due, lang)
		if err != nil {
			return nil, err
		}
		v.Payment = payment
		if payment == nil && isZero(due) && !isZero(tt.Paid) {
			v.PaidInFull = t("paid_in_full")
		}
	}

	v.NotesHeading = t("notes")
	for _, p := range strings.Split(strings.ReplaceAll(strings.TrimSpace(d.Notes), "\r\n", "\n"), "\n") {
		v.Notes = append(v.Notes, strings.TrimRight(p, " \t"))
	}
	if len(v.Notes) == 1 && v.Notes[0] == "" {
		v.Notes = nil
	}
	return v, nil
}

// tableLabels are the column headings of the lines table and the VAT
// breakdown in the language.
func tableLabels(lang string) labels {
	t := func(key string) string { return text(lang, key) }
	return labels{
		Description: t("col_description"), Quantity: t("col_quantity"), Unit: t("col_unit"),
		UnitPrice: t("col_unit_price"), Discount: t("col_discount"), VAT: t("col_vat"), Net: t("col_net"),
		Breakdown: t("vat_breakdown"), Category: t("col_category"), Rate: t("col_rate"),
		Taxable: t("col_taxable"), VATAmount: t("col_vat_amount"), Reason: t("col_reason"),
	}
}

// newLineView formats one line for the lines table.
func newLineView(l Line, lang string) lineView {
	lv := lineView{
		Description: l.Description,
		Quantity:    locale.Number(l.Quantity, lang),
		Unit:        unitLabel(l.UnitCode, lang),
		UnitPrice:   locale.Amount(l.UnitPrice, lang),
		Net:         locale.Amount(l.NetAmount, lang),
		VAT:         lineVAT(l, lang),
	}
	if p := strings.TrimSpace(l.DiscountPercent); p != "" && !isZero(p) {
		lv.Discount = locale.Rate(p, lang)
	}
	return lv
}

// addLine appends a row to the lines table; the discount column is shown
// as soon as one line has a discount.
func (v *view) addLine(lv lineView) {
	if lv.Discount != "" {
		v.HasDiscount = true
	}
	v.Lines = append(v.Lines, lv)
}

// newBreakdownViews formats the VAT breakdown.
func newBreakdownViews(bs []Breakdown, lang string) []breakdownView {
	var out []breakdownView
	for _, b := range bs {
		out = append(out, breakdownView{
			Category: categoryLabel(b.Category, lang),
			Rate:     locale.Rate(orZero(b.Rate), lang),
			Taxable:  locale.Amount(b.Taxable, lang),
			VAT:      locale.Amount(b.VAT, lang),
			Reason:   b.ExemptionReason,
		})
	}
	return out
}

// documentTotals are the net, VAT and gross totals every document with
// lines shows.
func documentTotals(tt Totals, cur, lang string) []totalView {
	return []totalView{
		{Label: text(lang, "total_net"), Value: locale.Money(tt.Net, cur, lang)},
		{Label: text(lang, "total_vat"), Value: locale.Money(tt.VAT, cur, lang)},
		{Label: text(lang, "total_gross"), Value: locale.Money(tt.Gross, cur, lang), Strong: true},
	}
}

// footerOf is the footer of every page: the seller's name and VAT id.
func footerOf(seller Party, lang string) string {
	footer := seller.Name
	if seller.VATID != "" {
		footer += " · " + text(lang, "vat_id") + " " + seller.VATID
	}
	return footer
}

// newPaymentView returns the payment instruction of an invoice, or nil when
// nothing is due or the seller has no IBAN. The EPC QR code is added for a
// positive amount in euros, except on drafts, which must not be paid.
func newPaymentView(d Document, due, lang string) (*paymentView, error) {
	iban := strings.ReplaceAll(d.Seller.IBAN, " ", "")
	if (iban == "" && d.PayURL == "") || !isPositive(due) {
		return nil, nil
	}
	t := func(key string, pairs ...string) string { return text(lang, key, pairs...) }
	p := &paymentView{Heading: t("payment"), QRLabel: t("scan_to_pay")}
	if iban == "" {
		p.Text = t("pay_online_only", "amount", locale.Money(due, d.Currency, lang), "url", d.PayURL)
		return p, nil
	}
	amount := locale.Money(due, d.Currency, lang)
	if d.DueDate != "" {
		p.Text = t("payment_text", "amount", amount, "date", locale.Date(d.DueDate, lang))
	} else {
		p.Text = t("payment_text_nodate", "amount", amount)
	}
	if d.PayURL != "" {
		p.Text += " " + t("pay_online", "url", d.PayURL)
	}
	p.Rows = append(p.Rows, pair{t("beneficiary"), d.Seller.Name}, pair{t("iban"), locale.IBAN(iban)})
	if d.Seller.BIC != "" {
		p.Rows = append(p.Rows, pair{t("bic"), d.Seller.BIC})
	}
	if d.Number != "" {
		p.Rows = append(p.Rows, pair{t("reference"), d.Number})
	}
	if d.Draft || d.Currency != "EUR" {
		return p, nil
	}
	payload, err := EPCPayload(EPC{BIC: d.Seller.BIC, Name: truncateRunes(d.Seller.Name, epcMaxName), IBAN: iban,
		Amount: due, Remittance: truncateRunes(d.Number, epcMaxRemittance)})
	if err != nil {
		return p, nil // a payment instruction without a code is still correct
	}
	code, err := qrCode(payload)
	if err != nil {
		return nil, err
	}
	p.QR, p.Payload = code, payload
	return p, nil
}

// newPartyView lays out a party's address block.
func newPartyView(p Party, lang string, seller bool) partyView {
	pv := partyView{Name: p.Name}
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			pv.Lines = append(pv.Lines, s)
		}
	}
	for _, l := range strings.Split(p.AddressLine, "\n") {
		add(l)
	}
	add(strings.TrimSpace(p.PostalCode + " " + p.City))
	if p.Country != "" {
		add(locale.CountryName(p.Country, lang))
	}
	if p.VATID != "" {
		add(text(lang, "vat_id") + " " + p.VATID)
	}
	if p.TaxID != "" {
		add(text(lang, "tax_id") + " " + p.TaxID)
	}
	if seller {
		add(p.Email)
		add(p.Phone)
	}
	return pv
}

// lineVAT is the VAT column of a line: the rate for standard and reduced
// rates, the category code otherwise.
func lineVAT(l Line, lang string) string {
	if l.VATCategory == "S" || l.VATCategory == "L" || l.VATCategory == "M" || l.VATCategory == "" {
		return locale.Rate(orZero(l.VATRate), lang)
	}
	return l.VATCategory
}

// categoryLabel names a VAT category with its code.
func categoryLabel(code, lang string) string {
	name := text(lang, "category_"+code)
	if name == "category_"+code {
		return code
	}
	return name + " (" + code + ")"
}

func orZero(s string) string {
	if strings.TrimSpace(s) == "" {
		return "0"
	}
	return s
}

func isZero(s string) bool {
	d, err := money.Parse(strings.TrimSpace(orZero(s)))
	return err != nil || d.IsZero()
}

func isPositive(s string) bool {
	d, err := money.Parse(strings.TrimSpace(orZero(s)))
	return err == nil && d.IsPositive()
}

func itoa(i int) string { return strconv.Itoa(i) }
