package proposals

import (
	"fmt"
	"html/template"
	"io"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/publicpage"
)

// The public page of a proposal, /p/{token}: templates/proposal/page.html
// with its texts in templates/proposal/messages.json, and its script and
// style, page.js and page.css, served by assetsRoute beside the shared
// base.css. The page carries no inline script or style, so a strict
// Content-Security-Policy (script-src 'self'; style-src 'self') applies to
// it. What it shares with the invoice page (the parts of its template and
// its style, texts, assets, number formatting) is in hooks/publicpage and
// templates/public.

// pageView is what the public page shows.
type pageView struct {
	State                             string // "open" (can be accepted or declined), "signed", "declined", "expired", "superseded", "gone" (unknown link)
	Token                             string // the link's secret, for the form actions /p/{Token}/accept etc.
	Lang                              string // en, es, de, fr, it
	Number, Title, Intro, Terms       string
	Date                              string // YYYY-MM-DD, when sent
	ValidUntil                        string // YYYY-MM-DD
	Currency                          string
	Seller, Buyer                     pageParty
	Lines                             []pageLine
	Totals                            pageTotals
	Breakdown                         []pageBreakdown
	SignerName, SignerEmail, SignedAt string // SignedAt RFC 3339
	DeclineReason, DeclinedAt         string
	DocumentHash                      string   // SHA-256 of the version shown; printed small at the bottom ("Document fingerprint")
	HasPDF                            bool     // offer /p/{Token}/pdf
	Error                             string   // a refused submission's message (already in the page language), shown above the form
	Form                              pageForm // what the buyer typed, to refill after an error
}

// pageParty is the seller or the buyer as the page shows them.
type pageParty = publicpage.Party

// pageLine is a line of the proposal. Amounts, quantities and rates are
// decimal strings; the page formats them in its language.
type pageLine struct {
	Index                                                                                        int
	Description, Quantity, UnitCode, UnitPrice, DiscountPercent, VATCategory, VATRate, NetAmount string
	Optional, Included                                                                           bool
}

// pageTotals are the totals of the included lines, as decimal strings.
type pageTotals struct{ Net, VAT, Gross string }

// pageBreakdown is a row of the VAT breakdown, as decimal strings.
type pageBreakdown = publicpage.Breakdown

// pageForm is what the buyer typed in a refused submission.
type pageForm struct{ Name, Email, Reason string }

// pageLanguages are the languages of the page; the first is the fallback.
var pageLanguages = publicpage.Languages

// pageCatalogue holds the page's texts by language and key; placeholders
// are written {name}.
var pageCatalogue = publicpage.MustCatalogue("proposal/messages.json")

// pageText returns the text of key in lang (fallback English), for messages
// the handlers show in v.Error, e.g. pageText(lang, "error_name").
func pageText(lang, key string) string {
	return pageCatalogue.Text(lang, key)
}

// pageAssets are the page's script and style, and the shared base.css,
// served under /p-assets/.
var pageAssets = publicpage.MustAssets("/p-assets/", "proposal", "page.js", "page.css")

// assetsRoute serves GET /p-assets/{file}: page.js, page.css and base.css,
// embedded, with a long cache and the right content type; anything else
// 404.
func assetsRoute(e *core.RequestEvent) error {
	return pageAssets.Serve(e)
}

// pageTemplate is page.html with the shared parts and functions of the
// public pages and those of pageFuncs.
var pageTemplate = publicpage.MustPage("proposal/page.html", pageCatalogue, pageAssets,
	pageFuncs(pageView{Lang: pageLanguages[0]}))

// renderPage writes the page for v.
func renderPage(w io.Writer, v pageView) error {
	v.Lang = pageCatalogue.Lang(v.Lang)
	if err := pageTemplate.Render(w, v.Lang, v, pageFuncs(v)); err != nil {
		return fmt.Errorf("proposals: page: %w", err)
	}
	return nil
}

// pageFuncs are the page's own template functions for v, beside the shared
// ones of publicpage.
func pageFuncs(v pageView) template.FuncMap {
	lang := v.Lang
	discounted := publicpage.Discounted(v.Lines, func(l pageLine) string { return l.DiscountPercent })
	return template.FuncMap{
		// open says the proposal can be accepted or declined: its forms
		// and optional lines' checkboxes are shown.
		"open": func() bool { return v.State == "open" },
		// discounted says a line has a discount: the lines show a
		// discount column.
		"discounted": func() bool { return discounted },
		"hasOptional": func(lines []pageLine) bool {
			for _, l := range lines {
				if l.Optional {
					return true
				}
			}
			return false
		},
		// declineOpen says the refused submission was the decline: its
		// form is then shown open, with the message in it.
		"declineOpen": func() bool {
			return v.Form.Reason != "" || (v.Error != "" && v.Error == pageText(lang, "error_reason"))
		},
	}
}
