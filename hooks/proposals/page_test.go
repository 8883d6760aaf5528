package proposals

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

	"github.com/kontor-app/kontor/locale"
)

var pageStates = []string{"open", "signed", "declined", "expired", "superseded", "gone"}

const testPageToken = "k3Y_secret-Token_0123456789abcdefghijklmnopq"

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
	v.Seller = pageParty{Name: "Atelier Nord GmbH", AddressLine: "Hafenstraße 4\n2. OG", PostalCode: "20457", City: "Hamburg",
		Country: "DE", VATID: "DE123456789", Email: "hello@atelier-nord.example"}
	v.Buyer = pageParty{Name: "Café Lumière SARL", AddressLine: "12 rue des Lilas", PostalCode: "75011", City: "Paris",
		Country: "FR", VATID: "FR12345678901"}
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

func renderPageString(t *testing.T, v pageView) string {
	t.Helper()
	var b bytes.Buffer
	if err := renderPage(&b, v); err != nil {
		t.Fatalf("renderPage(%s, %s): %v", v.State, v.Lang, err)
	}
	return b.String()
}

// esc is s as html/template writes it in text.
func pageEsc(s string) string { return template.HTMLEscapeString(s) }

var (
	pagePlaceholderRE = regexp.MustCompile(`\{[A-Za-z_]+\}`)
	pageScriptTagRE   = regexp.MustCompile(`<script[^>]*>`)
	pageIncludedRE    = regexp.MustCompile(`<input type="checkbox" name="included" value="(\d+)"[^>]*>`)
)

