// Package publicpage holds what Kontor's public pages share, the pages a
// buyer opens from a link without an account: the proposal page
// (/p/{token}, hooks/proposals) and the invoice page (/i/{token},
// hooks/payments). Each is an html/template of templates.FS with its texts
// in every language in a messages.json beside it, and its style (and
// script) served as files with a long cache, at an address versioned by
// their content, so that a strict Content-Security-Policy (script-src
// 'self'; style-src 'self') applies to the page.
//
// What the pages have in common is written once, in templates/public: the
// named templates of parts.html (head, parties, lines, VAT breakdown,
// totals, footer), parsed with every page, and the stylesheet base.css,
// served by every page's Assets and linked before the page's own
// page.css.
//
// Page renders such a template with the functions every public page uses:
// its texts ("t"), its assets ("asset"), addresses, and numbers, amounts,
// rates, dates, IBANs, units and VAT categories written in the page's
// language through package locale.
package publicpage

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/locale"
	"github.com/kontor-app/kontor/money"
	"github.com/kontor-app/kontor/templates"
)

// Languages are the languages of the public pages; the first is the
// fallback.
var Languages = []string{"en", "es", "de", "fr", "it"}

// sharedDir is the directory of templates.FS with what the pages share.
const sharedDir = "public"

// PartsFile holds the named templates every page is parsed with.
const PartsFile = sharedDir + "/parts.html"

// sharedAssets are the files of sharedDir that every page's Assets serve
// beside its own: base.css, the style the pages share.
var sharedAssets = []string{"base.css"}

// Party is a seller or buyer as the pages show them (the template "party").
type Party struct{ Name, AddressLine, PostalCode, City, Country, VATID, Email string }

// Breakdown is a row of a page's VAT breakdown (the template "breakdown"),
// as decimal strings.
type Breakdown struct{ Category, Rate, Taxable, VAT, ExemptionReason string }

// Catalogue holds a page's texts by language and key, as its
// messages.json; placeholders are written {name}.
type Catalogue map[string]map[string]string

// MustCatalogue reads a catalogue of templates.FS, e.g.
// "proposal/messages.json". It panics when the file is missing or not a
// catalogue: it is embedded, so that is a bug of the build.
func MustCatalogue(file string) Catalogue {
	raw, err := templates.FS.ReadFile(file)
	if err != nil {
		panic("publicpage: " + err.Error())
	}
	var c Catalogue
	if err := json.Unmarshal(raw, &c); err != nil {
		panic("publicpage: " + file + ": " + err.Error())
	}
	return c
}

// Lang returns lang when the catalogue has it, else the fallback.
func (c Catalogue) Lang(lang string) string {
	if _, ok := c[lang]; ok {
		return lang
	}
	return Languages[0]
}

// Lookup returns the text of key in lang with its placeholders filled from
// pairs of name and value. A key missing in lang falls back to the
// fallback language; one missing there too is returned as itself, with
// false.
func (c Catalogue) Lookup(lang, key string, pairs ...string) (string, bool) {
	s, ok := c[c.Lang(lang)][key]
	if !ok {
		if s, ok = c[Languages[0]][key]; !ok {
			return key, false
		}
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		s = strings.ReplaceAll(s, "{"+pairs[i]+"}", pairs[i+1])
	}
	return s, true
}

// Text returns the text of key in lang, or the key itself when it has
// none; for the messages handlers put on a page.
func (c Catalogue) Text(lang, key string) string {
	s, _ := c.Lookup(lang, key)
	return s
}

// placeholderRE matches a placeholder of a text.
var placeholderRE = regexp.MustCompile(`\{[A-Za-z_]+\}`)

// templateKeyRE matches a literal key given to "t" in a template.
var templateKeyRE = regexp.MustCompile(`\bt "([^"]+)"`)

