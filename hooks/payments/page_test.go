package payments

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/kontor-app/kontor/hooks/publicpage"
	"github.com/kontor-app/kontor/hooks/render"
	"github.com/kontor-app/kontor/locale"
)

var (
	pageStates    = []string{"open", "paid", "cancelled", "gone"}
	pageDocuments = []string{"invoice", "credit_note"}
)

const testPageToken = "k3Y_secret-Token_0123456789abcdefghijklmnopq"

// testQRSVG is the EPC QR code of the sample's bank transfer, as the
// handler passes it.
var testQRSVG = func() template.HTML {
	svg, err := render.EPCQRSVG("Atelier Nord GmbH", "COBADEFFXXX", "DE89370400440532013000", "1190.00", "INV-2026-0042")
	if err != nil {
		panic(err)
	}
	return template.HTML(svg)
}()

// samplePageView is an invoice (or credit note) of 16,350.60 EUR with a
// discounted line, 350.60 paid, in the state and language given. It
// carries payment options in every state, to show that only an open
// invoice offers them.
func samplePageView(state, document, lang string) pageView {
	v := pageView{State: state, Token: testPageToken, Lang: lang}
	if state == "gone" {
		return v
	}
	v.Document, v.Number = document, "INV-2026-0042"
	v.IssueDate, v.DueDate, v.Currency = "2026-03-02", "2026-04-01", "EUR"
	v.Seller = pageParty{Name: "Atelier Nord GmbH", AddressLine: "Hafenstraße 4\n2. OG", PostalCode: "20457", City: "Hamburg",
		Country: "DE", VATID: "DE123456789", Email: "hello@atelier-nord.example"}
	v.Buyer = pageParty{Name: "Café Lumière SARL", AddressLine: "12 rue des Lilas", PostalCode: "75011", City: "Paris",
		Country: "FR", VATID: "FR12345678901"}
	v.Lines = []pageLine{
		{Description: "Design\nthree rounds", Quantity: "12.5", UnitCode: "HUR", UnitPrice: "1200.00",
			DiscountPercent: "10", VATCategory: "S", VATRate: "19", NetAmount: "13500.00"},
		{Description: "Hosting, first year", Quantity: "1", UnitCode: "ANN", UnitPrice: "240.00",
			VATCategory: "S", VATRate: "19", NetAmount: "240.00"},
		{Description: "Training", Quantity: "1", UnitCode: "LS", UnitPrice: "0.00",
			VATCategory: "E", VATRate: "0", NetAmount: "0.00"},
	}
	v.Totals = pageTotals{Net: "13740.00", VAT: "2610.60", Gross: "16350.60", Paid: "350.60", Due: "16000.00"}
	v.Breakdown = []pageBreakdown{
		{Category: "S", Rate: "19", Taxable: "13740.00", VAT: "2610.60"},
		{Category: "E", Rate: "0", Taxable: "0.00", VAT: "0.00", ExemptionReason: "Exempt under Art. 132 VAT Directive"},
	}
	if state != "open" {
		v.Totals.Due = "0.00"
		if state == "paid" {
			v.Totals.Paid = v.Totals.Gross
		}
	}
	v.BankTransfer = &pageBank{Beneficiary: "Atelier Nord GmbH", IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX",
		Reference: v.Number, Amount: v.Totals.Due, QRSVG: testQRSVG}
	v.Providers = []pageProvider{{Name: "stripe", Title: "Card (Stripe)"}, {Name: "gocardless", Title: "Direct Debit (GoCardless)"}}
	return v
}

func renderPageString(t *testing.T, v pageView) string {
	t.Helper()
	var b bytes.Buffer
	if err := renderPage(&b, v); err != nil {
		t.Fatalf("renderPage(%s, %s, %s): %v", v.State, v.Document, v.Lang, err)
	}
	return b.String()
}

// pageEsc is s as html/template writes it in text.
func pageEsc(s string) string { return template.HTMLEscapeString(s) }

