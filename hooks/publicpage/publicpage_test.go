package publicpage

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/kontor-app/kontor/locale"
)

// testCatalogue is a small catalogue in every language.
func testCatalogue() Catalogue {
	c := Catalogue{}
	for _, lang := range Languages {
		c[lang] = map[string]string{
			"hello":      "hello {name} ({name})",
			"datetime":   "{date} at {time} UTC",
			"unit_DAY":   "day",
			"category_S": "Standard rate",
		}
	}
	c["de"]["hello"] = "hallo {name}"
	c["de"]["datetime"] = "{date} um {time} Uhr UTC"
	c["de"]["unit_DAY"] = "Tag"
	c["de"]["category_S"] = "Regelsteuersatz"
	delete(c["it"], "unit_DAY")
	return c
}

func TestCatalogueLookup(t *testing.T) {
	c := testCatalogue()
	for _, tc := range []struct {
		lang, key string
		pairs     []string
		want      string
		ok        bool
	}{
		{"en", "hello", []string{"name", "Ann"}, "hello Ann (Ann)", true},
		{"de", "hello", []string{"name", "Jörg", "unused", "x"}, "hallo Jörg", true},
		{"pt", "hello", []string{"name", "Ana"}, "hello Ana (Ana)", true}, // unknown language: English
		{"it", "unit_DAY", nil, "day", true},                              // missing in Italian: English
		{"de", "nope", nil, "nope", false},
		{"en", "hello", []string{"name"}, "hello {name} ({name})", true}, // an odd pair is ignored
	} {
		got, ok := c.Lookup(tc.lang, tc.key, tc.pairs...)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Lookup(%s, %s, %q) = %q, %v; want %q, %v", tc.lang, tc.key, tc.pairs, got, ok, tc.want, tc.ok)
		}
	}
	if got := c.Text("de", "nope"); got != "nope" {
		t.Errorf("Text of a missing key = %q", got)
	}
	if c.Lang("fr") != "fr" || c.Lang("pt") != "en" || c.Lang("") != "en" {
		t.Errorf("Lang: %s %s %s", c.Lang("fr"), c.Lang("pt"), c.Lang(""))
	}
}

func TestCatalogueCheck(t *testing.T) {
	c := Catalogue{}
	for _, lang := range Languages {
		c[lang] = map[string]string{"a": "A {x}", "b": "B"}
	}
	if err := c.Check(); err != nil {
		t.Fatalf("a sound catalogue: %v", err)
	}
	c["de"]["a"] = "A {y}"
	c["fr"]["b"] = " "
	delete(c["it"], "b")
	c["pt"] = map[string]string{"a": "A {x}", "b": "B"}
	delete(c, "es")
	err := c.Check("proposal/page.html", "no/such.html")
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`de: "a" has placeholders [{y}], en [{x}]`,
		`fr: "b" is empty`,
		`it: no "b"`,
		`unexpected language "pt"`,
		`no texts in es`,
		`proposal/page.html uses "title", which is not in the catalogue`,
		`no/such.html`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Check misses %q:\n%v", want, err)
		}
	}
}