func TestRenderPage(t *testing.T) {
	for _, state := range pageStates {
		for _, lang := range pageLanguages {
			t.Run(state+"/"+lang, func(t *testing.T) {
				v := samplePageView(state, lang)
				out := renderPageString(t, v)
				tx := func(key string, pairs ...string) string {
					s, ok := pageCatalogue.Lookup(lang, key, pairs...)
					if !ok {
						t.Fatalf("no text %q", key)
					}
					return pageEsc(s)
				}
				must := func(what, s string) {
					t.Helper()
					if !strings.Contains(out, s) {
						t.Errorf("%s: the page lacks %q", what, s)
					}
				}
				mustNot := func(what, s string) {
					t.Helper()
					if strings.Contains(out, s) {
						t.Errorf("%s: the page has %q", what, s)
					}
				}

				// Texts: no placeholder left, no key shown instead of a text.
				if m := pagePlaceholderRE.FindString(out); m != "" {
					t.Errorf("placeholder left: %s", m)
				}
				for key := range pageCatalogue["en"] {
					if strings.Contains(key, "_") && strings.Contains(out, key) {
						t.Errorf("raw key %q on the page", key)
					}
				}

				// Head: language, robots, referrer, only our own script and style.
				must("lang", `<html lang="`+lang+`">`)
				must("robots", `<meta name="robots" content="noindex">`)
				must("referrer", `<meta name="referrer" content="no-referrer">`)
				must("style", `<link rel="stylesheet" href="/p-assets/page.css?v=`)
				tags := pageScriptTagRE.FindAllString(out, -1)
				if len(tags) != 1 || !strings.Contains(tags[0], `src="/p-assets/page.js?v=`) {
					t.Errorf("script tags: %q", tags)
				}
				for _, bad := range []string{"http://", "https://", "//cdn", " style=", "<style", " onclick", " onload", " onsubmit", "javascript:"} {
					mustNot("external or inline", bad)
				}
				must("footer", tx("sent_with"))

				if state == "gone" {
					must("title", "<title>"+tx("title_gone")+"</title>")
					must("gone", tx("gone_heading"))
					must("gone", tx("gone_text"))
					mustNot("gone", "<form")
					mustNot("gone", v.Token+"/")
					return
				}
				must("title", "<title>"+tx("title", "number", v.Number, "seller", v.Seller.Name)+"</title>")
				must("number", v.Number)
				must("seller", pageEsc(v.Seller.Name))
				must("valid until", locale.Date(v.ValidUntil, lang))
				must("fingerprint", tx("fingerprint")+" <code>"+v.DocumentHash+"</code>")

				document := state == "open" || state == "signed" || state == "declined"
				if document {
					must("buyer", pageEsc(v.Buyer.Name))
					must("country", pageEsc(locale.CountryName("FR", lang)))
					must("date", locale.Date(v.Date, lang))
					must("intro paragraph 1", "<p>Thank you for your enquiry.</p>")
					must("intro paragraph 2", "<p>Here is what we propose.</p>")
					must("terms", "<p>Payment within 30 days.\nPrices exclude travel.</p>")
					must("quantity", locale.Number("12.5", lang))
					must("unit price", locale.Amount("1200.00", lang))
					must("discount", pageEsc(locale.Rate("10", lang)))
					must("vat rate", pageEsc(locale.Rate("19", lang)))
					must("unit", pageEsc(pageCatalogue.Unit("ANN", lang)))
					must("net", locale.Amount("13500.00", lang))
					must("category", pageEsc(pageCatalogue.Category("S", lang)))
					must("total net", `id="total-net" data-total="net">`+locale.Money("13740.00", "EUR", lang)+"<")
					must("total vat", `id="total-vat" data-total="vat">`+locale.Money("2610.60", "EUR", lang)+"<")
					must("total gross", `id="total-gross" data-total="gross">`+locale.Money("16350.60", "EUR", lang)+"<")
					must("breakdown", `id="breakdown-rows"`)
				} else {
					mustNot("no document", "<table")
				}

				if state == "open" {
					must("data token", `data-token="`+v.Token+`"`)
					must("accept form", `<form id="accept-form" class="accept" method="post" action="/p/`+v.Token+`/accept"`)
					must("decline form", `method="post" action="/p/`+v.Token+`/decline"`)
					must("name", `name="name"`)
					must("email", `name="email"`)
					must("consent", `<input type="checkbox" id="consent" name="consent" value="yes" required>`)
					must("consent label", `<label for="consent">`+tx("consent")+`</label>`)
					must("signature", `<input type="hidden" name="signature" id="signature-data" value="">`)
					must("canvas", `<canvas id="signature-pad"`)
					must("clear", tx("signature_clear"))
					must("accept button", `<button type="submit" class="button">`+tx("accept_button")+`</button>`)
					must("reason", `name="reason"`)
					must("decline button", tx("decline_button"))
					must("totals notice", `id="totals-notice"`)
					boxes := pageIncludedRE.FindAllStringSubmatch(out, -1)
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
					if lang == "en" {
						must("consent sentence", "I agree that typing my name is my electronic signature on this document.")
						must("accept", "Accept and sign")
						must("decline", ">Decline<")
					}
				} else {
					mustNot("no form", "<form")
					mustNot("no form", "<input")
					mustNot("no form", "<textarea")
					mustNot("no form", "/accept")
					mustNot("no form", "/decline")
				}

				switch state {
				case "signed":
					must("signed", tx("signed_heading"))
					must("signer", tx("signed_text", "name", v.SignerName, "email", v.SignerEmail,
						"date", pageCatalogue.DateTime(v.SignedAt, lang)))
					must("signed at", "14:07")
					must("pdf", `href="/p/`+v.Token+`/pdf"`)
					must("pdf", tx("download_signed"))
					must("excluded line", tx("optional_excluded"))
				case "declined":
					must("declined", tx("declined_heading"))
					must("declined at", tx("declined_text", "date", pageCatalogue.DateTime(v.DeclinedAt, lang)))
					must("reason", "<p>Too expensive for us this year.</p><p>Maybe in 2027.</p>")
				case "expired":
					must("expired", tx("expired_heading"))
					must("expired", tx("expired_text", "date", locale.Date(v.ValidUntil, lang)))
					must("contact", `<a href="mailto:hello@atelier-nord.example">hello@atelier-nord.example</a>`)
				case "superseded":
					must("superseded", tx("superseded_heading"))
					must("superseded", tx("superseded_text", "seller", v.Seller.Name))
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
	out := renderPageString(t, v)
	alert := `<p class="alert" role="alert" id="form-error">` + pageEsc(v.Error) + `</p>`
	if i, j := strings.Index(out, alert), strings.Index(out, `<form id="accept-form"`); i < 0 || j < 0 || i > j {
		t.Errorf("the error is not shown above the accept form")
	}
	for _, s := range []string{`value="Jörg Müller"`, `value="joerg@example.com"`} {
		if !strings.Contains(out, s) {
			t.Errorf("the form is not refilled: no %s", s)
		}
	}
	if strings.Contains(out, `<details class="decline" open>`) {
		t.Errorf("the decline form is open after an error of the accept form")
	}

	v = samplePageView("open", "fr")
	v.Error = pageText("fr", "error_reason")
	out = renderPageString(t, v)
	if !strings.Contains(out, `<details class="decline" open>`) {
		t.Errorf("the decline form is not open after its error")
	}
	if i, j := strings.Index(out, `id="form-error"`), strings.Index(out, `<form id="decline-form"`); i < 0 || i < j {
		t.Errorf("the error of the decline form is not in it")
	}

	v = samplePageView("signed", "it")
	v.Error = pageText("it", "error_closed")
	if out := renderPageString(t, v); !strings.Contains(out, pageEsc(v.Error)) {
		t.Errorf("a closed proposal's error is not shown")
	}
}

func TestRenderPageFallbacks(t *testing.T) {
	v := samplePageView("open", "pt")
	v.Lines[0].UnitCode = "XYZ"
	v.Lines[0].VATCategory = "Q"
	v.Lines[1].DiscountPercent = "0"
	v.Breakdown = nil
	v.HasPDF = false
	out := renderPageString(t, v)
	if !strings.Contains(out, `<html lang="en">`) {
		t.Errorf("an unknown language is not English")
	}
	if !strings.Contains(out, ">XYZ<") {
		t.Errorf("an unknown unit is not shown as its code")
	}
	if !strings.Contains(out, `id="breakdown" hidden`) {
		t.Errorf("an empty breakdown is not hidden")
	}
	if strings.Contains(out, "/pdf") {
		t.Errorf("a PDF is offered without one")
	}

	v = samplePageView("open", "en")
	for i := range v.Lines {
		v.Lines[i].DiscountPercent = ""
	}
	if out := renderPageString(t, v); strings.Contains(out, "Disc.") {
		t.Errorf("a discount column without discounts")
	}
}

func TestPageMessages(t *testing.T) {
	if err := pageCatalogue.Check("proposal/page.html"); err != nil {
		t.Errorf("messages.json:\n%v", err)
	}

	// The handlers' messages.
	for _, key := range []string{"error_name", "error_email", "error_consent", "error_signature", "error_reason", "error_closed"} {
		for _, lang := range pageLanguages {
			if s := pageText(lang, key); s == key || s == "" {
				t.Errorf("pageText(%s, %s) = %q", lang, key, s)
			}
		}
		if pageText("de", key) == pageText("en", key) {
			t.Errorf("%s is not translated into German", key)
		}
		if got, want := pageText("xx", key), pageText("en", key); got != want {
			t.Errorf("pageText(xx, %s) = %q, want English %q", key, got, want)
		}
	}
	if got := pageText("en", "no_such_key"); got != "no_such_key" {
		t.Errorf("a missing key gives %q", got)
	}
	if got, want := pageCatalogue["en"]["consent"], "I agree that typing my name is my electronic signature on this document."; got != want {
		t.Errorf("consent sentence %q, want %q", got, want)
	}
}

// servePageAsset runs assetsRoute for /p-assets/{file}.
func servePageAsset(t *testing.T, file string, header http.Header) (*httptest.ResponseRecorder, error) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/p-assets/page.js", nil)
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
	for _, c := range []struct{ file, contentType, marker string }{
		{"page.js", "text/javascript", "/totals"},
		{"page.css", "text/css", "@media print"},
	} {
		rec, err := servePageAsset(t, c.file, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if rec.Code != http.StatusOK {
			t.Errorf("%s: status %d", c.file, rec.Code)
		}
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, c.contentType) {
			t.Errorf("%s: Content-Type %q", c.file, ct)
		}
		if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") {
			t.Errorf("%s: Cache-Control %q", c.file, cc)
		}
		if !strings.Contains(rec.Body.String(), c.marker) {
			t.Errorf("%s: the body is not the file", c.file)
		}
		etag := rec.Header().Get("ETag")
		if etag == "" {
			t.Errorf("%s: no ETag", c.file)
			continue
		}
		if !strings.Contains(pageAssets.URL(c.file), strings.Trim(etag, `"`)) {
			t.Errorf("%s: the page's URL %s is not versioned by the ETag %s", c.file, pageAssets.URL(c.file), etag)
		}
		rec, err = servePageAsset(t, c.file, http.Header{"If-None-Match": {etag}})
		if err != nil || rec.Code != http.StatusNotModified {
			t.Errorf("%s: If-None-Match gives %d, %v", c.file, rec.Code, err)
		}
	}

	for _, file := range []string{"../x", "", "page.html", "messages.json", "../templates.go", "PAGE.JS", "page.js/", "proposal/page.js"} {
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