var (
	pagePlaceholderRE = regexp.MustCompile(`\{[A-Za-z_]+\}`)
	pageFormRE        = regexp.MustCompile(`<form [^>]*>`)
)

// pageChecker asserts what a rendered page holds.
type pageChecker struct {
	t    *testing.T
	out  string
	lang string
}

// tx is the text of key in the page's language, escaped as on the page.
func (c pageChecker) tx(key string, pairs ...string) string {
	c.t.Helper()
	s, ok := pageCatalogue.Lookup(c.lang, key, pairs...)
	if !ok {
		c.t.Fatalf("no text %q", key)
	}
	return pageEsc(s)
}

func (c pageChecker) must(what, s string) {
	c.t.Helper()
	if !strings.Contains(c.out, s) {
		c.t.Errorf("%s: the page lacks %q", what, s)
	}
}

func (c pageChecker) mustNot(what, s string) {
	c.t.Helper()
	if strings.Contains(c.out, s) {
		c.t.Errorf("%s: the page has %q", what, s)
	}
}

// before asserts that a comes before b on the page.
func (c pageChecker) before(what, a, b string) {
	c.t.Helper()
	if i, j := strings.Index(c.out, a), strings.Index(c.out, b); i < 0 || j < 0 || i > j {
		c.t.Errorf("%s: %q is not before %q", what, a, b)
	}
}