func TestCatalogueFormats(t *testing.T) {
	c := testCatalogue()
	for _, tc := range []struct{ got, want string }{
		{c.Unit("HUR", "de"), "h"},
		{c.Unit("DAY", "de"), "Tag"},
		{c.Unit("XYZ", "de"), "XYZ"},
		{c.Category("S", "de"), "Regelsteuersatz (S)"},
		{c.Category("Q", "de"), "Q"},
		{c.Category("", "de"), ""},
		{c.DateTime("2026-03-05T14:07:31.5Z", "en"), "5 March 2026 at 14:07 UTC"},
		{c.DateTime("2026-03-05T23:30:00-02:00", "de"), "06.03.2026 um 01:30 Uhr UTC"},
		{c.DateTime("2026-03-05", "fr"), "05/03/2026"},
		{c.DateTime("", "en"), ""},
		{c.DateTime("soon", "en"), "soon"},
		{LineVAT("S", "19", "de"), "19\u00a0%"},
		{LineVAT("", "", "en"), "0%"},
		{LineVAT("AE", "0", "en"), "AE"},
		{Discount("", "en"), ""},
		{Discount("0.00", "en"), ""},
		{Discount(" 7.5 ", "de"), "7,5\u00a0%"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	if !IsZero("") || !IsZero("0.00") || !IsZero("x") || IsZero("0.01") || IsZero("-1") {
		t.Errorf("IsZero")
	}
}

func TestAddress(t *testing.T) {
	got := Address(" Hafenstraße 4\r\n\r\n2. OG ", "20457", "Hamburg", "DE", "fr")
	want := []string{"Hafenstraße 4", "2. OG", "20457 Hamburg", "Allemagne"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Address = %q, want %q", got, want)
	}
	if got := Address("", "", "", "", "en"); len(got) != 0 {
		t.Errorf("an empty address gives %q", got)
	}
}

func TestParagraphs(t *testing.T) {
	got := Paragraphs("  one\r\nstill one\r\n\r\n\n two \n \t\nthree\n\n")
	want := []string{"one\nstill one", "two", "three"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Paragraphs = %q, want %q", got, want)
	}
	if got := Paragraphs(" \n\n "); len(got) != 0 {
		t.Errorf("blank text gives %q", got)
	}
}

func serve(t *testing.T, a *Assets, file string) (*httptest.ResponseRecorder, error) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/x-assets/"+file, nil)
	req.SetPathValue("file", file)
	rec := httptest.NewRecorder()
	e := &core.RequestEvent{}
	e.Request, e.Response = req, rec
	return rec, a.Serve(e)
}

func TestAssets(t *testing.T) {
	a := MustAssets("/x-assets/", "proposal", "page.js", "page.css")
	for name, contentType := range map[string]string{"page.js": "text/javascript; charset=utf-8", "page.css": "text/css; charset=utf-8",
		"base.css": "text/css; charset=utf-8"} {
		rec, err := serve(t, a, name)
		if err != nil || rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != contentType {
			t.Errorf("%s: %d %q %v", name, rec.Code, rec.Header().Get("Content-Type"), err)
		}
		if url := a.URL(name); !strings.HasPrefix(url, "/x-assets/"+name+"?v=") || len(url) != len("/x-assets/"+name+"?v=")+16 {
			t.Errorf("URL(%s) = %s", name, url)
		}
	}
	version := func(name string) string { _, v, _ := strings.Cut(a.URL(name), "?v="); return v }
	if version("page.js") == version("page.css") || version("page.css") == version("base.css") {
		t.Errorf("two files share a version: %s %s %s", version("page.js"), version("page.css"), version("base.css"))
	}
	// every page serves the shared style, the same
	if b := MustAssets("/y-assets/", "invoice", "page.css"); b.URL("base.css") != "/y-assets/base.css?v="+version("base.css") {
		t.Errorf("another page's base.css is at %s", b.URL("base.css"))
	}
	if got := a.URL("other.css"); got != "/x-assets/other.css" {
		t.Errorf("URL of an unknown file = %s", got)
	}
	for _, file := range []string{"../x", "", "page.html", "messages.json", "parts.html", "public/base.css"} {
		_, err := serve(t, a, file)
		var apiErr *router.ApiError
		if !errors.As(err, &apiErr) || apiErr.Status != http.StatusNotFound {
			t.Errorf("%q: error %v, want a 404", file, err)
		}
	}

	for _, bad := range [][]string{{"proposal", "page.html"}, {"proposal", "none.css"}, {"public", "base.css"}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("MustAssets(%q) does not panic", bad)
				}
			}()
			MustAssets("/x/", bad[0], bad[1])
		}()
	}
}

func TestPageRender(t *testing.T) {
	c := MustCatalogue("proposal/messages.json")
	a := MustAssets("/p-assets/", "proposal", "page.css", "page.js")
	p := MustPage("proposal/page.html", c, a, template.FuncMap{
		"open":        func() bool { return false },
		"discounted":  func() bool { return false },
		"hasOptional": func(any) bool { return false },
		"declineOpen": func() bool { return false },
	})
	f := p.Funcs("de")
	if got := f["money"].(func(string, string) string)("1234.5", "EUR"); got != "1.234,50\u00a0EUR" {
		t.Errorf("money in German = %q", got)
	}
	if got := f["iban"].(func(string) string)("de89370400440532013000"); got != "DE89 3704 0044 0532 0130 00" {
		t.Errorf("iban = %q", got)
	}
	if got := f["asset"].(func(string) string)("page.css"); got != a.URL("page.css") {
		t.Errorf("asset = %q", got)
	}
	got := f["address"].(func(Party) []string)(Party{AddressLine: "Hafenstraße 4", PostalCode: "20457", City: "Hamburg", Country: "FR"})
	if strings.Join(got, "|") != "Hafenstraße 4|20457 Hamburg|Frankreich" {
		t.Errorf("address in German = %q", got)
	}
	if err := p.CheckTexts(); err != nil {
		t.Errorf("CheckTexts: %v", err)
	}

	// A failing template writes nothing.
	var b bytes.Buffer
	err := p.Render(&b, "en", struct{ State string }{"gone"}, nil)
	if err == nil || b.Len() != 0 {
		t.Errorf("a failing render: %v, %d bytes written", err, b.Len())
	}
}

