package payments

import (
	"bytes"
	"html/template"
	"regexp"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/hooks/publicpage"
	"github.com/kontor-app/kontor/hooks/publicpage/publicpagetest"
	"github.com/kontor-app/kontor/hooks/render"
	"github.com/kontor-app/kontor/locale"
)

// What every public page holds (head, style, texts, parties, lines,
// totals, footer, assets route) is checked by hooks/publicpage and its
// publicpagetest; these tests check what is the invoice page's own.

var (
	pageStates    = []string{"open", "paid", "cancelled", "gone"}
	pageDocuments = []string{"invoice", "credit_note"}
)

const testPageToken = publicpagetest.Token

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
	v.Seller, v.Buyer = publicpagetest.Seller, publicpagetest.Buyer
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

// sampleDocument is what the page shows of samplePageView's document.
func sampleDocument(v pageView) publicpagetest.Document {
	return publicpagetest.Document{Seller: v.Seller, Buyer: v.Buyer, Currency: v.Currency,
		Net: v.Totals.Net, VAT: v.Totals.VAT, Gross: v.Totals.Gross, Line: publicpagetest.Line(v.Lines[0])}
}

func renderPageString(t *testing.T, v pageView) string {
	t.Helper()
	var b bytes.Buffer
	if err := renderPage(&b, v); err != nil {
		t.Fatalf("renderPage(%s, %s, %s): %v", v.State, v.Document, v.Lang, err)
	}
	return b.String()
}

// checkPage is a page rendered in lang, to check.
func checkPage(t *testing.T, out, lang string) publicpagetest.Page {
	return publicpagetest.Page{T: t, Out: out, Lang: lang, Texts: pageCatalogue}
}

// pageEsc is s as html/template writes it in text.
var pageEsc = publicpagetest.Esc