// Check reports what is wrong with the catalogue: a language other than
// Languages or one missing, a key missing or empty in a language, a text
// whose placeholders differ from the fallback's, and a key the template
// files given use (t "key") that the fallback lacks. For the tests of each
// page.
func (c Catalogue) Check(templateFiles ...string) error {
	var errs []error
	known := map[string]bool{}
	for _, lang := range Languages {
		known[lang] = true
		if _, ok := c[lang]; !ok {
			errs = append(errs, fmt.Errorf("no texts in %s", lang))
		}
	}
	keys := map[string]bool{}
	for lang, texts := range c {
		if !known[lang] {
			errs = append(errs, fmt.Errorf("unexpected language %q", lang))
		}
		for key := range texts {
			keys[key] = true
		}
	}
	sorted := make([]string, 0, len(keys))
	for key := range keys {
		sorted = append(sorted, key)
	}
	sort.Strings(sorted)
	fallback := c[Languages[0]]
	for _, lang := range Languages {
		texts, ok := c[lang]
		if !ok {
			continue
		}
		for _, key := range sorted {
			s, ok := texts[key]
			switch {
			case !ok:
				errs = append(errs, fmt.Errorf("%s: no %q", lang, key))
			case strings.TrimSpace(s) == "":
				errs = append(errs, fmt.Errorf("%s: %q is empty", lang, key))
			case placeholders(s) != placeholders(fallback[key]):
				errs = append(errs, fmt.Errorf("%s: %q has placeholders %s, %s %s", lang, key,
					placeholders(s), Languages[0], placeholders(fallback[key])))
			}
		}
	}
	for _, file := range templateFiles {
		raw, err := templates.FS.ReadFile(file)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, m := range templateKeyRE.FindAllStringSubmatch(string(raw), -1) {
			if _, ok := fallback[m[1]]; !ok {
				errs = append(errs, fmt.Errorf("%s uses %q, which is not in the catalogue", file, m[1]))
			}
		}
	}
	return errors.Join(errs...)
}

// placeholders lists the distinct placeholders of a text, sorted.
func placeholders(s string) string {
	found := placeholderRE.FindAllString(s, -1)
	sort.Strings(found)
	out := found[:0]
	for i, p := range found {
		if i == 0 || p != found[i-1] {
			out = append(out, p)
		}
	}
	return "[" + strings.Join(out, " ") + "]"
}

// universalUnits are unit symbols written alike in every language; the
// others come from the catalogue (unit_<code>).
var universalUnits = map[string]string{
	"HUR": "h", "MIN": "min", "SEC": "s",
	"KGM": "kg", "GRM": "g", "TNE": "t",
	"MTR": "m", "KMT": "km", "CMT": "cm", "MMT": "mm", "MTK": "m²", "MTQ": "m³",
	"LTR": "l", "MLT": "ml", "KWH": "kWh", "KWT": "kW", "P1": "%",
}

// Unit returns a readable label for a UN/ECE Recommendation 20 unit code,
// or the code itself.
func (c Catalogue) Unit(code, lang string) string {
	if u, ok := universalUnits[code]; ok {
		return u
	}
	if s, ok := c.Lookup(lang, "unit_"+code); ok {
		return s
	}
	return code
}

// Category names a VAT category with its code, e.g. "Reverse charge (AE)",
// from the catalogue (category_<code>); an unknown one is its code.
func (c Catalogue) Category(code, lang string) string {
	if code == "" {
		return ""
	}
	if s, ok := c.Lookup(lang, "category_"+code); ok {
		return s + " (" + code + ")"
	}
	return code
}

