// Package publicpagetest holds the checks that the tests of every public
// page (hooks/proposals, hooks/payments) make of it: of the page as
// rendered, in its states and languages, and of its assets route. What
// the shared parts (templates/public/parts.html) write is tested in
// hooks/publicpage itself; a page's own tests check what is its alone.
package publicpagetest

import (
	"errors"
	"html/template"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/kontor-app/kontor/hooks/publicpage"
	"github.com/kontor-app/kontor/locale"
)

// Token is a link's secret for the pages' sample views.
const Token = "k3Y_secret-Token_0123456789abcdefghijklmnopq"

// Seller and Buyer are the parties of the pages' sample documents: a
// seller with an address of two lines, a VAT ID and an email address, a
// buyer abroad without email.
var (
	Seller = publicpage.Party{Name: "Atelier Nord GmbH", AddressLine: "Hafenstraße 4\n2. OG", PostalCode: "20457", City: "Hamburg",
		Country: "DE", VATID: "DE123456789", Email: "hello@atelier-nord.example"}
	Buyer = publicpage.Party{Name: "Café Lumière SARL", AddressLine: "12 rue des Lilas", PostalCode: "75011", City: "Paris",
		Country: "FR", VATID: "FR12345678901"}
)

// Esc is s as html/template writes it in text.
func Esc(s string) string { return template.HTMLEscapeString(s) }

// Page is a rendered public page, to check.
type Page struct {
	T     testing.TB
	Out   string               // the page as rendered
	Lang  string               // the language it was rendered in
	Texts publicpage.Catalogue // its texts
}

// Tx is the text of key in the page's language, escaped as on the page.
func (p Page) Tx(key string, pairs ...string) string {
	p.T.Helper()
	s, ok := p.Texts.Lookup(p.Lang, key, pairs...)
	if !ok {
		p.T.Fatalf("no text %q", key)
	}
	return Esc(s)
}

// Must reports an error, about what, when the page lacks s.
func (p Page) Must(what, s string) {
	p.T.Helper()
	if !strings.Contains(p.Out, s) {
		p.T.Errorf("%s: the page lacks %q", what, s)
	}
}

// MustNot reports an error, about what, when the page has s.
func (p Page) MustNot(what, s string) {
	p.T.Helper()
	if strings.Contains(p.Out, s) {
		p.T.Errorf("%s: the page has %q", what, s)
	}
}

// Before reports an error, about what, unless a comes before b on the
// page.
func (p Page) Before(what, a, b string) {
	p.T.Helper()
	if i, j := strings.Index(p.Out, a), strings.Index(p.Out, b); i < 0 || j < 0 || i > j {
		p.T.Errorf("%s: %q is not before %q", what, a, b)
	}
}

var (
	placeholderRE = regexp.MustCompile(`\{[A-Za-z_]+\}`)
	scriptTagRE   = regexp.MustCompile(`<script[^>]*>`)
)

// Common checks what a public page holds in every state: its texts all
// filled in (no placeholder left, no key shown for a text); a head in its
// language that keeps it out of search engines and referrers, linking
// base.css then page.css of assets, with no script but the assets named
// in scripts; nothing loaded from elsewhere, no inline script or style;
// and its footer.
func (p Page) Common(assets *publicpage.Assets, scripts ...string) {
	p.T.Helper()
	if m := placeholderRE.FindString(p.Out); m != "" {
		p.T.Errorf("placeholder left: %s", m)
	}
	for key := range p.Texts[publicpage.Languages[0]] {
		if strings.Contains(key, "_") && strings.Contains(p.Out, key) {
			p.T.Errorf("raw key %q on the page", key)
		}
	}

	p.Must("lang", `<html lang="`+p.Lang+`">`)
	p.Must("charset", `<meta charset="utf-8">`)
	p.Must("viewport", `<meta name="viewport" content="width=device-width, initial-scale=1">`)
	p.Must("robots", `<meta name="robots" content="noindex">`)
	p.Must("referrer", `<meta name="referrer" content="no-referrer">`)
	base := `<link rel="stylesheet" href="` + assets.URL("base.css") + `">`
	own := `<link rel="stylesheet" href="` + assets.URL("page.css") + `">`
	p.Must("shared style", base)
	p.Must("style", own)
	p.Before("the shared style first", base, own)
	tags := scriptTagRE.FindAllString(p.Out, -1)
	if len(tags) != len(scripts) {
		p.T.Errorf("script tags %q, want %d", tags, len(scripts))
	}
	for i, name := range scripts {
		if i < len(tags) && !strings.Contains(tags[i], ` src="`+assets.URL(name)+`"`) {
			p.T.Errorf("script tag %s is not of %s", tags[i], name)
		}
	}
	// the SVG namespace (of the invoice's QR code) is a name, not a resource
	bare := Page{T: p.T, Out: strings.ReplaceAll(p.Out, `xmlns="http://www.w3.org/2000/svg"`, ""), Lang: p.Lang, Texts: p.Texts}
	for _, bad := range []string{"http://", "https://", "//cdn", " style=", "<style", " onclick", " onload", " onerror",
		" onsubmit", "javascript:", "<img", "<iframe"} {
		bare.MustNot("external or inline", bad)
	}
	p.Must("footer", `<p class="sent-with">`+p.Tx("sent_with")+`</p>`)
}