var pageFormRE = regexp.MustCompile(`<form [^>]*>`)

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
					c := checkPage(t, out, lang)
					credit := document == "credit_note"
					money := func(s string) string { return locale.Money(s, "EUR", lang) }

					c.Common(pageAssets)
					if state == "gone" {
						c.Gone(v.Token)
						c.MustNot("gone", v.Token)
						return
					}

					// The document.
					if credit {
						c.Must("title", "<title>"+c.Tx("title_credit_note", "number", v.Number, "seller", v.Seller.Name)+"</title>")
						c.Must("kind", `<span class="kind">`+c.Tx("credit_note")+`</span>`)
					} else {
						c.Must("title", "<title>"+c.Tx("title", "number", v.Number, "seller", v.Seller.Name)+"</title>")
						c.Must("kind", `<span class="kind">`+c.Tx("invoice")+`</span>`)
						c.Must("due date", `<time datetime="2026-04-01">`+locale.Date(v.DueDate, lang)+`</time>`)
					}
					c.Must("number", `<span class="number">`+v.Number+`</span>`)
					c.Must("issue date", `<time datetime="2026-03-02">`+locale.Date(v.IssueDate, lang)+`</time>`)
					c.Document(sampleDocument(v))
					c.Must("line", `<tr class="line">`)
					c.Must("exemption", `<span class="exemption">Exempt under Art. 132 VAT Directive</span>`)
					c.Must("paid", `id="total-paid">`+money("-"+v.Totals.Paid)+"<")
					if !credit || state == "open" {
						c.Must("due", `id="total-due">`+money(v.Totals.Due)+"<")
					}
					c.Before("paid and due after the total", `id="total-gross"`, `id="total-paid"`)
					c.Must("pdf", `<a href="/i/`+v.Token+`/pdf" download>`+c.Tx("download_pdf")+`</a>`)
					c.Must("contact", `<a href="mailto:hello@atelier-nord.example">hello@atelier-nord.example</a>`)
					c.MustNot("no fingerprint", `class="fingerprint"`)
					if lang == "en" {
						c.Must("english", "Download PDF")
						c.Must("english", "Sent with Kontor")
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
							c.Must("pay button", `<button type="submit" class="button">`+
								c.Tx("pay_button", "amount", money("16000.00"), "provider", p.Title)+`</button>`)
						}
						c.Must("pay heading", `<h2 id="pay-heading">`+c.Tx("pay_heading")+`</h2>`)
						c.Must("amount due", `<div class="meta-due"><dt>`+c.Tx("amount_due")+`</dt><dd>`+money("16000.00")+`</dd></div>`)
						c.Must("bank", c.Tx("bank_heading"))
						c.Must("bank text", c.Tx("bank_text", "amount", money("16000.00"), "date", locale.Date(v.DueDate, lang)))
						c.Must("beneficiary", `<dt>`+c.Tx("beneficiary")+`</dt><dd>Atelier Nord GmbH</dd>`)
						c.Must("iban", `<code class="select-all">`+locale.IBAN(v.BankTransfer.IBAN)+`</code>`)
						c.Must("iban grouped", "DE89 3704 0044 0532 0130 00")
						c.Must("bic", `<code class="select-all">COBADEFFXXX</code>`)
						c.Must("reference", `<dt>`+c.Tx("reference")+`</dt><dd><code class="select-all">`+v.Number+`</code></dd>`)
						c.Must("bank amount", `<dt>`+c.Tx("amount")+`</dt><dd>`+money("16000.00")+`</dd>`)
						c.Must("qr", `<div class="qr-code" role="img" aria-label="`+c.Tx("qr_label")+`">`+string(testQRSVG)+`</div>`)
						c.Must("qr caption", `<figcaption>`+c.Tx("qr_caption")+`</figcaption>`)
						c.Before("pay after the document", `id="totals"`, `id="pay-heading"`)
						c.MustNot("not overdue", c.Tx("overdue"))
						if lang == "en" {
							c.Must("english", "Scan with your banking app")
							c.Must("english", "Pay 16,000.00\u00a0EUR — Card (Stripe)")
						}
					} else {
						for _, s := range []string{"<form", "<button", "/pay/", "<svg", "DE89 3704", `id="pay-heading"`, c.Tx("bank_heading")} {
							c.MustNot("no payment", s)
						}
						c.MustNot("nothing due", `class="meta-due"`)
					}

					// The state.
					switch {
					case credit && state == "open":
						c.Must("refund", c.Tx("credit_refund_heading"))
						c.Must("refund", c.Tx("credit_refund_text", "seller", v.Seller.Name))
						c.Must("to refund", c.Tx("to_refund"))
						c.Must("refunded", c.Tx("refunded"))
					case credit && state == "paid":
						c.Must("settled", c.Tx("credit_paid_heading"))
						c.Must("settled", c.Tx("credit_paid_text"))
					case credit && state == "cancelled":
						c.Must("cancelled", c.Tx("credit_cancelled_text"))
					case state == "paid":
						c.Must("paid", c.Tx("paid_heading"))
						c.Must("paid", c.Tx("paid_text"))
						c.Must("due zero", `id="total-due">`+money("0.00")+"<")
					case state == "cancelled":
						c.Must("cancelled", c.Tx("cancelled_heading"))
						c.Must("cancelled", c.Tx("cancelled_text", "seller", v.Seller.Name))
					}
					if credit {
						c.MustNot("credit note", c.Tx("amount_due"))
						c.MustNot("credit note", c.Tx("paid_heading"))
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
		c := checkPage(t, out, lang)
		c.Must("badge", `<span class="badge badge-overdue">`+c.Tx("overdue")+`</span>`)
		c.Must("notice", `<section class="notice notice-overdue"`)
		c.Must("notice", c.Tx("overdue_text", "date", locale.Date(v.DueDate, lang)))
		// a date gone by is no deadline to transfer by
		c.Must("bank text", c.Tx("bank_text_nodate", "amount", locale.Money("16000.00", "EUR", lang)))
		c.MustNot("bank text", c.Tx("bank_text", "amount", locale.Money("16000.00", "EUR", lang), "date", locale.Date(v.DueDate, lang)))
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
	c := checkPage(t, out, "fr")
	c.Must("thanks", `<section class="notice notice-returned" role="status"`)
	c.Must("thanks", c.Tx("returned_heading"))
	c.Must("thanks", c.Tx("returned_text"))
	c.MustNot("no overdue notice while confirming", `notice-overdue`)
	// the options stay, folded away, for a payment that did not go through
	c.Must("folded", `<details class="pay-again">`+"\n"+`<summary id="pay-heading">`+c.Tx("returned_again")+`</summary>`)
	c.Before("forms folded", `<details class="pay-again">`, `<form class="pay-provider"`)
	c.Before("forms folded", `<form class="pay-provider"`, `</details>`)
	if got := len(pageFormRE.FindAllString(out, -1)); got != 2 {
		t.Errorf("%d forms", got)
	}
	c.MustNot("details closed", `<details class="pay-again" open`)

	v.Returned = false
	if out := renderPageString(t, v); strings.Contains(out, "<details") || strings.Contains(out, "notice-returned") {
		t.Errorf("the options are folded away without a return")
	}
}

