package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/locale"
)

// Each language prints the document's number, totals, the legal mention of
// its VAT case and the IBAN, and every page says which page it is.
func TestInvoiceText(t *testing.T) {
	cases := []struct {
		lang    string
		vat     vatCase
		mention string // the legal mention the VAT case needs, in the language
		title   string
		page    string
	}{
		{"en", vatCase{"AE", "0", ""}, "Reverse charge", "Invoice", "Page 1 of 1"},
		{"es", vatCase{"AE", "0", ""}, "Inversión del sujeto pasivo", "Factura", "Página 1 de 1"},
		{"de", vatCase{"AE", "0", ""}, "Steuerschuldnerschaft des Leistungsempfängers", "Rechnung", "Seite 1 von 1"},
		{"fr", vatCase{"AE", "0", ""}, "Autoliquidation", "Facture", "Page 1 sur 1"},
		{"it", vatCase{"AE", "0", ""}, "Inversione contabile", "Fattura", "Pagina 1 di 1"},
		{"de", vatCase{"G", "0", ""}, "Steuerfreie Ausfuhrlieferung (Art. 146 Richtlinie 2006/112/EG)", "Rechnung", "Seite 1 von 1"},
		{"fr", vatCase{"K", "0", ""}, "livraison intracommunautaire", "Facture", "Page 1 sur 1"},
		{"es", vatCase{"E", "0", "Exento art. 20.Uno.9 LIVA"}, "Exento art. 20.Uno.9 LIVA", "Factura", "Página 1 de 1"},
		{"en", vatCase{"S", "19", ""}, "Standard rate (S)", "Invoice", "Page 1 of 1"},
		{"it", vatCase{"S", "22", ""}, "Aliquota ordinaria (S)", "Fattura", "Pagina 1 di 1"},
	}
	for _, c := range cases {
		t.Run(c.lang+"-"+c.vat.category, func(t *testing.T) {
			doc := sampleDocument(t, c.lang, c.vat, 4)
			out, err := Invoice(doc)
			if err != nil {
				t.Fatal(err)
			}
			got := pdfText(t, out)
			for _, want := range []string{
				c.title,
				doc.Number,
				plain(locale.Money(doc.Totals.Net, "EUR", c.lang)),
				plain(locale.Money(doc.Totals.VAT, "EUR", c.lang)),
				plain(locale.Money(doc.Totals.Gross, "EUR", c.lang)),
				c.mention,
				"DE89 3704 0044 0532 0130 00",
				"COBADEFFXXX",
				"Müller & Söhne GmbH",
				"Acme Europe SARL",
				"FR40303265045",
				"PO-7781",
				locale.Date(doc.DueDate, c.lang),
				c.page,
			} {
				if !strings.Contains(got, want) {
					t.Errorf("the text lacks %q:\n%s", want, got)
				}
			}
			for _, wrong := range []string{"DRAFT", "ENTWURF", "BORRADOR", "BROUILLON", "BOZZA"} {
				if strings.Contains(got, wrong) {
					t.Errorf("an issued invoice says %s", wrong)
				}
			}
		})
	}
}

// A 300-line invoice breaks across pages, repeating the table's header row
// and numbering the pages.
func TestInvoicePaginates(t *testing.T) {
	doc := sampleDocument(t, "en", vatCase{"S", "19", ""}, 300)
	out, err := Invoice(doc)
	if err != nil {
		t.Fatal(err)
	}
	path := writePDF(t, out)
	info := run(t, "pdfinfo", path)
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(info)
	if m == nil {
		t.Fatalf("pdfinfo: no page count:\n%s", info)
	}
	pages, _ := strconv.Atoi(m[1])
	if pages < 2 {
		t.Fatalf("%d pages for 300 lines", pages)
	}
	for n := 1; n <= pages; n++ {
		got := pdfText(t, out, "-f", strconv.Itoa(n), "-l", strconv.Itoa(n))
		if want := "Page " + strconv.Itoa(n) + " of " + strconv.Itoa(pages); !strings.Contains(got, want) {
			t.Errorf("page %d lacks %q", n, want)
		}
		if n == pages {
			break // the last page may hold only the totals
		}
		header := regexp.MustCompile(`Description\s+Qty\s+Unit\s+Unit price\s+Disc\.\s+VAT\s+Net`)
		if !header.MatchString(got) {
			t.Errorf("page %d lacks the table header:\n%s", n, got)
		}
	}
	page2 := pdfText(t, out, "-f", "2", "-l", "2")
	if !strings.Contains(page2, "Invoice INV-2026-0042") {
		t.Errorf("page 2 does not name the document:\n%s", page2)
	}
	all := pdfText(t, out)
	for _, want := range []string{"Consulting work package 1 ", "Consulting work package 300", plain(locale.Money(doc.Totals.Gross, "EUR", "en"))} {
		if !strings.Contains(all, want) {
			t.Errorf("the text lacks %q", want)
		}
	}
}

