package payments

import (
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/publicpage"
)

// The public page of an invoice or credit note, /i/{token}:
// templates/invoice/page.html with its texts in
// templates/invoice/messages.json, and its style, page.css, served by
// assetsRoute beside the shared base.css. The page carries no script and
// no inline style, so a strict Content-Security-Policy (style-src 'self',
// no script at all) applies to it; the QR code is an inline SVG drawn with
// attributes only. What it shares with the proposal page (the parts of its
// template and its style, texts, assets, number formatting) is in
// hooks/publicpage and templates/public.

// pageView is what the public invoice page shows.
type pageView struct {
	State                                string // "open" (something is due), "paid", "cancelled", "gone" (unknown link)
	Token                                string
	Lang                                 string
	Document                             string // "invoice" or "credit_note"
	Number, IssueDate, DueDate, Currency string // dates YYYY-MM-DD
	Seller, Buyer                        pageParty
	Lines                                []pageLine
	Totals                               pageTotals // Net, VAT, Gross, Paid, Due (decimal strings)
	Breakdown                            []pageBreakdown
	Overdue                              bool
	// payment options (State "open" only)
	BankTransfer *pageBank      // nil when the seller has no IBAN
	Providers    []pageProvider // enabled providers: a button each, POST /i/{Token}/pay/{Name}
	Returned     bool           // the buyer came back from a provider (?paid=1): "thank you, the payment is being confirmed"
	Error        string         // e.g. the provider could not be reached (already in Lang)
}

// pageParty is the seller or the buyer as the page shows them.
type pageParty = publicpage.Party

// pageLine is a line of the document. Amounts, quantities and rates are
// decimal strings; the page formats them in its language.
type pageLine struct {
	Description, Quantity, UnitCode, UnitPrice, DiscountPercent, VATCategory, VATRate, NetAmount string
}

// pageTotals are the document's totals, as decimal strings.
type pageTotals struct{ Net, VAT, Gross, Paid, Due string }

// pageBreakdown is a row of the VAT breakdown, as decimal strings.
type pageBreakdown = publicpage.Breakdown

// pageBank is how to pay by bank transfer.
type pageBank struct {
	Beneficiary, IBAN, BIC, Reference, Amount string
	QRSVG                                     template.HTML // EPC QR code (SEPA credit transfer, "GiroCode"), empty when not EUR
}

// pageProvider is a payment provider the buyer may pay through.
type pageProvider struct{ Name, Title string } // e.g. "stripe", "Card (Stripe)"

// pageCatalogue holds the page's texts by language and key; placeholders
// are written {name}.
var pageCatalogue = publicpage.MustCatalogue("invoice/messages.json")

// pageText returns the text of key in lang (fallback English), for the
// messages the handlers show in v.Error, e.g. pageText(lang,
// "error_provider").
func pageText(lang, key string) string {
	return pageCatalogue.Text(lang, key)
}

// pageAssets are the page's style and the shared base.css, served under
// /i-assets/.
var pageAssets = publicpage.MustAssets("/i-assets/", "invoice", "page.css")

// assetsRoute serves GET /i-assets/{file}: page.css and base.css,
// embedded, with a long cache and their content type; anything else 404.
func assetsRoute(e *core.RequestEvent) error {
	return pageAssets.Serve(e)
}

// pageTemplate is page.html with the shared parts and functions of the
// public pages and those of pageFuncs.
var pageTemplate = publicpage.MustPage("invoice/page.html", pageCatalogue, pageAssets,
	pageFuncs(pageView{Lang: publicpage.Languages[0]}))

// renderPage writes the page for v.
func renderPage(w io.Writer, v pageView) error {
	v.Lang = pageCatalogue.Lang(v.Lang)
	if err := pageTemplate.Render(w, v.Lang, v, pageFuncs(v)); err != nil {
		return fmt.Errorf("payments: page: %w", err)
	}
	return nil
}

// pageFuncs are the page's own template functions for v, beside the shared
// ones of publicpage.
func pageFuncs(v pageView) template.FuncMap {
	credit := v.Document == "credit_note"
	payable := v.State == "open" && !credit
	discounted := publicpage.Discounted(v.Lines, func(l pageLine) string { return l.DiscountPercent })
	return template.FuncMap{
		// credit says the document is a credit note: refunded by the
		// seller, never paid on the page.
		"credit": func() bool { return credit },
		// payable says the buyer can pay here: an open invoice.
		"payable": func() bool { return payable },
		// overdue flags the due date of an invoice still to pay.
		"overdue": func() bool { return payable && v.Overdue },
		// discounted says a line has a discount: the lines show a
		// discount column.
		"discounted": func() bool { return discounted },
		// minus is an amount already settled, shown taken off.
		"minus": func(s string) string {
			return "-" + strings.TrimPrefix(strings.TrimSpace(s), "-")
		},
	}
}
