package proposals

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/locale"
	"github.com/kontor-app/kontor/money"
	"github.com/kontor-app/kontor/templates"
)

// The public page of a proposal, /p/{token}: templates/proposal/page.html
// with its texts in templates/proposal/messages.json, and its script and
// style, page.js and page.css, served by assetsRoute. The page carries no
// inline script or style, so a strict Content-Security-Policy
// (script-src 'self'; style-src 'self') applies to it.

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
type pageParty struct{ Name, AddressLine, PostalCode, City, Country, VATID, Email string }

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
type pageBreakdown struct{ Category, Rate, Taxable, VAT, ExemptionReason string }

// pageForm is what the buyer typed in a refused submission.
type pageForm struct{ Name, Email, Reason string }

// pageLanguages are the languages of the page; the first is the fallback.
var pageLanguages = []string{"en", "es", "de", "fr", "it"}

// pageCatalogue holds the page's texts by language and key; placeholders
// are written {name}.
var pageCatalogue = func() map[string]map[string]string {
	raw, err := templates.FS.ReadFile("proposal/messages.json")
	if err != nil {
		panic("proposals: " + err.Error())
	}
	var c map[string]map[string]string
	if err := json.Unmarshal(raw, &c); err != nil {
		panic("proposals: proposal/messages.json: " + err.Error())
	}
	return c
}()

// pageLang returns lang when the page is written in it, else English.
func pageLang(lang string) string {
	if _, ok := pageCatalogue[lang]; ok {
		return lang
	}
	return pageLanguages[0]
}

// pageText returns the text of key in lang (fallback English), for messages
// the handlers show in v.Error, e.g. pageText(lang, "error_name").
func pageText(lang, key string) string {
	s, _ := pageLookup(lang, key)
	return s
}

// pageLookup returns the text of key in lang with its placeholders filled
// from pairs of name and value. A key missing in lang falls back to
// English; one missing there too is returned as itself, with false.
func pageLookup(lang, key string, pairs ...string) (string, bool) {
	s, ok := pageCatalogue[pageLang(lang)][key]
	if !ok {
		if s, ok = pageCatalogue[pageLanguages[0]][key]; !ok {
			return key, false
		}
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		s = strings.ReplaceAll(s, "{"+pairs[i]+"}", pairs[i+1])
	}
	return s, true
}

// pageAsset is a file served under /p-assets/.
type pageAsset struct {
	contentType string
	body        []byte
	etag        string
}