// The EPC QR code in the PDF decodes to exactly the payload of the amount
// due, the seller's IBAN and BIC and the invoice number.
func TestInvoiceQRCode(t *testing.T) {
	zbarimg := tool(t, "zbarimg")
	cases := []struct {
		name string
		edit func(*Document)
		want string
	}{
		{"unpaid", func(d *Document) {}, ""},
		{"partly paid", func(d *Document) { d.Totals.Paid, d.Totals.Due = "1000.00", "4925.60" }, "EUR4925.60"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := sampleDocument(t, "de", vatCase{"AE", "0", ""}, 5)
			c.edit(&doc)
			want := "BCD\n002\n1\nSCT\nCOBADEFFXXX\nMüller & Söhne GmbH\nDE89370400440532013000\nEUR" + doc.Totals.Due + "\n\n\nINV-2026-0042"
			if c.want != "" && !strings.Contains(want, c.want) {
				t.Fatalf("bad fixture: %q", want)
			}
			out, err := Invoice(doc)
			if err != nil {
				t.Fatal(err)
			}
			codes := decodeImages(t, zbarimg, out)
			if len(codes) != 1 || codes[0] != want {
				t.Fatalf("QR codes in the PDF: %q, want [%q]", codes, want)
			}
		})
	}
}

// decodeImages extracts the PDF's images with pdfimages and returns what
// zbarimg reads in them.
func decodeImages(t *testing.T, zbarimg string, pdf []byte) []string {
	t.Helper()
	dir := t.TempDir()
	run(t, "pdfimages", "-png", writePDF(t, pdf), filepath.Join(dir, "img"))
	files, _ := filepath.Glob(filepath.Join(dir, "img-*.png"))
	var codes []string
	for _, f := range files {
		out, err := exec.Command(zbarimg, "--raw", "-q", "-Sbinary", f).Output()
		if err != nil {
			continue // no code in this image (exit status 4)
		}
		codes = append(codes, strings.TrimSuffix(string(out), "\n"))
	}
	return codes
}

// No QR code where there is nothing to pay by SEPA transfer, or on a draft.
func TestInvoiceWithoutQRCode(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Document)
		text string // what the document says instead
	}{
		{"draft", func(d *Document) { d.Draft, d.Number = true, "" }, "DRAFT – not a valid invoice"},
		{"not in euros", func(d *Document) { d.Currency = "USD" }, "DE89 3704 0044 0532 0130 00"},
		{"paid", func(d *Document) { d.Totals.Paid, d.Totals.Due = d.Totals.Gross, "0.00" }, "Paid in full. Thank you."},
		{"no IBAN", func(d *Document) { d.Seller.IBAN = "" }, "Amount due"},
		{"credit note", func(d *Document) { d.Type, d.CreditedNumber = TypeCreditNote, "INV-2026-0001" }, "Corrects invoice"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := sampleDocument(t, "en", vatCase{"S", "19", ""}, 2)
			c.edit(&doc)
			v, err := newView(doc)
			if err != nil {
				t.Fatal(err)
			}
			if v.Payment != nil && v.Payment.QR != nil {
				t.Fatal("the view has a QR code")
			}
			out, err := Invoice(doc)
			if err != nil {
				t.Fatal(err)
			}
			if got := pdfText(t, out); !strings.Contains(got, c.text) {
				t.Errorf("the text lacks %q:\n%s", c.text, got)
			}
		})
	}
}