// Gone checks the page of an unknown link: its title and notice, and no
// form, table, nor any address of the link's token.
func (p Page) Gone(token string) {
	p.T.Helper()
	p.Must("title", "<title>"+p.Tx("title_gone")+"</title>")
	p.Must("gone", `<h1 id="notice-heading">`+p.Tx("gone_heading")+`</h1>`)
	p.Must("gone", p.Tx("gone_text"))
	p.MustNot("gone", "<form")
	p.MustNot("gone", "<table")
	p.MustNot("gone", token+"/")
}

// Document is what a page shows of its document, for Page.Document: the
// parties, a line and the totals.
type Document struct {
	Seller, Buyer   publicpage.Party
	Line            Line
	Currency        string
	Net, VAT, Gross string // the totals, decimal strings
}

// Line is a line of a Document, as decimal strings.
type Line struct {
	Description, Quantity, UnitCode, UnitPrice, DiscountPercent, VATCategory, VATRate, NetAmount string
}

// Document checks that the page shows d in its language: the parties with
// their addresses, the line in the table of lines, and the totals.
func (p Page) Document(d Document) {
	p.T.Helper()
	for _, party := range []publicpage.Party{d.Seller, d.Buyer} {
		p.Must("party", `<p class="party-name">`+Esc(party.Name)+`</p>`)
		for _, l := range publicpage.Address(party.AddressLine, party.PostalCode, party.City, party.Country, p.Lang) {
			p.Must("address", "<p>"+Esc(l)+"</p>")
		}
		if party.VATID != "" {
			p.Must("VAT ID", "<p>"+p.Tx("vat_id")+" "+Esc(party.VATID)+"</p>")
		}
	}
	p.Must("country", Esc(locale.CountryName(d.Buyer.Country, p.Lang)))
	p.Must("currency", p.Tx("amounts_in", "currency", d.Currency))

	l := d.Line
	p.Must("description", `<span class="description">`+Esc(l.Description)+`</span>`)
	p.Must("quantity", `data-label="`+p.Tx("col_quantity")+`">`+locale.Number(l.Quantity, p.Lang)+"<")
	p.Must("unit", `data-label="`+p.Tx("col_unit")+`">`+Esc(p.Texts.Unit(l.UnitCode, p.Lang))+"<")
	p.Must("unit price", `data-label="`+p.Tx("col_unit_price")+`">`+locale.Amount(l.UnitPrice, p.Lang)+"<")
	if !publicpage.IsZero(l.DiscountPercent) {
		p.Must("discount", `data-label="`+p.Tx("col_discount")+`">`+Esc(publicpage.Discount(l.DiscountPercent, p.Lang))+"<")
	}
	p.Must("VAT", `data-label="`+p.Tx("col_vat")+`">`+Esc(publicpage.LineVAT(l.VATCategory, l.VATRate, p.Lang))+"<")
	p.Must("net", `data-label="`+p.Tx("col_net")+`">`+locale.Amount(l.NetAmount, p.Lang)+"<")
	p.Must("category", Esc(p.Texts.Category(l.VATCategory, p.Lang)))

	money := func(s string) string { return locale.Money(s, d.Currency, p.Lang) }
	p.Must("total net", `id="total-net" data-total="net">`+money(d.Net)+"<")
	p.Must("total VAT", `id="total-vat" data-total="vat">`+money(d.VAT)+"<")
	p.Must("total gross", `id="total-gross" data-total="gross">`+money(d.Gross)+"<")
}