// pageAssets are the page's script and style, by file name.
var pageAssets = func() map[string]pageAsset {
	out := map[string]pageAsset{}
	for name, contentType := range map[string]string{
		"page.js":  "text/javascript; charset=utf-8",
		"page.css": "text/css; charset=utf-8",
	} {
		body, err := templates.FS.ReadFile("proposal/" + name)
		if err != nil {
			panic("proposals: " + err.Error())
		}
		sum := sha256.Sum256(body)
		out[name] = pageAsset{contentType: contentType, body: body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	}
	return out
}()

// pageAssetURL is the address of an asset, versioned by its content so
// that the long cache never serves a stale file after an upgrade.
func pageAssetURL(name string) string {
	a, ok := pageAssets[name]
	if !ok {
		return "/p-assets/" + name
	}
	return "/p-assets/" + name + "?v=" + strings.Trim(a.etag, `"`)
}

// assetsRoute serves GET /p-assets/{file}: page.js and page.css, embedded,
// with a long cache and the right content type; anything else 404.
func assetsRoute(e *core.RequestEvent) error {
	a, ok := pageAssets[e.Request.PathValue("file")]
	if !ok {
		return e.NotFoundError("", nil)
	}
	h := e.Response.Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", a.etag)
	if match := e.Request.Header.Get("If-None-Match"); match != "" && strings.Contains(match, a.etag) {
		return e.NoContent(http.StatusNotModified)
	}
	return e.Blob(http.StatusOK, a.contentType, a.body)
}

// pageTemplate is page.html, parsed once; each render runs a clone with
// the functions of its language.
var pageTemplate = template.Must(template.New("page.html").
	Funcs(pageFuncs(pageView{Lang: pageLanguages[0]})).
	ParseFS(templates.FS, "proposal/page.html"))

// renderPage writes the page for v.
func renderPage(w io.Writer, v pageView) error {
	v.Lang = pageLang(v.Lang)
	t, err := pageTemplate.Clone()
	if err != nil {
		return err
	}
	t.Funcs(pageFuncs(v))
	var b bytes.Buffer
	if err := t.Execute(&b, v); err != nil {
		return fmt.Errorf("proposals: page: %w", err)
	}
	_, err = w.Write(b.Bytes())
	return err
}

// pageFuncs are the template functions of the page of v.
func pageFuncs(v pageView) template.FuncMap {
	lang := v.Lang
	return template.FuncMap{
		// t fails on a key missing even in English, so that a page never
		// shows a raw key.
		"t": func(key string, pairs ...string) (string, error) {
			s, ok := pageLookup(lang, key, pairs...)
			if !ok {
				return "", fmt.Errorf("no text %q", key)
			}
			return s, nil
		},
		"asset":      pageAssetURL,
		"date":       func(s string) string { return locale.Date(s, lang) },
		"datetime":   func(s string) string { return pageDateTime(s, lang) },
		"number":     func(s string) string { return locale.Number(s, lang) },
		"amount":     func(s string) string { return locale.Amount(s, lang) },
		"money":      func(s, currency string) string { return locale.Money(s, currency, lang) },
		"rate":       func(s string) string { return locale.Rate(pageOrZero(s), lang) },
		"discount":   func(s string) string { return pageDiscount(s, lang) },
		"unit":       func(code string) string { return pageUnit(code, lang) },
		"category":   func(code string) string { return pageCategory(code, lang) },
		"lineVAT":    func(category, rate string) string { return pageLineVAT(category, rate, lang) },
		"address":    func(p pageParty) []string { return pageAddress(p, lang) },
		"paragraphs": pageParagraphs,
		"hasOptional": func(lines []pageLine) bool {
			for _, l := range lines {
				if l.Optional {
					return true
				}
			}
			return false
		},
		"hasDiscount": func(lines []pageLine) bool {
			for _, l := range lines {
				if !pageIsZero(l.DiscountPercent) {
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

// pageDateTime prints an RFC 3339 time as its date and time in UTC; a
// plain date as a date, and anything else as it is.
func pageDateTime(s, lang string) string {
	s = strings.TrimSpace(s)
	if _, err := time.Parse("2006-01-02", s); err == nil {
		return locale.Date(s, lang)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	t = t.UTC()
	s, _ = pageLookup(lang, "datetime", "date", locale.Date(t.Format("2006-01-02"), lang), "time", t.Format("15:04"))
	return s
}

// pageUniversalUnits are unit symbols written alike in every language; the
// others come from the catalogue (unit_<code>).
var pageUniversalUnits = map[string]string{
	"HUR": "h", "MIN": "min", "SEC": "s",
	"KGM": "kg", "GRM": "g", "TNE": "t",
	"MTR": "m", "KMT": "km", "CMT": "cm", "MMT": "mm", "MTK": "m²", "MTQ": "m³",
	"LTR": "l", "MLT": "ml", "KWH": "kWh", "KWT": "kW", "P1": "%",
}

// pageUnit returns a readable label for a UN/ECE Recommendation 20 unit
// code, or the code itself.
func pageUnit(code, lang string) string {
	if u, ok := pageUniversalUnits[code]; ok {
		return u
	}
	if s, ok := pageLookup(lang, "unit_"+code); ok {
		return s
	}
	return code
}

// pageCategory names a VAT category with its code, e.g. "Reverse charge (AE)".
func pageCategory(code, lang string) string {
	if code == "" {
		return ""
	}
	if s, ok := pageLookup(lang, "category_"+code); ok {
		return s + " (" + code + ")"
	}
	return code
}

// pageLineVAT is a line's VAT column: its rate for the categories that
// have one, else the category's code.
func pageLineVAT(category, rate, lang string) string {
	switch category {
	case "", "S", "L", "M":
		return locale.Rate(pageOrZero(rate), lang)
	}
	return category
}

// pageDiscount prints a discount percentage, or nothing for none.
func pageDiscount(s, lang string) string {
	if pageIsZero(s) {
		return ""
	}
	return locale.Rate(strings.TrimSpace(s), lang)
}

// pageAddress returns the lines of a party's postal address, its country
// named in the language.
func pageAddress(p pageParty, lang string) []string {
	var out []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	for _, l := range strings.Split(strings.ReplaceAll(p.AddressLine, "\r\n", "\n"), "\n") {
		add(l)
	}
	add(p.PostalCode + " " + p.City)
	if p.Country != "" {
		add(locale.CountryName(p.Country, lang))
	}
	return out
}

// pageBlankLines separate the paragraphs of a text.
var pageBlankLines = regexp.MustCompile(`\n[ \t]*\n`)

// pageParagraphs splits a text into its paragraphs, on blank lines; the
// page keeps the single line breaks within one.
func pageParagraphs(s string) []string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var out []string
	for _, p := range pageBlankLines.Split(s, -1) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func pageOrZero(s string) string {
	if strings.TrimSpace(s) == "" {
		return "0"
	}
	return s
}

func pageIsZero(s string) bool {
	d, err := money.Parse(pageOrZero(s))
	return err != nil || d.IsZero()
}
