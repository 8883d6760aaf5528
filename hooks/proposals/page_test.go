package proposals

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/hooks/publicpage/publicpagetest"
	"github.com/kontor-app/kontor/locale"
)

// What every public page holds (head, style, texts, parties, lines,
// totals, footer, assets route) is checked by hooks/publicpage and its
// publicpagetest; these tests check what is the proposal page's own.

var pageStates = []string{"open", "signed", "declined", "expired", "superseded", "gone"}

const testPageToken = publicpagetest.Token

// samplePageView is a proposal with a discounted line, an optional line ticked
// in (index 1) and one left out (index 2), in the state and language given.
func samplePageView(state, lang string) pageView {
	v := pageView{State: state, Token: testPageToken, Lang: lang}
	if state == "gone" {
		return v
	}
	v.Number, v.Title = "QUO-2026-0007", "Website redesign"
	v.Intro = "Thank you for your enquiry.\n\nHere is what we propose."
	v.Terms = "Payment within 30 days.\nPrices exclude travel.\n\n50% on signature."
	v.Date, v.ValidUntil, v.Currency = "2026-03-02", "2026-04-01", "EUR"
	v.Seller, v.Buyer = publicpagetest.Seller, publicpagetest.Buyer
	v.Lines = []pageLine{
		{Index: 0, Description: "Design\nthree rounds", Quantity: "12.5", UnitCode: "HUR", UnitPrice: "1200.00",
			DiscountPercent: "10", VATCategory: "S", VATRate: "19", NetAmount: "13500.00", Included: true},
		{Index: 1, Description: "Hosting, first year", Quantity: "1", UnitCode: "ANN", UnitPrice: "240.00",
			VATCategory: "S", VATRate: "19", NetAmount: "240.00", Optional: true, Included: true},
		{Index: 2, Description: "Training", Quantity: "1", UnitCode: "LS", UnitPrice: "800.00",
			VATCategory: "AE", VATRate: "0", NetAmount: "800.00", Optional: true},
	}
	v.Totals = pageTotals{Net: "13740.00", VAT: "2610.60", Gross: "16350.60"}
	v.Breakdown = []pageBreakdown{{Category: "S", Rate: "19", Taxable: "13740.00", VAT: "2610.60"}}
	v.DocumentHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	v.HasPDF = true
	switch state {
	case "signed":
		v.SignerName, v.SignerEmail, v.SignedAt = "Marie Dupont", "marie@lumiere.example", "2026-03-05T14:07:31.123456789Z"
	case "declined":
		v.DeclineReason, v.DeclinedAt = "Too expensive for us this year.\n\nMaybe in 2027.", "2026-03-06T09:00:00Z"
	}
	return v
}

// sampleDocument is what the page shows of samplePageView's document.
func sampleDocument(v pageView) publicpagetest.Document {
	l := v.Lines[0]
	return publicpagetest.Document{Seller: v.Seller, Buyer: v.Buyer, Currency: v.Currency,
		Net: v.Totals.Net, VAT: v.Totals.VAT, Gross: v.Totals.Gross,
		Line: publicpagetest.Line{Description: l.Description, Quantity: l.Quantity, UnitCode: l.UnitCode, UnitPrice: l.UnitPrice,
			DiscountPercent: l.DiscountPercent, VATCategory: l.VATCategory, VATRate: l.VATRate, NetAmount: l.NetAmount}}
}

func renderPageString(t *testing.T, v pageView) string {
	t.Helper()
	var b bytes.Buffer
	if err := renderPage(&b, v); err != nil {
		t.Fatalf("renderPage(%s, %s): %v", v.State, v.Lang, err)
	}
	return b.String()
}

// checkPage renders v, to check.
func checkPage(t *testing.T, v pageView) publicpagetest.Page {
	t.Helper()
	return publicpagetest.Page{T: t, Out: renderPageString(t, v), Lang: pageCatalogue.Lang(v.Lang), Texts: pageCatalogue}
}

// pageEsc is s as html/template writes it in text.
var pageEsc = publicpagetest.Esc

var pageIncludedRE = regexp.MustCompile(`<input type="checkbox" name="included" value="(\d+)"[^>]*>`)