// Messages checks the texts of keys that a page's handlers show: each
// one in every language, translated from the fallback, which an unknown
// language gets; and a key missing given as itself.
func Messages(t testing.TB, texts publicpage.Catalogue, keys ...string) {
	t.Helper()
	fallback := publicpage.Languages[0]
	for _, key := range keys {
		for _, lang := range publicpage.Languages {
			s := texts.Text(lang, key)
			switch {
			case s == key || s == "":
				t.Errorf("%s: %s is %q", lang, key, s)
			case lang != fallback && s == texts.Text(fallback, key):
				t.Errorf("%s is not translated into %s", key, lang)
			}
		}
		if got, want := texts.Text("xx", key), texts.Text(fallback, key); got != want {
			t.Errorf("%s in an unknown language is %q, want %q", key, got, want)
		}
	}
	if got := texts.Text(fallback, "no_such_key"); got != "no_such_key" {
		t.Errorf("a missing key gives %q", got)
	}
}

// Serve runs route, the handler of GET {prefix}{file}, for file.
func Serve(t testing.TB, route func(*core.RequestEvent) error, prefix, file string, header http.Header) (*httptest.ResponseRecorder, error) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, prefix+"x", nil)
	req.SetPathValue("file", file)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	e := &core.RequestEvent{}
	e.Request, e.Response = req, rec
	return rec, route(e)
}

// contentTypes are the content types of the assets, by extension.
var contentTypes = map[string]string{
	".css": "text/css; charset=utf-8",
	".js":  "text/javascript; charset=utf-8",
}

// Assets checks route, a page's assets route under prefix, serving
// assets: base.css, and each file of files (a name and a string its body
// holds), with its content type, a long cache, nosniff, and an ETag that
// is the version of its address and answers If-None-Match with a 304; a
// style that loads nothing from elsewhere; and a 404 without a body for
// a name of notFound and for the names no page serves: other files of
// the templates, paths, other cases.
func Assets(t *testing.T, route func(*core.RequestEvent) error, assets *publicpage.Assets, prefix string,
	files map[string]string, notFound ...string) {
	t.Helper()
	all := map[string]string{"base.css": ":root"}
	for name, marker := range files {
		all[name] = marker
	}
	for name, marker := range all {
		rec, err := Serve(t, route, prefix, name, nil)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		body := rec.Body.String()
		h := rec.Header()
		if rec.Code != http.StatusOK {
			t.Errorf("%s: status %d", name, rec.Code)
		}
		if ct := h.Get("Content-Type"); ct != contentTypes[path.Ext(name)] {
			t.Errorf("%s: Content-Type %q", name, ct)
		}
		if cc := h.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", name, cc)
		}
		if nosniff := h.Get("X-Content-Type-Options"); nosniff != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", name, nosniff)
		}
		if !strings.Contains(body, marker) {
			t.Errorf("%s: the body is not the file: no %q", name, marker)
		}
		if path.Ext(name) == ".css" {
			for _, bad := range []string{"@import", "url(", "http"} {
				if strings.Contains(body, bad) {
					t.Errorf("%s loads something: %q", name, bad)
				}
			}
		}
		etag := h.Get("ETag")
		if etag == "" {
			t.Errorf("%s: no ETag", name)
			continue
		}
		if url := assets.URL(name); url != prefix+name+"?v="+strings.Trim(etag, `"`) {
			t.Errorf("%s: the page's URL %s is not versioned by the ETag %s", name, url, etag)
		}
		rec, err = Serve(t, route, prefix, name, http.Header{"If-None-Match": {etag}})
		if err != nil || rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
			t.Errorf("%s: If-None-Match gives %d, %v", name, rec.Code, err)
		}
	}

	for _, file := range append([]string{"../x", "", "page.html", "messages.json", "../templates.go", "../invoice.html",
		"parts.html", "../public/base.css", "public/base.css", "BASE.CSS", "base.css/"}, notFound...) {
		rec, err := Serve(t, route, prefix, file, nil)
		var apiErr *router.ApiError
		if !errors.As(err, &apiErr) || apiErr.Status != http.StatusNotFound {
			t.Errorf("%q: error %v, want a 404", file, err)
		}
		if rec.Body.Len() != 0 {
			t.Errorf("%q: a body was written", file)
		}
	}
}