func TestRenderPage(t *testing.T) {
	for _, state := range pageStates {
		for _, document := range pageDocuments {
			if state == "gone" && document == "credit_note" {
				continue // an unknown link is no document
			}
			for _, lang := range publicpage.Languages {
				t.Run(state+"/"+document+"/"+lang, func(t *testing.T) {
					v := samplePageView(state, document, lang)
					out := renderPageString(t, v)
					c := pageChecker{t: t, out: out, lang: lang}
					credit := document == "credit_note"
					money := func(s string) string { return locale.Money(s, "EUR", lang) }

					// Texts: no placeholder left, no key shown instead of a text.
					if m := pagePlaceholderRE.FindString(out); m != "" {
						t.Errorf("placeholder left: %s", m)
					}
					for key := range pageCatalogue["en"] {
						if strings.Contains(key, "_") && strings.Contains(out, key) {
							t.Errorf("raw key %q on the page", key)
						}
					}

					// Head: language, robots, referrer, only our own style, no script.
					c.must("lang", `<html lang="`+lang+`">`)
					c.must("robots", `<meta name="robots" content="noindex">`)
					c.must("referrer", `<meta name="referrer" content="no-referrer">`)
					c.must("viewport", `<meta name="viewport" content="width=device-width, initial-scale=1">`)
					c.must("style", `<link rel="stylesheet" href="`+pageAssets.URL("page.css")+`">`)
					// the SVG namespace is a name, not a resource
					bare := pageChecker{t: t, out: strings.ReplaceAll(out, `xmlns="http://www.w3.org/2000/svg"`, ""), lang: lang}
					for _, bad := range []string{"<script", "http://", "https://", "//cdn", " style=", "<style", " onclick",
						" onload", " onerror", " onsubmit", "javascript:", "<img", "<iframe"} {
						bare.mustNot("external or inline", bad)
					}
					c.must("footer", c.tx("sent_with"))

					if state == "gone" {
						c.must("title", "<title>"+c.tx("title_gone")+"</title>")
						c.must("gone", c.tx("gone_heading"))
						c.must("gone", c.tx("gone_text"))
						c.mustNot("gone", "<form")
						c.mustNot("gone", "<table")
						c.mustNot("gone", v.Token)
						return
					}

					// The document.
					if credit {
						c.must("title", "<title>"+c.tx("title_credit_note", "number", v.Number, "seller", v.Seller.Name)+"</title>")
						c.must("kind", `<span class="kind">`+c.tx("credit_note")+`</span>`)
					} else {
						c.must("title", "<title>"+c.tx("title", "number", v.Number, "seller", v.Seller.Name)+"</title>")
						c.must("kind", `<span class="kind">`+c.tx("invoice")+`</span>`)
						c.must("due date", `<time datetime="2026-04-01">`+locale.Date(v.DueDate, lang)+`</time>`)
					}
					c.must("number", `<span class="number">`+v.Number+`</span>`)
					c.must("seller", pageEsc(v.Seller.Name))
					c.must("seller address", "<p>2. OG</p>")
					c.must("buyer", pageEsc(v.Buyer.Name))
					c.must("country", pageEsc(locale.CountryName("FR", lang)))
					c.must("issue date", `<time datetime="2026-03-02">`+locale.Date(v.IssueDate, lang)+`</time>`)
					c.must("quantity", locale.Number("12.5", lang))
					c.must("unit price", locale.Amount("1200.00", lang))
					c.must("discount", pageEsc(locale.Rate("10", lang)))
					c.must("vat rate", pageEsc(locale.Rate("19", lang)))
					c.must("unit", pageEsc(pageCatalogue.Unit("ANN", lang)))
					c.must("line net", locale.Amount("13500.00", lang))
					c.must("description", `<span class="description">Design`+"\n"+`three rounds</span>`)
					c.must("category", pageEsc(pageCatalogue.Category("S", lang)))
					c.must("exempt line", `>E<`)
					c.must("exemption", `<span class="exemption">Exempt under Art. 132 VAT Directive</span>`)
					c.must("total net", `id="total-net">`+money("13740.00")+"<")
					c.must("total vat", `id="total-vat">`+money("2610.60")+"<")
					c.must("total gross", `id="total-gross">`+money("16350.60")+"<")
					c.must("paid", `id="total-paid">`+money("-"+v.Totals.Paid)+"<")
					if !credit || state == "open" {
						c.must("due", `id="total-due">`+money(v.Totals.Due)+"<")
					}
					c.must("pdf", `<a href="/i/`+v.Token+`/pdf" download>`+c.tx("download_pdf")+`</a>`)
					c.must("contact", `<a href="mailto:hello@atelier-nord.example">hello@atelier-nord.example</a>`)
					if lang == "en" {
						c.must("english", "Download PDF")
						c.must("english", "Sent with Kontor")
					}

					// Payment: an open invoice only.
					if state == "open" && !credit {
						forms := pageFormRE.FindAllString(out, -1)
						if len(forms) != len(v.Providers) {
							t.Fatalf("forms: %q, want one per provider", forms)
						}
						for i, p := range v.Providers {
							want := `<form class="pay-provider" method="post" action="/i/` + v.Token + `/pay/` + p.Name + `" accept-charset="utf-8">`
							if forms[i] != want {
								t.Errorf("form %d: %s, want %s", i, forms[i], want)
							}
							c.must("pay button", `<button type="submit" class="button">`+
								c.tx("pay_button", "amount", money("16000.00"), "provider", p.Title)+`</button>`)
						}
						c.must("pay heading", `<h2 id="pay-heading">`+c.tx("pay_heading")+`</h2>`)
						c.must("amount due", `<div class="meta-due"><dt>`+c.tx("amount_due")+`</dt><dd>`+money("16000.00")+`</dd></div>`)
						c.must("bank", c.tx("bank_heading"))
						c.must("bank text", c.tx("bank_text", "amount", money("16000.00"), "date", locale.Date(v.DueDate, lang)))
						c.must("beneficiary", `<dt>`+c.tx("beneficiary")+`</dt><dd>Atelier Nord GmbH</dd>`)
						c.must("iban", `<code class="select-all">`+locale.IBAN(v.BankTransfer.IBAN)+`</code>`)
						c.must("iban grouped", "DE89 3704 0044 0532 0130 00")
						c.must("bic", `<code class="select-all">COBADEFFXXX</code>`)
						c.must("reference", `<dt>`+c.tx("reference")+`</dt><dd><code class="select-all">`+v.Number+`</code></dd>`)
						c.must("bank amount", `<dt>`+c.tx("amount")+`</dt><dd>`+money("16000.00")+`</dd>`)
						c.must("qr", `<div class="qr-code" role="img" aria-label="`+c.tx("qr_label")+`">`+string(testQRSVG)+`</div>`)
						c.must("qr caption", `<figcaption>`+c.tx("qr_caption")+`</figcaption>`)
						c.before("pay after the document", `id="totals"`, `id="pay-heading"`)
						c.mustNot("not overdue", c.tx("overdue"))
						if lang == "en" {
							c.must("english", "Scan with your banking app")
							c.must("english", "Pay 16,000.00\u00a0EUR — Card (Stripe)")
						}
					} else {
						for _, s := range []string{"<form", "<button", "/pay/", "<svg", "DE89 3704", `id="pay-heading"`, c.tx("bank_heading")} {
							c.mustNot("no payment", s)
						}
						c.mustNot("nothing due", `class="meta-due"`)
					}

					// The state.
					switch {
					case credit && state == "open":
						c.must("refund", c.tx("credit_refund_heading"))
						c.must("refund", c.tx("credit_refund_text", "seller", v.Seller.Name))
						c.must("to refund", c.tx("to_refund"))
						c.must("refunded", c.tx("refunded"))
					case credit && state == "paid":
						c.must("settled", c.tx("credit_paid_heading"))
						c.must("settled", c.tx("credit_paid_text"))
					case credit && state == "cancelled":
						c.must("cancelled", c.tx("credit_cancelled_text"))
					case state == "paid":
						c.must("paid", c.tx("paid_heading"))
						c.must("paid", c.tx("paid_text"))
						c.must("due zero", `id="total-due">`+money("0.00")+"<")
					case state == "cancelled":
						c.must("cancelled", c.tx("cancelled_heading"))
						c.must("cancelled", c.tx("cancelled_text", "seller", v.Seller.Name))
					}
					if credit {
						c.mustNot("credit note", c.tx("amount_due"))
						c.mustNot("credit note", c.tx("paid_heading"))
					}
				})
			}
		}
	}
}