func TestRenderPage(t *testing.T) {
	for _, state := range pageStates {
		for _, lang := range pageLanguages {
			t.Run(state+"/"+lang, func(t *testing.T) {
				v := samplePageView(state, lang)
				c := checkPage(t, v)
				c.Common(pageAssets, "page.js")
				if state == "gone" {
					c.Gone(v.Token)
					return
				}
				c.Must("title", "<title>"+c.Tx("title", "number", v.Number, "seller", v.Seller.Name)+"</title>")
				c.Must("kind", `<span class="kind">`+c.Tx("proposal")+`</span> <span class="number">`+v.Number+`</span>`)
				c.Must("seller", `<p class="seller-name">`+pageEsc(v.Seller.Name)+`</p>`)
				c.Must("valid until", `<time datetime="2026-04-01">`+locale.Date(v.ValidUntil, lang)+`</time>`)
				c.Must("fingerprint", `<p class="fingerprint">`+c.Tx("fingerprint")+" <code>"+v.DocumentHash+"</code></p>")
				c.Before("fingerprint in the footer", `<footer class="page-foot">`, `class="fingerprint"`)

				document := state == "open" || state == "signed" || state == "declined"
				if document {
					c.Document(sampleDocument(v))
					c.Must("date", locale.Date(v.Date, lang))
					c.Must("intro paragraph 1", "<p>Thank you for your enquiry.</p>")
					c.Must("intro paragraph 2", "<p>Here is what we propose.</p>")
					c.Must("terms", "<p>Payment within 30 days.\nPrices exclude travel.</p>")
					c.Must("line category", `<tr class="line" data-category="S" data-category-label="`+pageEsc(pageCatalogue.Category("S", lang))+`">`)
					c.Must("breakdown", `<div class="breakdown-wrap" id="breakdown">`)
					c.Must("breakdown rows", `<tbody id="breakdown-rows">`)
					c.Must("totals", `<dl class="totals" id="totals" aria-live="polite">`)
				} else {
					c.MustNot("no document", "<table")
				}

				if state == "open" {
					c.Must("data token", `data-token="`+v.Token+`"`)
					c.Must("accept form", `<form id="accept-form" class="accept" method="post" action="/p/`+v.Token+`/accept"`)
					c.Must("decline form", `method="post" action="/p/`+v.Token+`/decline"`)
					c.Must("name", `name="name"`)
					c.Must("email", `name="email"`)
					c.Must("consent", `<input type="checkbox" id="consent" name="consent" value="yes" required>`)
					c.Must("consent label", `<label for="consent">`+c.Tx("consent")+`</label>`)
					c.Must("signature", `<input type="hidden" name="signature" id="signature-data" value="">`)
					c.Must("canvas", `<canvas id="signature-pad"`)
					c.Must("clear", c.Tx("signature_clear"))
					c.Must("accept button", `<button type="submit" class="button">`+c.Tx("accept_button")+`</button>`)
					c.Must("reason", `name="reason"`)
					c.Must("decline button", c.Tx("decline_button"))
					c.Must("totals notice", `id="totals-notice"`)
					c.Must("optional hint", `<p class="hint" id="optional-hint">`+c.Tx("optional_hint")+`</p>`)
					boxes := pageIncludedRE.FindAllStringSubmatch(c.Out, -1)
					if len(boxes) != 2 {
						t.Fatalf("optional checkboxes: %q", boxes)
					}
					for _, b := range boxes {
						if !strings.Contains(b[0], `form="accept-form"`) {
							t.Errorf("checkbox %s is not tied to the accept form", b[0])
						}
						if checked := strings.Contains(b[0], " checked"); checked != (b[1] == "1") {
							t.Errorf("checkbox %s: checked %v", b[0], checked)
						}
					}
					c.Must("excluded line", `<tr class="line line-optional line-excluded" data-category="AE"`)
					if lang == "en" {
						c.Must("consent sentence", "I agree that typing my name is my electronic signature on this document.")
						c.Must("accept", "Accept and sign")
						c.Must("decline", ">Decline<")
					}
				} else {
					for _, s := range []string{"<form", "<input", "<textarea", "/accept", "/decline", `id="optional-hint"`, `id="totals-notice"`} {
						c.MustNot("no form", s)
					}
				}

				switch state {
				case "signed":
					c.Must("signed", c.Tx("signed_heading"))
					c.Must("signer", c.Tx("signed_text", "name", v.SignerName, "email", v.SignerEmail,
						"date", pageCatalogue.DateTime(v.SignedAt, lang)))
					c.Must("signed at", "14:07")
					c.Must("pdf", `href="/p/`+v.Token+`/pdf"`)
					c.Must("pdf", c.Tx("download_signed"))
					c.Must("excluded line", c.Tx("optional_excluded"))
				case "declined":
					c.Must("declined", c.Tx("declined_heading"))
					c.Must("declined at", c.Tx("declined_text", "date", pageCatalogue.DateTime(v.DeclinedAt, lang)))
					c.Must("reason", "<p>Too expensive for us this year.</p><p>Maybe in 2027.</p>")
				case "expired":
					c.Must("expired", c.Tx("expired_heading"))
					c.Must("expired", c.Tx("expired_text", "date", locale.Date(v.ValidUntil, lang)))
					c.Must("contact", `<a href="mailto:hello@atelier-nord.example">hello@atelier-nord.example</a>`)
				case "superseded":
					c.Must("superseded", c.Tx("superseded_heading"))
					c.Must("superseded", c.Tx("superseded_text", "seller", v.Seller.Name))
				}
			})
		}
	}
}