func TestRenderPageError(t *testing.T) {
	v := samplePageView("open", "invoice", "de")
	v.Error = pageText("de", "error_provider")
	out := renderPageString(t, v)
	c := checkPage(t, out, "de")
	alert := `<p class="alert" role="alert" id="pay-error">` + pageEsc(v.Error) + `</p>`
	c.Must("error", alert)
	c.Before("error in the pay section", `id="pay-heading"`, alert)
	c.Before("error above the buttons", alert, `<form class="pay-provider"`)
	if strings.Count(out, pageEsc(v.Error)) != 1 {
		t.Errorf("the error is shown %d times", strings.Count(out, pageEsc(v.Error)))
	}

	for _, state := range []string{"paid", "cancelled"} {
		v = samplePageView(state, "invoice", "it")
		v.Error = pageText("it", "error_closed")
		out = renderPageString(t, v)
		c = checkPage(t, out, "it")
		c.Must(state, `<p class="alert" role="alert">`+pageEsc(v.Error)+`</p>`)
		c.Before(state+": the error at the top", `</header>`, `class="alert"`)
		c.Before(state+": the error at the top", `class="alert"`, `class="parties"`)
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
	c := checkPage(t, out, "en")
	c.MustNot("no provider", "<form")
	c.MustNot("no provider", c.Tx("pay_online"))
	c.Must("bank", c.Tx("bank_heading"))
	c.Must("bank amount", "16,000.00\u00a0CHF")
	c.MustNot("no QR", "<svg")
	c.MustNot("no QR", "<figure")
	c.MustNot("no BIC", c.Tx("bic"))

	// Providers only.
	v = samplePageView("open", "invoice", "en")
	v.BankTransfer = nil
	out = renderPageString(t, v)
	c = checkPage(t, out, "en")
	c.MustNot("no bank", c.Tx("bank_heading"))
	c.MustNot("no bank", "<svg")
	if got := len(pageFormRE.FindAllString(out, -1)); got != 2 {
		t.Errorf("%d forms", got)
	}

	// Neither: the buyer is sent to the seller.
	v.Providers = nil
	out = renderPageString(t, v)
	c = checkPage(t, out, "en")
	c.Must("no options", c.Tx("no_payment_options", "seller", v.Seller.Name))
	c.MustNot("no options", "<form")
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
	v.Breakdown = nil
	c := checkPage(t, renderPageString(t, v), "en")
	c.Must("an unknown language is English", `<html lang="en">`)
	c.Must("an unknown language is English", "Pay this invoice")
	c.MustNot("an empty breakdown is left out", `id="breakdown"`)

	v = samplePageView("open", "invoice", "en")
	v.Totals.Paid = "0.00"
	v.IssueDate, v.DueDate = "", ""
	c = checkPage(t, renderPageString(t, v), "en")
	c.MustNot("a paid row with nothing paid", `id="total-paid"`)
	c.MustNot("a date without one", "<time")
	c.Must("no transfer date without a due date", c.Tx("bank_text_nodate", "amount", "16,000.00\u00a0EUR"))

	// A credit note with nothing left to refund shows no row of it.
	v = samplePageView("paid", "credit_note", "en")
	checkPage(t, renderPageString(t, v), "en").MustNot("a settled credit note shows what is to refund", `id="total-due"`)
}

func TestPageMessages(t *testing.T) {
	if err := pageTemplate.CheckTexts(); err != nil {
		t.Errorf("messages.json:\n%v", err)
	}
	publicpagetest.Messages(t, pageCatalogue, "error_provider", "error_closed")
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

func TestAssetsRoute(t *testing.T) {
	publicpagetest.Assets(t, assetsRoute, pageAssets, "/i-assets/",
		map[string]string{"page.css": ".qr-code"},
		"page.js", "PAGE.CSS", "page.css/", "invoice/page.css", "../proposal/page.js")
}