func TestRenderPageOverdue(t *testing.T) {
	for _, lang := range publicpage.Languages {
		v := samplePageView("open", "invoice", lang)
		v.Overdue = true
		out := renderPageString(t, v)
		c := pageChecker{t: t, out: out, lang: lang}
		c.must("badge", `<span class="badge badge-overdue">`+c.tx("overdue")+`</span>`)
		c.must("notice", `<section class="notice notice-overdue"`)
		c.must("notice", c.tx("overdue_text", "date", locale.Date(v.DueDate, lang)))
		// a date gone by is no deadline to transfer by
		c.must("bank text", c.tx("bank_text_nodate", "amount", locale.Money("16000.00", "EUR", lang)))
		c.mustNot("bank text", c.tx("bank_text", "amount", locale.Money("16000.00", "EUR", lang), "date", locale.Date(v.DueDate, lang)))
		if got := len(pageFormRE.FindAllString(out, -1)); got != 2 {
			t.Errorf("%s: %d forms", lang, got)
		}
	}

	// Only an invoice still to pay is overdue.
	for _, v := range []pageView{samplePageView("paid", "invoice", "en"), samplePageView("open", "credit_note", "en")} {
		v.Overdue = true
		if out := renderPageString(t, v); strings.Contains(out, "overdue") {
			t.Errorf("%s %s is flagged overdue", v.State, v.Document)
		}
	}
}

