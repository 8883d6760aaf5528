package render

import (
	"fmt"
	"time"

	"github.com/kontor-app/kontor/hooks/render/pdf"
)

// DunningLetter is a letter to a client listing its overdue invoices and
// the late-payment interest and compensation claimed on them, as plain
// values: amounts and rates are decimal strings, dates "YYYY-MM-DD". The
// figures come computed; the renderer only prints them.
type DunningLetter struct {
	Language string // en, es, de, fr or it; other values print in English
	Date     string // the letter's date, the day interest is counted to

	Seller Party
	Buyer  Party
	Logo   []byte // the seller's logo, PNG or JPEG; nil for none

	Items  []DunningItem
	Totals []DunningTotal // one per currency

	// CompensationCount invoices carry the fixed compensation of
	// CompensationEach euros, CompensationTotal euros in all.
	CompensationCount int
	CompensationEach  string
	CompensationTotal string

	// Rates are the reference rates the interest was counted with.
	Rates []DunningRate
	// MissingRates are half-years ("2026-H2") with no reference rate: the
	// invoices whose delay falls in them state no interest.
	MissingRates []string

	// Created is the creation date written into the file; the zero time
	// means the letter's date.
	Created time.Time
}

// DunningItem is one overdue invoice of a dunning letter.
type DunningItem struct {
	Number    string
	IssueDate string
	DueDate   string
	Currency  string
	AmountDue string
	DaysLate  int
	// Interest is the interest claimed; empty when none is claimed.
	Interest string
}

// DunningTotal sums the invoices of one currency; the euro total also
// carries the compensation. Interest and Compensation are empty when none
// is claimed.
type DunningTotal struct {
	Currency     string
	AmountDue    string
	Interest     string
	Compensation string
	Total        string
}

// DunningRate is the reference rate of a half-year ("2026-H1"), and the
// rate of interest it gives (reference rate + 8 points), in percent.
type DunningRate struct {
	Period string
	Rate   string
	Total  string
}

// Dunning renders a dunning letter as a PDF/A-3b file, natively. The same
// letter with the same Created time always gives the same bytes.
func Dunning(letter DunningLetter) ([]byte, error) {
	v := newDunningView(letter)
	regular, bold, err := loadFonts()
	if err != nil {
		return nil, err
	}
	var logo *pdf.Image
	if len(letter.Logo) > 0 {
		logo, _ = decodeLogo(letter.Logo) // a logo that cannot be read is left out
	}
	created := letter.Created
	if created.IsZero() {
		created, _ = time.Parse("2006-01-02", letter.Date)
	}
	d := pdf.New(pdf.Info{
		Title:    v.Heading,
		Author:   letter.Seller.Name,
		Creator:  Producer,
		Producer: Producer,
		Language: v.Lang,
		Created:  created,
	})
	l := &layout{doc: d, v: v.view, regular: regular, bold: bold}
	l.newPage()
	l.header(logo)
	l.paragraph(v.Intro)
	if len(v.Rows) > 0 {
		l.dunningTable(v)
		l.totals()
	}
	l.payment()
	l.notes()
	l.footers()
	out, err := d.Bytes()
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", v.Heading, err)
	}
	return out, nil
}

// DunningFileName is the name a dunning letter's PDF is offered under.
func DunningFileName(letter DunningLetter) string {
	return safeFileName(text(letter.Language, "dunning_title")+"-"+letter.Buyer.Name+"-"+letter.Date) + ".pdf"
}