// A draft says on every page, in its language, that it is not valid.
func TestDraftMarked(t *testing.T) {
	cases := []struct{ lang, notice string }{
		{"en", "DRAFT – not a valid invoice"},
		{"es", "BORRADOR – no es una factura válida"},
		{"de", "ENTWURF – keine gültige Rechnung"},
		{"fr", "BROUILLON – facture non valable"},
		{"it", "BOZZA – fattura non valida"},
	}
	for _, c := range cases {
		t.Run(c.lang, func(t *testing.T) {
			doc := sampleDocument(t, c.lang, vatCase{"S", "19", ""}, 80)
			doc.Draft, doc.Number = true, ""
			out, err := Invoice(doc)
			if err != nil {
				t.Fatal(err)
			}
			pages := strings.Split(pdfText(t, out), "\f")
			if len(pages) < 3 { // two pages and what follows the last form feed
				t.Fatalf("%d pages", len(pages)-1)
			}
			for i, p := range pages[:len(pages)-1] {
				if !strings.Contains(p, c.notice) {
					t.Errorf("page %d lacks %q", i+1, c.notice)
				}
			}
		})
	}
}

// A credit note is titled as the language's law wants it and names the
// invoice it corrects.
func TestCreditNote(t *testing.T) {
	cases := []struct{ lang, title string }{
		{"en", "Credit note"},
		{"de", "Rechnungskorrektur"},
		{"es", "Factura rectificativa"},
		{"fr", "Avoir"},
		{"it", "Nota di credito"},
	}
	for _, c := range cases {
		t.Run(c.lang, func(t *testing.T) {
			doc := sampleDocument(t, c.lang, vatCase{"S", "19", ""}, 1)
			doc.Type, doc.Number, doc.CreditedNumber = TypeCreditNote, "CN-2026-0001", "INV-2026-0042"
			out, err := Invoice(doc)
			if err != nil {
				t.Fatal(err)
			}
			got := pdfText(t, out)
			for _, want := range []string{c.title, "CN-2026-0001", "INV-2026-0042", text(c.lang, "credited_invoice")} {
				if !strings.Contains(got, want) {
					t.Errorf("the text lacks %q:\n%s", want, got)
				}
			}
			if strings.Contains(got, text(c.lang, "payment")+"\n") || strings.Contains(got, "DE89 3704") {
				t.Errorf("a credit note asks for payment:\n%s", got)
			}
		})
	}
}

// Rendering the same document twice gives the same bytes.
func TestInvoiceDeterministic(t *testing.T) {
	doc := sampleDocument(t, "fr", vatCase{"AE", "0", ""}, 30)
	doc.Logo = testLogo(t)
	a, err := Invoice(doc)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Invoice(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two renderings differ")
	}
}

// The file is PDF/A-3b as far as the tools here can tell: qpdf finds no
// damage, the XMP declares part 3 conformance B, there is an sRGB output
// intent, every font is embedded, and the logo (a PNG with transparency)
// is flattened, so nothing is transparent.
func TestInvoicePDFA(t *testing.T) {
	doc := sampleDocument(t, "de", vatCase{"S", "19", ""}, 3)
	doc.Logo = testLogo(t)
	out, err := Invoice(doc)
	if err != nil {
		t.Fatal(err)
	}
	path := writePDF(t, out)
	run(t, "qpdf", "--check", path)

	for _, want := range []string{
		"<pdfaid:part>3</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>",
		"/S /GTS_PDFA1", "/DestOutputProfile", "/ID [<",
		"<pdf:Producer>Kontor</pdf:Producer>", "/Producer (Kontor)",
		"<xmp:CreateDate>2026-03-05T09:30:00+00:00</xmp:CreateDate>", "/CreationDate (D:20260305093000+00'00')",
	} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("the file lacks %s", want)
		}
	}
	if !bytes.Contains(out, []byte(`<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Rechnung INV-2026-0042</rdf:li></rdf:Alt></dc:title>`)) {
		t.Error("dc:title is not the document's title")
	}
	for _, banned := range []string{"/SMask", "/ca ", "/CA ", "/BM ", "/Encrypt", "/JavaScript"} {
		if bytes.Contains(out, []byte(banned)) {
			t.Errorf("the file contains %s", banned)
		}
	}

	fonts := run(t, "pdffonts", path)
	rows := 0
	for _, line := range strings.Split(fonts, "\n")[2:] {
		fields := strings.Fields(line)
		if len(fields) < 5 {
			continue
		}
		rows++
		// name type encoding emb sub uni object ID
		if fields[len(fields)-5] != "yes" {
			t.Errorf("font not embedded: %s", line)
		}
	}
	if rows != 2 {
		t.Errorf("%d fonts, want the regular and the bold face:\n%s", rows, fonts)
	}
	images := run(t, "pdfimages", "-list", path)
	if strings.Contains(images, "smask") {
		t.Errorf("an image has a soft mask:\n%s", images)
	}
}