func TestRenderPageReturned(t *testing.T) {
	v := samplePageView("open", "invoice", "fr")
	v.Returned, v.Overdue = true, true
	out := renderPageString(t, v)
	c := pageChecker{t: t, out: out, lang: "fr"}
	c.must("thanks", `<section class="notice notice-returned" role="status"`)
	c.must("thanks", c.tx("returned_heading"))
	c.must("thanks", c.tx("returned_text"))
	c.mustNot("no overdue notice while confirming", `notice-overdue`)
	// the options stay, folded away, for a payment that did not go through
	c.must("folded", `<details class="pay-again">`+"\n"+`<summary id="pay-heading">`+c.tx("returned_again")+`</summary>`)
	c.before("forms folded", `<details class="pay-again">`, `<form class="pay-provider"`)
	c.before("forms folded", `<form class="pay-provider"`, `</details>`)
	if got := len(pageFormRE.FindAllString(out, -1)); got != 2 {
		t.Errorf("%d forms", got)
	}
	c.mustNot("details closed", `<details class="pay-again" open`)

	v.Returned = false
	if out := renderPageString(t, v); strings.Contains(out, "<details") || strings.Contains(out, "notice-returned") {
		t.Errorf("the options are folded away without a return")
	}
}

func TestRenderPageError(t *testing.T) {
	v := samplePageView("open", "invoice", "de")
	v.Error = pageText("de", "error_provider")
	out := renderPageString(t, v)
	c := pageChecker{t: t, out: out, lang: "de"}
	alert := `<p class="alert" role="alert" id="pay-error">` + pageEsc(v.Error) + `</p>`
	c.must("error", alert)
	c.before("error in the pay section", `id="pay-heading"`, alert)
	c.before("error above the buttons", alert, `<form class="pay-provider"`)
	if strings.Count(out, pageEsc(v.Error)) != 1 {
		t.Errorf("the error is shown %d times", strings.Count(out, pageEsc(v.Error)))
	}

	for _, state := range []string{"paid", "cancelled"} {
		v = samplePageView(state, "invoice", "it")
		v.Error = pageText("it", "error_closed")
		out = renderPageString(t, v)
		c = pageChecker{t: t, out: out, lang: "it"}
		c.must(state, `<p class="alert" role="alert">`+pageEsc(v.Error)+`</p>`)
		c.before(state+": the error at the top", `</header>`, `class="alert"`)
		c.before(state+": the error at the top", `class="alert"`, `class="parties"`)
	}

	v = samplePageView("open", "credit_note", "es")
	v.Error = pageText("es", "error_closed")
	if out := renderPageString(t, v); !strings.Contains(out, `<p class="alert" role="alert">`+pageEsc(v.Error)+`</p>`) {
		t.Errorf("a credit note's error is not shown")
	}
}

func TestRenderPagePaymentOptions(t *testing.T) {
	// Bank transfer only, in a currency without a QR code.
	v := samplePageView("open", "invoice", "en")
	v.Currency, v.Providers = "CHF", nil
	v.BankTransfer.QRSVG, v.BankTransfer.BIC = "", ""
	out := renderPageString(t, v)
	c := pageChecker{t: t, out: out, lang: "en"}
	c.mustNot("no provider", "<form")
	c.mustNot("no provider", c.tx("pay_online"))
	c.must("bank", c.tx("bank_heading"))
	c.must("bank amount", "16,000.00\u00a0CHF")
	c.mustNot("no QR", "<svg")
	c.mustNot("no QR", "<figure")
	c.mustNot("no BIC", c.tx("bic"))

	// Providers only.
	v = samplePageView("open", "invoice", "en")
	v.BankTransfer = nil
	out = renderPageString(t, v)
	c = pageChecker{t: t, out: out, lang: "en"}
	c.mustNot("no bank", c.tx("bank_heading"))
	c.mustNot("no bank", "<svg")
	if got := len(pageFormRE.FindAllString(out, -1)); got != 2 {
		t.Errorf("%d forms", got)
	}

	// Neither: the buyer is sent to the seller.
	v.Providers = nil
	out = renderPageString(t, v)
	c = pageChecker{t: t, out: out, lang: "en"}
	c.must("no options", c.tx("no_payment_options", "seller", v.Seller.Name))
	c.mustNot("no options", "<form")
}

