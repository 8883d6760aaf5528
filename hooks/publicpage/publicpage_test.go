package publicpage

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
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
	for name, contentType := range map[string]string{"page.js": "text/javascript; charset=utf-8", "page.css": "text/css; charset=utf-8"} {
		rec, err := serve(t, a, name)
		if err != nil || rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != contentType {
			t.Errorf("%s: %d %q %v", name, rec.Code, rec.Header().Get("Content-Type"), err)
		}
		if url := a.URL(name); !strings.HasPrefix(url, "/x-assets/"+name+"?v=") || len(url) != len("/x-assets/"+name+"?v=")+16 {
			t.Errorf("URL(%s) = %s", name, url)
		}
	}
	version := func(name string) string { _, v, _ := strings.Cut(a.URL(name), "?v="); return v }
	if version("page.js") == version("page.css") {
		t.Errorf("two files share a version: %s", version("page.js"))
	}
	if got := a.URL("other.css"); got != "/x-assets/other.css" {
		t.Errorf("URL of an unknown file = %s", got)
	}
	for _, file := range []string{"../x", "", "page.html", "messages.json"} {
		_, err := serve(t, a, file)
		var apiErr *router.ApiError
		if !errors.As(err, &apiErr) || apiErr.Status != http.StatusNotFound {
			t.Errorf("%q: error %v, want a 404", file, err)
		}
	}

	for _, bad := range [][]string{{"proposal", "page.html"}, {"proposal", "none.css"}} {
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
		"address":     func(any) []string { return nil },
		"hasOptional": func(any) bool { return false },
		"hasDiscount": func(any) bool { return false },
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

	// A failing template writes nothing.
	var b bytes.Buffer
	err := p.Render(&b, "en", struct{ State string }{"gone"}, nil)
	if err == nil || b.Len() != 0 {
		t.Errorf("a failing render: %v, %d bytes written", err, b.Len())
	}
}