func TestRenderPageEscapes(t *testing.T) {
	v := samplePageView("open", "en")
	v.Title = "<script>alert(1)</script>"
	v.Intro = "<b>bold</b>\n\n<img src=x onerror=alert(2)>"
	v.Lines[0].Description = "</td><script>alert(3)</script>"
	v.Seller.Name = `Evil "Corp" <i>`
	v.Error = "<b>error</b>"
	v.Form = pageForm{Name: `"><script>alert(4)</script>`, Email: "a@b.example", Reason: "</textarea><script>alert(5)</script>"}
	out := renderPageString(t, v)
	for _, bad := range []string{"<script>alert", "<b>", "<img src=x", "<i>", `value=""><script>`} {
		if strings.Contains(out, bad) {
			t.Errorf("unescaped %q in the page", bad)
		}
	}
	for _, good := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b&gt;bold&lt;/b&gt;", "&lt;b&gt;error&lt;/b&gt;",
		"Evil &#34;Corp&#34; &lt;i&gt;", "&lt;/textarea&gt;&lt;script&gt;alert(5)&lt;/script&gt;"} {
		if !strings.Contains(out, good) {
			t.Errorf("the page lacks %q", good)
		}
	}
}

func TestRenderPageError(t *testing.T) {
	v := samplePageView("open", "de")
	v.Error = pageText("de", "error_consent")
	v.Form = pageForm{Name: "Jörg Müller", Email: "joerg@example.com"}
	c := checkPage(t, v)
	c.Before("the error above the accept form", `<p class="alert" role="alert" id="form-error">`+pageEsc(v.Error)+`</p>`, `<form id="accept-form"`)
	c.Must("the form refilled", `value="Jörg Müller"`)
	c.Must("the form refilled", `value="joerg@example.com"`)
	c.MustNot("the decline form closed after an error of the accept form", `<details class="decline" open>`)

	v = samplePageView("open", "fr")
	v.Error = pageText("fr", "error_reason")
	c = checkPage(t, v)
	c.Must("the decline form open after its error", `<details class="decline" open>`)
	c.Before("the error of the decline form in it", `<form id="decline-form"`, `id="form-error"`)

	v = samplePageView("signed", "it")
	v.Error = pageText("it", "error_closed")
	checkPage(t, v).Must("a closed proposal's error", `<p class="alert" role="alert">`+pageEsc(v.Error)+`</p>`)
}

func TestRenderPageFallbacks(t *testing.T) {
	v := samplePageView("open", "pt")
	v.Breakdown = nil
	v.HasPDF = false
	c := checkPage(t, v)
	c.Must("an unknown language is English", `<html lang="en">`)
	c.Must("an empty breakdown hidden, for the script to fill", `<div class="breakdown-wrap" id="breakdown" hidden>`)
	c.MustNot("no PDF", "/pdf")
}

func TestPageMessages(t *testing.T) {
	if err := pageTemplate.CheckTexts(); err != nil {
		t.Errorf("messages.json:\n%v", err)
	}
	publicpagetest.Messages(t, pageCatalogue, "error_name", "error_email", "error_consent", "error_signature", "error_reason", "error_closed")
	if got, want := pageCatalogue["en"]["consent"], "I agree that typing my name is my electronic signature on this document."; got != want {
		t.Errorf("consent sentence %q, want %q", got, want)
	}
}

func TestAssetsRoute(t *testing.T) {
	publicpagetest.Assets(t, assetsRoute, pageAssets, "/p-assets/",
		map[string]string{"page.js": "/totals", "page.css": ".optional-choice"},
		"PAGE.JS", "page.js/", "proposal/page.js", "../invoice/page.css")
}