func TestRenderPageEscapes(t *testing.T) {
	v := samplePageView("open", "invoice", "en")
	v.Number = "<b>INV</b>"
	v.Seller.Name = `Evil "Corp" <i>`
	v.Buyer.AddressLine = "<img src=x onerror=alert(1)>"
	v.Lines[0].Description = "</td><script>alert(2)</script>"
	v.Breakdown[1].ExemptionReason = "<u>exempt</u>"
	v.Error = "<b>error</b>"
	v.Providers = []pageProvider{{Name: `x"><script>alert(3)</script>`, Title: "<em>Card</em>"}}
	v.BankTransfer.Beneficiary = "<s>Evil</s>"
	v.BankTransfer.Reference = `"><script>alert(4)</script>`
	v.Seller.Email = `a@b.example"><script>alert(5)</script>`
	out := renderPageString(t, v)
	for _, bad := range []string{"<script>", "<b>", "<img src=x", "<i>", "<u>", "<em>", "<s>", `"><script`} {
		if strings.Contains(out, bad) {
			t.Errorf("unescaped %q in the page", bad)
		}
	}
	for _, good := range []string{"&lt;b&gt;INV&lt;/b&gt;", "Evil &#34;Corp&#34; &lt;i&gt;", "&lt;img src=x onerror=alert(1)&gt;",
		"&lt;/td&gt;&lt;script&gt;alert(2)&lt;/script&gt;", "&lt;u&gt;exempt&lt;/u&gt;", "&lt;b&gt;error&lt;/b&gt;",
		"&lt;em&gt;Card&lt;/em&gt;", "&lt;s&gt;Evil&lt;/s&gt;", "&#34;&gt;&lt;script&gt;alert(4)&lt;/script&gt;"} {
		if !strings.Contains(out, good) {
			t.Errorf("the page lacks %q", good)
		}
	}
	if m := pageFormRE.FindString(out); !strings.HasPrefix(m, `<form class="pay-provider" method="post" action="/i/`+testPageToken+`/pay/x%22%3e%3cscript%3ealert%283%29%3c/script%3e"`) {
		t.Errorf("the provider's name is not escaped in the action: %s", m)
	}
	// the QR code is the handler's own markup, embedded as it is
	v = samplePageView("open", "invoice", "en")
	if out := renderPageString(t, v); !strings.Contains(out, string(testQRSVG)) {
		t.Errorf("the QR code is not embedded as markup")
	}
}

func TestRenderPageFallbacks(t *testing.T) {
	v := samplePageView("open", "invoice", "pt")
	v.Lines[0].UnitCode = "XYZ"
	v.Lines[0].VATCategory = "Q"
	v.Breakdown = nil
	out := renderPageString(t, v)
	if !strings.Contains(out, `<html lang="en">`) || !strings.Contains(out, "Pay this invoice") {
		t.Errorf("an unknown language is not English")
	}
	if !strings.Contains(out, ">XYZ<") {
		t.Errorf("an unknown unit is not shown as its code")
	}
	if !strings.Contains(out, `data-label="VAT">Q<`) {
		t.Errorf("an unknown category is not shown as its code")
	}
	if strings.Contains(out, "<caption>") {
		t.Errorf("an empty breakdown is shown")
	}

	v = samplePageView("open", "invoice", "en")
	v.Lines[0].DiscountPercent = ""
	v.Totals.Paid = "0.00"
	v.IssueDate, v.DueDate = "", ""
	out = renderPageString(t, v)
	if strings.Contains(out, "Disc.") {
		t.Errorf("a discount column without discounts")
	}
	if strings.Contains(out, `id="total-paid"`) {
		t.Errorf("a paid row with nothing paid")
	}
	if strings.Contains(out, "<time") {
		t.Errorf("a date without one")
	}
	if want := pageEsc(pageCatalogue.Text("en", "bank_text_nodate")); !strings.Contains(out, strings.ReplaceAll(want, "{amount}", "16,000.00\u00a0EUR")) {
		t.Errorf("no transfer text without a due date")
	}

	// A credit note with nothing left to refund shows no row of it.
	v = samplePageView("paid", "credit_note", "en")
	if out := renderPageString(t, v); strings.Contains(out, `id="total-due"`) {
		t.Errorf("a settled credit note shows what is to refund")
	}
}