func TestDiscounted(t *testing.T) {
	percent := func(s string) string { return s }
	if Discounted([]string{"", "0", "0.00"}, percent) || Discounted(nil, percent) {
		t.Error("no discount is one")
	}
	if !Discounted([]string{"", "2.5"}, percent) {
		t.Error("a discount is none")
	}
}

// partsLine is a line of partsView.
type partsLine struct {
	Description, Quantity, UnitCode, UnitPrice, DiscountPercent, VATCategory, VATRate, NetAmount string
}

// partsView is what a page gives the shared parts.
type partsView struct {
	State, Lang, Number, Currency string
	Seller, Buyer                 Party
	Lines                         []partsLine
	Breakdown                     []Breakdown
	Totals                        struct{ Net, VAT, Gross string }
}

// partsPage is a page made of the shared parts only.
const partsPage = `<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
{{template "head" .}}
</head>
<body>
{{- if eq .State "gone"}}
{{template "gone"}}
{{- else}}
{{template "parties" .}}
<section class="items">
{{template "items-head" .}}
{{template "lines" .Lines}}
</section>
{{template "breakdown" .Breakdown}}
<dl class="totals">
{{template "totals" .}}
</dl>
{{- end}}
{{template "footer" .}}
</body>
</html>
{{- define "title"}}Doc {{.Number}}{{end}}
{{- define "line" -}}
<tr class="line">
<td class="col-description">{{.Description}}</td>
{{template "line-amounts" .}}
</tr>
{{- end}}`

// partsView is a document of two lines, one discounted, in lang.
func samplePartsView(lang string) partsView {
	v := partsView{State: "open", Lang: lang, Number: "N-1", Currency: "EUR"}
	v.Seller = Party{Name: "Atelier Nord GmbH", AddressLine: "Hafenstraße 4\n2. OG", PostalCode: "20457", City: "Hamburg",
		Country: "DE", VATID: "DE123456789", Email: "hello@atelier-nord.example"}
	v.Buyer = Party{Name: "Café Lumière SARL", AddressLine: "12 rue des Lilas", PostalCode: "75011", City: "Paris", Country: "FR"}
	v.Lines = []partsLine{
		{Description: "Design\nthree rounds", Quantity: "12.5", UnitCode: "HUR", UnitPrice: "1200.00", DiscountPercent: "10",
			VATCategory: "S", VATRate: "19", NetAmount: "13500.00"},
		{Description: "Training", Quantity: "1", UnitCode: "XYZ", UnitPrice: "800.00", VATCategory: "E", VATRate: "0", NetAmount: "800.00"},
	}
	v.Breakdown = []Breakdown{{Category: "S", Rate: "19", Taxable: "13500.00", VAT: "2565.00"},
		{Category: "E", Rate: "0", Taxable: "800.00", VAT: "0.00", ExemptionReason: "Art. 132"}}
	v.Totals.Net, v.Totals.VAT, v.Totals.Gross = "14300.00", "2565.00", "16865.00"
	return v
}

