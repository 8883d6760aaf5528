package pdf

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kontor-app/kontor/hooks/render/internal/rendertest"
)

var (
	fontOnce sync.Once
	testFont *Font
	fontErr  error
)

func dejaVu(t testing.TB) *Font {
	t.Helper()
	fontOnce.Do(func() {
		data, err := os.ReadFile("../fonts/DejaVuSans.ttf")
		if err != nil {
			fontErr = err
			return
		}
		testFont, fontErr = ParseFont(data)
	})
	if fontErr != nil {
		t.Fatal(fontErr)
	}
	return testFont
}

var tool = rendertest.Tool

func sample(t testing.TB) *Document {
	t.Helper()
	f := dejaVu(t)
	d := New(Info{Title: "Rechnung Nr. 7 – Müller", Author: "Kontor GmbH", Creator: "Kontor", Producer: "Kontor",
		Language: "de", Created: time.Date(2026, 1, 15, 10, 30, 0, 0, time.UTC)})
	p := d.AddPage(A4Width, A4Height)
	p.Rect(40, 40, 200, 20, Gray(0.9))
	p.Text(f, 12, Black, 45, 55, "Grüße aus Köln: 1.234,56 € – Straße")
	p.Line(40, 70, 300, 70, 0.5, Black)
	p.TextRotated(f, 40, Gray(0.85), 100, 600, 45, "ENTWURF")
	img, err := NewBilevelImage(2, 2, []byte{0x40, 0x80})
	if err != nil {
		t.Fatal(err)
	}
	p.Image(img, 40, 100, 50, 50)
	gray, err := NewGrayImage(2, 1, []byte{0, 128})
	if err != nil {
		t.Fatal(err)
	}
	p.Image(gray, 100, 100, 50, 25)
	d.AddPage(A4Width, A4Height).Text(f, 10, Black, 40, 60, "Seite 2 von 2")
	return d
}

func TestBytesIsValidPDF(t *testing.T) {
	qpdf := tool(t, "qpdf")
	pdftotext := tool(t, "pdftotext")
	d := sample(t)
	d.Attach(Attachment{Name: "factur-x.xml", MediaType: "text/xml", Relationship: Alternative,
		Description: "Factur-X invoice", Data: []byte("<Invoice/>")})
	out, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "sample.pdf")
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	if res, err := exec.Command(qpdf, "--check", path).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --check: %v\n%s", err, res)
	}
	text, err := exec.Command(pdftotext, "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Grüße aus Köln: 1.234,56 € – Straße", "Seite 2 von 2"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	list, err := exec.Command(qpdf, "--list-attachments", "--verbose", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(list), "factur-x.xml") {
		t.Errorf("attachment missing:\n%s", list)
	}
	got, err := exec.Command(qpdf, "--show-attachment=factur-x.xml", path).Output()
	if err != nil || string(got) != "<Invoice/>" {
		t.Errorf("attachment content %q, %v", got, err)
	}
}

func TestBytesStructure(t *testing.T) {
	d := sample(t)
	d.Attach(Attachment{Name: "data.json", MediaType: "application/json", Relationship: Data, Data: []byte("{}")})
	d.AddXMPSchema(XMPSchema{Name: "Test schema", Namespace: "urn:test:1#", Prefix: "tst",
		Properties: []XMPProperty{{Name: "Kind", Value: "INVOICE", Description: "what it is"}}})
	out, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name string
		re   string
	}{
		{"part 3", `<pdfaid:part>3</pdfaid:part>`},
		{"conformance B", `<pdfaid:conformance>B</pdfaid:conformance>`},
		{"output intent", `/S /GTS_PDFA1 /OutputConditionIdentifier \(sRGB IEC61966-2\.1\)`},
		{"ICC profile", `/N 3 /Alternate /DeviceRGB`},
		{"metadata in catalog", `/Type /Catalog /Pages 2 0 R /Metadata 5 0 R`},
		{"AF in catalog", `/AF \[ \d+ 0 R \]`},
		{"relationship", `/AFRelationship /Data`},
		{"MIME subtype", `/Subtype /application#2Fjson`},
		{"file id", `/ID \[<[0-9a-f]{32}> <[0-9a-f]{32}>\]`},
		{"embedded font", `/FontFile2 \d+ 0 R`},
		{"subset name", `/BaseFont /[A-Z]{6}\+DejaVuSans `},
		{"info date", `/CreationDate \(D:20260115103000\+00'00'\)`},
		{"xmp date", `<xmp:CreateDate>2026-01-15T10:30:00\+00:00</xmp:CreateDate>`},
		{"extension schema", `<pdfaSchema:namespaceURI>urn:test:1#</pdfaSchema:namespaceURI>`},
		{"custom property", `<tst:Kind>INVOICE</tst:Kind>`},
		{"ends with EOF", `%%EOF\n$`},
	}
	for _, c := range checks {
		if !regexp.MustCompile(c.re).Match(out) {
			t.Errorf("%s: no match for %s", c.name, c.re)
		}
	}
	if !bytes.HasPrefix(out, []byte("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")) {
		t.Errorf("header is %q, want the version and a binary comment", out[:16])
	}
	for _, banned := range []string{"/SMask", "/ca ", "/CA ", "/Encrypt", "/JavaScript", "Helvetica"} {
		if bytes.Contains(out, []byte(banned)) {
			t.Errorf("output contains %s", banned)
		}
	}
}

func TestBytesIsDeterministic(t *testing.T) {
	a, err := sample(t).Bytes()
	if err != nil {
		t.Fatal(err)
	}
	b, err := sample(t).Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two renderings of the same document differ")
	}
}

func TestAttachmentsChecked(t *testing.T) {
	cases := []struct {
		name string
		att  Attachment
	}{
		{"no name", Attachment{MediaType: "text/xml", Relationship: Data}},
		{"no MIME type", Attachment{Name: "a.xml", Relationship: Data}},
		{"unknown relationship", Attachment{Name: "a.xml", MediaType: "text/xml", Relationship: "Other"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := sample(t)
			d.Attach(c.att)
			if _, err := d.Bytes(); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}