// An attachment is embedded as a PDF/A-3 associated file: in the
// EmbeddedFiles name tree, in the catalog's /AF array, with its
// /AFRelationship and MIME type.
func TestInvoiceAttachment(t *testing.T) {
	doc := sampleDocument(t, "en", vatCase{"S", "19", ""}, 1)
	xml := []byte(`<?xml version="1.0" encoding="UTF-8"?><rsm:CrossIndustryInvoice/>`)
	doc.Attachments = []Attachment{{Name: "factur-x.xml", MediaType: "text/xml", Relationship: "Alternative",
		Description: "Factur-X invoice", Data: xml}}
	out, err := Invoice(doc)
	if err != nil {
		t.Fatal(err)
	}
	path := writePDF(t, out)
	if got := run(t, "qpdf", "--show-attachment=factur-x.xml", path); got != string(xml) {
		t.Fatalf("attachment content %q", got)
	}

	var dump struct {
		Qpdf []json.RawMessage `json:"qpdf"`
	}
	if err := json.Unmarshal([]byte(run(t, "qpdf", "--json=2", "--json-key=qpdf", path)), &dump); err != nil || len(dump.Qpdf) != 2 {
		t.Fatalf("qpdf --json: %v", err)
	}
	var objects map[string]struct {
		Value  any `json:"value"`
		Stream struct {
			Dict map[string]any `json:"dict"`
		} `json:"stream"`
	}
	if err := json.Unmarshal(dump.Qpdf[1], &objects); err != nil {
		t.Fatal(err)
	}
	root := objects["trailer"].Value.(map[string]any)["/Root"].(string)
	catalog := objects["obj:"+root].Value.(map[string]any)
	af, _ := catalog["/AF"].([]any)
	if len(af) != 1 {
		t.Fatalf("catalog /AF = %v", catalog["/AF"])
	}
	spec := objects["obj:"+af[0].(string)].Value.(map[string]any)
	if spec["/AFRelationship"] != "/Alternative" || spec["/UF"] != "u:factur-x.xml" || spec["/F"] == nil {
		t.Errorf("file specification %v", spec)
	}
	names := catalog["/Names"].(map[string]any)["/EmbeddedFiles"].(map[string]any)["/Names"].([]any)
	if len(names) != 2 || names[1] != af[0] {
		t.Errorf("EmbeddedFiles names %v, /AF %v", names, af)
	}
	stream := objects["obj:"+spec["/EF"].(map[string]any)["/F"].(string)].Stream.Dict
	if stream["/Subtype"] != "/text/xml" {
		t.Errorf("embedded file /Subtype %v", stream["/Subtype"])
	}
	if params, _ := stream["/Params"].(map[string]any); params["/ModDate"] == nil {
		t.Errorf("embedded file /Params %v lacks /ModDate", stream["/Params"])
	}
}

// Each of the kit's Factur-X examples, made a hybrid invoice by FacturX,
// passes the kit's container check, which compares the XMP conformance
// level with the profile of the XML: what the Factur-X format needs from
// the renderer is there.
func TestFacturXContainer(t *testing.T) {
	kit := os.Getenv("KONTOR_EINVOICE_KIT")
	if kit == "" {
		kit = filepath.Join("..", "..", "..", "shared", "einvoice-kit")
	}
	if _, err := os.Stat(filepath.Join(kit, "lib", "pdf-check.sh")); err != nil {
		t.Skipf("e-invoice kit not found (%v); set KONTOR_EINVOICE_KIT", err)
	}
	for _, name := range []string{"qpdf", "jq", "xmllint"} {
		tool(t, name)
	}
	for _, profile := range []string{"minimum", "basicwl", "basic", "en16931", "extended"} {
		t.Run(profile, func(t *testing.T) {
			xml, err := os.ReadFile(filepath.Join(kit, "examples", "facturx", "factur-x-"+profile+".xml"))
			if err != nil {
				t.Fatal(err)
			}
			doc := sampleDocument(t, "fr", vatCase{"S", "20", ""}, 2)
			if err := FacturX(&doc, xml, "factur-x.xml"); err != nil {
				t.Fatal(err)
			}
			out, err := Invoice(doc)
			if err != nil {
				t.Fatal(err)
			}
			res, err := exec.Command("bash", filepath.Join(kit, "lib", "pdf-check.sh"), writePDF(t, out)).CombinedOutput()
			if err != nil || !strings.Contains(string(res), "RESULT PASS") {
				t.Fatalf("pdf-check.sh: %v\n%s", err, res)
			}
		})
	}
}