// DateTime prints an RFC 3339 time as its date and time in UTC, through
// the catalogue's "datetime" ({date}, {time}); a plain date as a date, and
// anything else as it is.
func (c Catalogue) DateTime(s, lang string) string {
	s = strings.TrimSpace(s)
	if _, err := time.Parse("2006-01-02", s); err == nil {
		return locale.Date(s, lang)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	t = t.UTC()
	s, _ = c.Lookup(lang, "datetime", "date", locale.Date(t.Format("2006-01-02"), lang), "time", t.Format("15:04"))
	return s
}

// LineVAT is a line's VAT column: its rate for the categories that have
// one, else the category's code.
func LineVAT(category, rate, lang string) string {
	switch category {
	case "", "S", "L", "M":
		return locale.Rate(OrZero(rate), lang)
	}
	return category
}

// Discounted says a line of lines has a discount, its percentage read by
// percent: a page's function "discounted", for which the table of lines
// shows its discount column.
func Discounted[L any](lines []L, percent func(L) string) bool {
	for _, l := range lines {
		if !IsZero(percent(l)) {
			return true
		}
	}
	return false
}

// Discount prints a discount percentage, or nothing for none.
func Discount(s, lang string) string {
	if IsZero(s) {
		return ""
	}
	return locale.Rate(strings.TrimSpace(s), lang)
}

// Address returns the lines of a postal address, its country named in the
// language; blank parts are left out.
func Address(addressLine, postalCode, city, country, lang string) []string {
	var out []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	for _, l := range strings.Split(strings.ReplaceAll(addressLine, "\r\n", "\n"), "\n") {
		add(l)
	}
	add(postalCode + " " + city)
	if country != "" {
		add(locale.CountryName(country, lang))
	}
	return out
}

// blankLines separate the paragraphs of a text.
var blankLines = regexp.MustCompile(`\n[ \t]*\n`)

// Paragraphs splits a text into its paragraphs, on blank lines; the
// single line breaks within one are kept.
func Paragraphs(s string) []string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var out []string
	for _, p := range blankLines.Split(s, -1) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// OrZero is s, or "0" when blank.
func OrZero(s string) string {
	if strings.TrimSpace(s) == "" {
		return "0"
	}
	return s
}

// IsZero says a decimal string is blank, zero or not a number.
func IsZero(s string) bool {
	d, err := money.Parse(OrZero(s))
	return err != nil || d.IsZero()
}

// asset is a file served by Assets.
type asset struct {
	contentType string
	body        []byte
	etag        string
}

// Assets are a page's style and script, embedded, served under a prefix
// such as "/p-assets/": the shared base.css and the page's own files.
type Assets struct {
	prefix string
	files  map[string]asset
}

// assetTypes are the content types of the files Assets serves, by
// extension.
var assetTypes = map[string]string{
	".css": "text/css; charset=utf-8",
	".js":  "text/javascript; charset=utf-8",
}

// MustAssets loads the shared base.css and the files named from the
// directory dir of templates.FS, to serve under prefix (e.g.
// "/p-assets/"). It panics on a file missing, of a kind it does not serve,
// or named as a shared one.
func MustAssets(prefix, dir string, names ...string) *Assets {
	a := &Assets{prefix: prefix, files: map[string]asset{}}
	for _, name := range sharedAssets {
		a.mustLoad(sharedDir, name)
	}
	for _, name := range names {
		if _, ok := a.files[name]; ok {
			panic("publicpage: " + name + " is a shared asset")
		}
		a.mustLoad(dir, name)
	}
	return a
}

// mustLoad adds the file name of the directory dir of templates.FS.
func (a *Assets) mustLoad(dir, name string) {
	contentType, ok := assetTypes[path.Ext(name)]
	if !ok {
		panic("publicpage: no content type for " + name)
	}
	body, err := templates.FS.ReadFile(path.Join(dir, name))
	if err != nil {
		panic("publicpage: " + err.Error())
	}
	sum := sha256.Sum256(body)
	a.files[name] = asset{contentType: contentType, body: body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
}

// URL is the address of an asset, versioned by its content so that the
// long cache never serves a stale file after an upgrade.
func (a *Assets) URL(name string) string {
	f, ok := a.files[name]
	if !ok {
		return a.prefix + name
	}
	return a.prefix + name + "?v=" + strings.Trim(f.etag, `"`)
}

// Serve answers GET {prefix}{file}: an asset with a long cache, its ETag
// and content type; any other name is a 404.
func (a *Assets) Serve(e *core.RequestEvent) error {
	f, ok := a.files[e.Request.PathValue("file")]
	if !ok {
		return e.NotFoundError("", nil)
	}
	h := e.Response.Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", f.etag)
	if match := e.Request.Header.Get("If-None-Match"); match != "" && strings.Contains(match, f.etag) {
		return e.NoContent(http.StatusNotModified)
	}
	return e.Blob(http.StatusOK, f.contentType, f.body)
}

// Page is a public page: its template, texts and assets.
type Page struct {
	Texts  Catalogue
	Assets *Assets
	tmpl   *template.Template
	file   string
}

// MustPage parses a template of templates.FS, e.g. "proposal/page.html",
// with the shared parts (PartsFile), the shared functions and the page's
// own, extra, whose values Render may replace. It panics when the
// template does not parse.
func MustPage(file string, texts Catalogue, assets *Assets, extra template.FuncMap) *Page {
	p, err := parsePage(templates.FS, file, texts, assets, extra)
	if err != nil {
		panic("publicpage: " + err.Error())
	}
	return p
}

// parsePage is MustPage with the page's file read from fsys; the shared
// parts are always those of templates.FS.
func parsePage(fsys fs.FS, file string, texts Catalogue, assets *Assets, extra template.FuncMap) (*Page, error) {
	p := &Page{Texts: texts, Assets: assets, file: file}
	t := template.New(path.Base(file)).Funcs(p.Funcs(Languages[0])).Funcs(extra)
	if _, err := t.ParseFS(templates.FS, PartsFile); err != nil {
		return nil, err
	}
	if _, err := t.ParseFS(fsys, file); err != nil {
		return nil, err
	}
	p.tmpl = t
	return p, nil
}

// CheckTexts is Texts.Check of the page's template and the shared parts:
// what is wrong with its catalogue, for the tests of each page.
func (p *Page) CheckTexts() error {
	return p.Texts.Check(PartsFile, p.file)
}

// Render writes the page with data in lang (which it does not resolve:
// pass Texts.Lang's), with the shared functions of lang and the extra
// ones given, which replace those of MustPage. Nothing is written when
// the template fails.
func (p *Page) Render(w io.Writer, lang string, data any, extra template.FuncMap) error {
	t, err := p.tmpl.Clone()
	if err != nil {
		return err
	}
	t.Funcs(p.Funcs(lang)).Funcs(extra)
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return err
	}
	_, err = w.Write(b.Bytes())
	return err
}

// Funcs are the shared template functions in lang.
func (p *Page) Funcs(lang string) template.FuncMap {
	c := p.Texts
	return template.FuncMap{
		// t fails on a key missing even in the fallback, so that a page
		// never shows a raw key.
		"t": func(key string, pairs ...string) (string, error) {
			s, ok := c.Lookup(lang, key, pairs...)
			if !ok {
				return "", fmt.Errorf("no text %q", key)
			}
			return s, nil
		},
		"asset":      p.Assets.URL,
		"date":       func(s string) string { return locale.Date(s, lang) },
		"datetime":   func(s string) string { return c.DateTime(s, lang) },
		"number":     func(s string) string { return locale.Number(s, lang) },
		"amount":     func(s string) string { return locale.Amount(s, lang) },
		"money":      func(s, currency string) string { return locale.Money(s, currency, lang) },
		"rate":       func(s string) string { return locale.Rate(OrZero(s), lang) },
		"discount":   func(s string) string { return Discount(s, lang) },
		"unit":       func(code string) string { return c.Unit(code, lang) },
		"category":   func(code string) string { return c.Category(code, lang) },
		"lineVAT":    func(category, rate string) string { return LineVAT(category, rate, lang) },
		"iban":       locale.IBAN,
		"isZero":     IsZero,
		"paragraphs": Paragraphs,
		"address": func(party Party) []string {
			return Address(party.AddressLine, party.PostalCode, party.City, party.Country, lang)
		},
	}
}

// Write answers with a rendered public page: never cached (it may hold a
// secret link's data), not indexed, not framed, no referrer sent on, under
// the page's Content-Security-Policy.
func Write(e *core.RequestEvent, status int, html []byte, csp string) error {
	h := e.Response.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", csp)
	return e.Blob(status, "text/html; charset=utf-8", html)
}