func TestPageMessages(t *testing.T) {
	if err := pageCatalogue.Check("invoice/page.html"); err != nil {
		t.Errorf("messages.json:\n%v", err)
	}

	// The handlers' messages.
	for _, key := range []string{"error_provider", "error_closed"} {
		for _, lang := range publicpage.Languages {
			if s := pageText(lang, key); s == key || s == "" {
				t.Errorf("pageText(%s, %s) = %q", lang, key, s)
			}
		}
		for _, lang := range publicpage.Languages[1:] {
			if pageText(lang, key) == pageText("en", key) {
				t.Errorf("%s is not translated into %s", key, lang)
			}
		}
		if got, want := pageText("xx", key), pageText("en", key); got != want {
			t.Errorf("pageText(xx, %s) = %q, want English %q", key, got, want)
		}
	}
	if got := pageText("en", "no_such_key"); got != "no_such_key" {
		t.Errorf("a missing key gives %q", got)
	}
	for key, want := range map[string]string{
		"title":      "Invoice {number} — {seller}",
		"qr_caption": "Scan with your banking app",
		"sent_with":  "Sent with Kontor",
		"pay_button": "Pay {amount} — {provider}",
	} {
		if got := pageCatalogue["en"][key]; got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
}

// servePageAsset runs assetsRoute for /i-assets/{file}.
func servePageAsset(t *testing.T, file string, header http.Header) (*httptest.ResponseRecorder, error) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/i-assets/page.css", nil)
	req.SetPathValue("file", file)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	e := &core.RequestEvent{}
	e.Request, e.Response = req, rec
	return rec, assetsRoute(e)
}

func TestAssetsRoute(t *testing.T) {
	rec, err := servePageAsset(t, "page.css", nil)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Code != http.StatusOK {
		t.Errorf("status %d", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/css; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
		t.Errorf("Cache-Control %q", cc)
	}
	if nosniff := rec.Header().Get("X-Content-Type-Options"); nosniff != "nosniff" {
		t.Errorf("X-Content-Type-Options %q", nosniff)
	}
	for _, marker := range []string{".qr-code", "@media print", "@media (max-width: 640px)"} {
		if !strings.Contains(rec.Body.String(), marker) {
			t.Errorf("the body is not page.css: no %q", marker)
		}
	}
	for _, bad := range []string{"@import", "url(", "http"} {
		if strings.Contains(rec.Body.String(), bad) {
			t.Errorf("page.css loads something: %q", bad)
		}
	}
	etag := rec.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if url := pageAssets.URL("page.css"); url != "/i-assets/page.css?v="+strings.Trim(etag, `"`) {
		t.Errorf("the page's URL %s is not versioned by the ETag %s", url, etag)
	}
	rec, err = servePageAsset(t, "page.css", http.Header{"If-None-Match": {etag}})
	if err != nil || rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Errorf("If-None-Match gives %d, %v", rec.Code, err)
	}

	for _, file := range []string{"../x", "", "page.js", "page.html", "messages.json", "../templates.go", "../invoice.html",
		"PAGE.CSS", "page.css/", "invoice/page.css", "../proposal/page.js"} {
		rec, err := servePageAsset(t, file, nil)
		var apiErr *router.ApiError
		if !errors.As(err, &apiErr) || apiErr.Status != http.StatusNotFound {
			t.Errorf("%q: error %v, want a 404", file, err)
		}
		if rec.Body.Len() != 0 {
			t.Errorf("%q: a body was written", file)
		}
	}
}