// renderParts renders partsPage, and those of extra, for v with texts.
func renderParts(t *testing.T, texts Catalogue, v partsView, extra string) string {
	t.Helper()
	fsys := fstest.MapFS{"test/page.html": {Data: []byte(partsPage + extra)}}
	a := MustAssets("/t-assets/", "invoice", "page.css")
	discounted := Discounted(v.Lines, func(l partsLine) string { return l.DiscountPercent })
	funcs := template.FuncMap{"discounted": func() bool { return discounted }}
	p, err := parsePage(fsys, "test/page.html", texts, a, funcs)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := p.Render(&b, v.Lang, v, funcs); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestParts(t *testing.T) {
	a := MustAssets("/t-assets/", "invoice", "page.css")
	for _, file := range []string{"proposal/messages.json", "invoice/messages.json"} {
		texts := MustCatalogue(file)
		if err := texts.Check(PartsFile); err != nil {
			t.Errorf("%s lacks texts of the parts: %v", file, err)
		}
		for _, lang := range Languages {
			v := samplePartsView(lang)
			out := renderParts(t, texts, v, "")
			tx := func(key string, pairs ...string) string {
				s, _ := texts.Lookup(lang, key, pairs...)
				return template.HTMLEscapeString(s)
			}
			must := func(what, s string) {
				t.Helper()
				if !strings.Contains(out, s) {
					t.Errorf("%s %s: %s: no %q", file, lang, what, s)
				}
			}
			mustNot := func(what, s string) {
				t.Helper()
				if strings.Contains(out, s) {
					t.Errorf("%s %s: %s: %q", file, lang, what, s)
				}
			}

			// head
			for _, meta := range []string{`<meta charset="utf-8">`, `<meta name="viewport" content="width=device-width, initial-scale=1">`,
				`<meta name="robots" content="noindex">`, `<meta name="referrer" content="no-referrer">`,
				`<meta name="format-detection" content="telephone=no">`} {
				must("head", meta)
			}
			must("title", "<title>Doc N-1</title>")
			must("styles", `<link rel="stylesheet" href="`+a.URL("base.css")+`">`+"\n"+
				`<link rel="stylesheet" href="`+a.URL("page.css")+`">`+"\n</head>")

			// parties
			must("parties", `<h2>`+tx("from")+`</h2>`+"\n"+`<p class="party-name">Atelier Nord GmbH</p>`+"\n<p>Hafenstraße 4</p>\n<p>2. OG</p>\n<p>20457 Hamburg</p>")
			must("seller's country", "<p>"+locale.CountryName("DE", lang)+"</p>")
			must("VAT ID", "<p>"+tx("vat_id")+" DE123456789</p>")
			must("email", `<p><a href="mailto:hello@atelier-nord.example">hello@atelier-nord.example</a></p>`)
			must("buyer", `<h2>`+tx("to")+`</h2>`+"\n"+`<p class="party-name">Café Lumière SARL</p>`)
			if strings.Count(out, "mailto:") != 1 || strings.Count(out, tx("vat_id")+" ") != 1 {
				t.Errorf("%s %s: the buyer has an email address or VAT ID", file, lang)
			}

			// lines
			must("items", `<h2 id="items-heading">`+tx("items")+`</h2>`+"\n"+`<p class="amounts-in">`+tx("amounts_in", "currency", "EUR")+`</p>`)
			must("discount column", `<th scope="col" class="num">`+tx("col_discount")+`</th>`)
			must("line", `<tr class="line">`+"\n"+`<td class="col-description">Design`+"\n"+`three rounds</td>`+"\n"+
				`<td class="num" data-label="`+tx("col_quantity")+`">`+locale.Number("12.5", lang)+`</td>`+"\n"+
				`<td data-label="`+tx("col_unit")+`">h</td>`+"\n"+
				`<td class="num" data-label="`+tx("col_unit_price")+`">`+locale.Amount("1200.00", lang)+`</td>`+"\n"+
				`<td class="num" data-label="`+tx("col_discount")+`">`+locale.Rate("10", lang)+`</td>`+"\n"+
				`<td class="num" data-label="`+tx("col_vat")+`">`+locale.Rate("19", lang)+`</td>`+"\n"+
				`<td class="num net" data-label="`+tx("col_net")+`">`+locale.Amount("13500.00", lang)+`</td>`+"\n</tr>")
			must("an unknown unit as its code", `data-label="`+tx("col_unit")+`">XYZ<`)
			must("an exempt line's category", `data-label="`+tx("col_vat")+`">E<`)
			must("no discount", `data-label="`+tx("col_discount")+`"></td>`)

			// breakdown
			must("breakdown", `<table class="breakdown">`+"\n<caption>"+tx("vat_breakdown")+"</caption>")
			must("breakdown rows", `<tbody id="breakdown-rows">`)
			must("category", `<td data-label="`+tx("col_category")+`">`+template.HTMLEscapeString(texts.Category("S", lang))+`</td>`)
			must("exemption", template.HTMLEscapeString(texts.Category("E", lang))+`<span class="exemption">Art. 132</span>`)
			must("taxable", `<td class="num" data-label="`+tx("col_taxable")+`">`+locale.Amount("13500.00", lang)+`</td>`)
			must("rate", `<td class="num" data-label="`+tx("col_rate")+`">`+locale.Rate("0", lang)+`</td>`)

			// totals
			money := func(s string) string { return locale.Money(s, "EUR", lang) }
			must("totals", `<dl class="totals">`+"\n"+
				`<div><dt>`+tx("total_net")+`</dt><dd id="total-net" data-total="net">`+money("14300.00")+`</dd></div>`+"\n"+
				`<div><dt>`+tx("total_vat")+`</dt><dd id="total-vat" data-total="vat">`+money("2565.00")+`</dd></div>`+"\n"+
				`<div class="grand"><dt>`+tx("total_gross")+`</dt><dd id="total-gross" data-total="gross">`+money("16865.00")+`</dd></div>`+"\n</dl>")

			// footer
			must("footer", `<footer class="page-foot">`+"\n"+`<p class="sent-with">`+tx("sent_with")+`</p>`+"\n</footer>")
			mustNot("gone", "notice-gone")
		}
	}
}

func TestPartsVariants(t *testing.T) {
	texts := MustCatalogue("invoice/messages.json")

	// No discount: no discount column.
	v := samplePartsView("en")
	v.Lines[0].DiscountPercent = "0.00"
	out := renderParts(t, texts, v, "")
	if strings.Contains(out, "Disc.") || strings.Count(out, "<th ") != 6+4 {
		t.Errorf("a discount column without discounts:\n%s", out)
	}

	// A page's own lines of the footer.
	out = renderParts(t, texts, v, `{{define "foot-notes"}}
<p class="note">{{.Number}}</p>{{end}}`)
	if !strings.Contains(out, `<footer class="page-foot">`+"\n"+`<p class="note">N-1</p>`+"\n"+`<p class="sent-with">`) {
		t.Errorf("the page's foot notes are not in the footer:\n%s", out)
	}

	// An unknown link.
	out = renderParts(t, texts, partsView{State: "gone", Lang: "de"}, "")
	want := `<body>` + "\n" + `<section class="notice notice-gone" aria-labelledby="notice-heading">` + "\n" +
		`<h1 id="notice-heading">` + texts.Text("de", "gone_heading") + `</h1>` + "\n" +
		`<p>` + texts.Text("de", "gone_text") + `</p>` + "\n</section>\n<footer"
	if !strings.Contains(out, want) {
		t.Errorf("the page of an unknown link:\n%s", out)
	}

	// Everything a party or line carries is escaped.
	v = samplePartsView("en")
	v.Seller.Name, v.Buyer.AddressLine = `Evil "Corp" <i>`, "<img src=x onerror=alert(1)>"
	v.Seller.Email = `a@b.example"><script>alert(2)</script>`
	v.Lines[0].Description = "</td><script>alert(3)</script>"
	v.Breakdown[1].ExemptionReason = "<u>exempt</u>"
	out = renderParts(t, texts, v, "")
	for _, bad := range []string{"<script>", "<i>", "<img", "<u>", `"><script`} {
		if strings.Contains(out, bad) {
			t.Errorf("unescaped %q", bad)
		}
	}
	for _, good := range []string{"Evil &#34;Corp&#34; &lt;i&gt;", "&lt;img src=x onerror=alert(1)&gt;",
		"&lt;/td&gt;&lt;script&gt;alert(3)&lt;/script&gt;", "&lt;u&gt;exempt&lt;/u&gt;"} {
		if !strings.Contains(out, good) {
			t.Errorf("no %q", good)
		}
	}

	// A page without its "line" does not render.
	fsys := fstest.MapFS{"x/page.html": {Data: []byte(`{{define "title"}}x{{end}}{{template "lines" .Lines}}`)}}
	funcs := template.FuncMap{"discounted": func() bool { return false }}
	p, err := parsePage(fsys, "x/page.html", texts, MustAssets("/x/", "invoice", "page.css"), funcs)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := p.Render(&b, "en", samplePartsView("en"), funcs); err == nil || b.Len() != 0 {
		t.Errorf("a page without its line: %v, %d bytes", err, b.Len())
	}
	// nor one without the functions the parts use
	if _, err := parsePage(fsys, "x/page.html", texts, MustAssets("/x/", "invoice", "page.css"), nil); err == nil {
		t.Error("a page without discounted parses")
	}
}