// An XML that is not a Factur-X profile is refused.
func TestFacturXRefuses(t *testing.T) {
	for name, xml := range map[string]string{
		"other profile": `<rsm:CrossIndustryInvoice xmlns:rsm="r" xmlns:ram="a"><rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:example</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext></rsm:CrossIndustryInvoice>`,
		"no profile":    `<rsm:CrossIndustryInvoice xmlns:rsm="r"/>`,
		"not XML":       `{"number": "1"}`,
	} {
		doc := sampleDocument(t, "fr", vatCase{"S", "20", ""}, 1)
		if err := FacturX(&doc, []byte(xml), "factur-x.xml"); err == nil || len(doc.Attachments) != 0 {
			t.Errorf("%s: err %v, attachments %d", name, err, len(doc.Attachments))
		}
	}
}

// Text the font cannot draw prints as "?", never as the .notdef glyph.
func TestMissingGlyphs(t *testing.T) {
	doc := sampleDocument(t, "en", vatCase{"S", "19", ""}, 1)
	doc.Lines[0].Description = "Übersetzung 翻訳 Ελληνικά Русский"
	out, err := Invoice(doc)
	if err != nil {
		t.Fatal(err)
	}
	if got := pdfText(t, out); !strings.Contains(got, "Übersetzung ?? Ελληνικά Русский") {
		t.Errorf("text:\n%s", got)
	}
}

// An invoice with an exchange rate shows its VAT in the accounting currency.
func TestAccountingCurrency(t *testing.T) {
	doc := sampleDocument(t, "de", vatCase{"S", "19", ""}, 1)
	doc.Currency = "USD"
	doc.Totals.VATAccounting, doc.Totals.AccountingCurrency = "215.07", "EUR"
	out, err := Invoice(doc)
	if err != nil {
		t.Fatal(err)
	}
	if got := pdfText(t, out); !strings.Contains(got, "USt. in EUR") || !strings.Contains(got, "215,07 EUR") {
		t.Errorf("text:\n%s", got)
	}
}

// Documents render concurrently: the fonts, their cached subsets and the
// logos are shared read-only.
func TestConcurrentRenders(t *testing.T) {
	logo := testLogo(t)
	want := map[string][]byte{}
	docs := map[string]Document{}
	for _, lang := range Languages {
		d := sampleDocument(t, lang, vatCase{"S", "19", ""}, 3)
		d.Logo = logo
		d.Lines[0].Description = "Λεπτομέρειες " + lang // characters outside the shared set
		out, err := Invoice(d)
		if err != nil {
			t.Fatal(err)
		}
		docs[lang], want[lang] = d, out
	}
	errs := make(chan error, 4*len(docs))
	for i := 0; i < 4; i++ {
		for lang, d := range docs {
			go func() {
				out, err := Invoice(d)
				if err == nil && !bytes.Equal(out, want[lang]) {
					err = fmt.Errorf("%s: a concurrent render differs", lang)
				}
				errs <- err
			}()
		}
	}
	for i := 0; i < cap(errs); i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// An invoice with a public page names it in its payment block, beside the
// bank transfer or alone when the seller has no IBAN.
func TestInvoicePayOnline(t *testing.T) {
	const url = "https://kontor.example/i/Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg"
	cases := []struct {
		name string
		edit func(*Document)
		text string
	}{
		{"with IBAN", func(d *Document) {}, "Or pay online: " + url[:30]},
		{"without IBAN", func(d *Document) { d.Seller.IBAN = "" }, "Please pay 2,791.20 EUR online: " + url[:30]},
		{"paid", func(d *Document) { d.Totals.Paid, d.Totals.Due = d.Totals.Gross, "0.00" }, "Paid in full. Thank you."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := sampleDocument(t, "en", vatCase{"S", "19", ""}, 2)
			doc.PayURL = url
			c.edit(&doc)
			out, err := Invoice(doc)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(strings.Fields(pdfText(t, out)), " ")
			if !strings.Contains(got, c.text) {
				t.Errorf("the text lacks %q:\n%s", c.text, got)
			}
			if c.name == "paid" && strings.Contains(got, "pay online") {
				t.Error("a paid invoice offers to pay online")
			}
		})
	}
}
