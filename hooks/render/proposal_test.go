package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kontor-app/kontor/en16931"
	"github.com/kontor-app/kontor/locale"
)

// sampleProposal is a sent proposal in the language: three lines, an
// optional line the buyer took and one they did not, totals of the
// included lines computed by the EN 16931 engine.
func sampleProposal(t testing.TB, lang string) Proposal {
	t.Helper()
	raw := []map[string]any{
		{"description": "Website redesign – discovery and concept", "quantity": "1", "unit_code": "LS", "unit_price": "4200.00", "vat_category": "S", "vat_rate": "19"},
		{"description": "Implementation", "quantity": "12", "unit_code": "DAY", "unit_price": "780.00", "discount_percent": "5", "vat_category": "S", "vat_rate": "19"},
		{"description": "Hosting, first year", "quantity": "12", "unit_code": "MON", "unit_price": "49.00", "vat_category": "S", "vat_rate": "19"},
		{"description": "Search engine optimisation package", "quantity": "1", "unit_code": "LS", "unit_price": "1500.00", "vat_category": "S", "vat_rate": "19"},
		{"description": "Copywriting in three languages", "quantity": "3", "unit_code": "C62", "unit_price": "900.00", "vat_category": "S", "vat_rate": "19"},
	}
	lines, errs := en16931.ParseLines(mustJSON(t, raw))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	// every line's net amount, shown whether it counts or not
	en16931.Compute(lines, lang)
	optional := map[int]bool{3: true, 4: false} // line index → included
	var counted []en16931.Line
	p := Proposal{
		Number: "QUO-2026-0007", Language: lang, Title: "New company website",
		Intro:      "Thank you for your enquiry.\n\nThis proposal covers the redesign of your website, its implementation and the first year of hosting.",
		Terms:      "Prices are valid until the date above.\nPayment: 30 % on signing, the rest on delivery.",
		Date:       "2026-03-05",
		ValidUntil: "2026-04-04",
		Currency:   "EUR",
		Seller: Party{Name: "Müller & Söhne GmbH", AddressLine: "Hauptstraße 1", PostalCode: "10115", City: "Berlin",
			Country: "DE", VATID: "DE123456789", Email: "sales@example.com"},
		Buyer: Party{Name: "Acme Europe SARL", AddressLine: "12 rue de la Paix", PostalCode: "75002", City: "Paris",
			Country: "FR", VATID: "FR40303265045"},
		Created: time.Date(2026, 3, 5, 9, 30, 0, 0, time.UTC),
	}
	for i, l := range lines {
		included, isOptional := optional[i]
		if !isOptional || included {
			counted = append(counted, l)
		}
		p.Lines = append(p.Lines, ProposalLine{Line: decodeLine(t, l), Optional: isOptional, Included: included || !isOptional})
	}
	totals := en16931.Compute(counted, lang)
	p.Totals = Totals{Net: totals.Net.StringFixed(2), VAT: totals.VAT.StringFixed(2), Gross: totals.Gross.StringFixed(2)}
	for _, b := range totals.BreakdownForAPI() {
		p.Breakdown = append(p.Breakdown, Breakdown(b))
	}
	return p
}

// signProposal adds the buyer's signature and an audit certificate of
// events chained by their hashes.
func signProposal(t testing.TB, p *Proposal, events int) {
	t.Helper()
	p.Signature = &Signature{Name: "Jeanne Martin", Email: "jeanne.martin@acme.example", SignedAt: "2026-03-09T14:05:33.123456789Z",
		Image: signaturePNG(t), Consent: "I agree that typing my name is my electronic signature on this document."}
	docHash := hexHash("snapshot v1")
	c := &AuditCertificate{ProposalID: "k3x9q2m7p1v8w4z", Version: 1, DocumentHash: docHash}
	types := []string{"created", "sent", "opened", "signed", "converted"}
	prev := ""
	for i := 0; i < events; i++ {
		typ := types[min(i, len(types)-1)]
		switch {
		case events <= len(types):
		case i == events-2:
			typ = "signed"
		case i == events-1:
			typ = "converted"
		case i >= 2:
			typ = "opened"
		}
		e := AuditEvent{Seq: i + 1, Type: typ,
			At:        time.Date(2026, 3, 5, 9, 30, 0, 0, time.UTC).Add(time.Duration(i)*time.Hour + 123456789).Format(time.RFC3339Nano),
			IP:        "2001:db8:85a3::8a2e:370:7334",
			UserAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15 " + strings.Repeat("ExtraToken/1.0 ", i%4) + strings.Repeat("x", 20*(i%3)),
			Actor:     "Jeanne Martin", ActorEmail: "jeanne.martin@acme.example", DocumentHash: docHash,
		}
		if typ == "created" || typ == "converted" {
			e.Actor, e.ActorEmail, e.IP, e.UserAgent = "Kontor", "", "", ""
		}
		e.Hash = hexHash(fmt.Sprint(prev, e))
		prev = e.Hash
		c.Events = append(c.Events, e)
	}
	c.ChainHead = prev
	p.Certificate = c
}

func hexHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// signaturePNG is a drawn signature: a dark stroke on a transparent
// background, as the signing page's canvas exports it.
func signaturePNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 300, 100))
	for x := 20; x < 280; x++ {
		y := 50 + int(25*float64((x%60)-30)/30)
		for d := -2; d <= 2; d++ {
			img.Set(x, y+d, color.NRGBA{10, 20, 60, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// flat joins the words of a text by single spaces, so that wrapped and
// column-laid text can be searched.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// Each language prints the heading, the dates, the title, every line with
// the optional marks, the totals, the terms and the acceptance.
func TestProposalText(t *testing.T) {
	cases := []struct {
		lang, heading, validUntil, optional, notChosen, accepted, page string
	}{
		{"en", "Proposal", "Valid until", "Optional", "Optional – not chosen", "Accepted electronically by Jeanne Martin <jeanne.martin@acme.example> on 9 March 2026 at 14:05:33 UTC.", "Page 1 of "},
		{"es", "Presupuesto", "Válido hasta", "Opcional", "Opcional – no elegido", "Aceptado electrónicamente por Jeanne Martin <jeanne.martin@acme.example> el 09/03/2026 a las 14:05:33 UTC.", "Página 1 de "},
		{"de", "Angebot", "Gültig bis", "Optional", "Optional – nicht gewählt", "Elektronisch angenommen von Jeanne Martin <jeanne.martin@acme.example> am 09.03.2026 um 14:05:33 UTC.", "Seite 1 von "},
		{"fr", "Devis", "Valable jusqu'au", "En option", "En option – non retenu", "Accepté électroniquement par Jeanne Martin <jeanne.martin@acme.example> le 09/03/2026 à 14:05:33 UTC.", "Page 1 sur "},
		{"it", "Preventivo", "Valido fino al", "Opzionale", "Opzionale – non scelto", "Accettato elettronicamente da Jeanne Martin <jeanne.martin@acme.example> il 09/03/2026 alle 14:05:33 UTC.", "Pagina 1 di "},
	}
	for _, c := range cases {
		t.Run(c.lang, func(t *testing.T) {
			p := sampleProposal(t, c.lang)
			signProposal(t, &p, 5)
			out, err := ProposalPDF(p)
			if err != nil {
				t.Fatal(err)
			}
			got := pdfText(t, out)
			all := flat(got)
			for _, want := range []string{
				c.heading + " QUO-2026-0007", // the running heading of the certificate page
				c.validUntil, locale.Date("2026-04-04", c.lang), locale.Date("2026-03-05", c.lang),
				"New company website", "Thank you for your enquiry.", "first year of hosting.",
				"Website redesign – discovery and concept", "Implementation", "Hosting, first year",
				"Search engine optimisation package", "Copywriting in three languages",
				c.optional, c.notChosen, text(c.lang, "proposal_not_counted"),
				plain(locale.Money(p.Totals.Net, "EUR", c.lang)),
				plain(locale.Money(p.Totals.VAT, "EUR", c.lang)),
				plain(locale.Money(p.Totals.Gross, "EUR", c.lang)),
				plain(locale.Amount("2700.00", c.lang)), // the line not chosen is still shown
				text(c.lang, "category_S"),
				"Payment: 30 % on signing, the rest on delivery.",
				"Müller & Söhne GmbH", "Acme Europe SARL", "FR40303265045",
				c.accepted, "I agree that typing my name is my electronic signature on this document.",
				c.page + strconv.Itoa(pageCount(t, out)),
			} {
				if !strings.Contains(all, flat(want)) {
					t.Errorf("the text lacks %q:\n%s", want, got)
				}
			}
			for _, wrong := range []string{"DRAFT", "ENTWURF", "BORRADOR", "BROUILLON", "BOZZA"} {
				if strings.Contains(got, wrong) {
					t.Errorf("a sent proposal says %s", wrong)
				}
			}
		})
	}
}

// The optional marks tell the lines apart: the one taken says "Optional",
// the one not chosen says so and is greyed with its amount struck out.
func TestProposalOptionalLines(t *testing.T) {
	v := newProposalView(sampleProposal(t, "en"))
	cases := []struct {
		line     int
		note     string
		excluded bool
	}{
		{0, "", false},
		{2, "", false},
		{3, "Optional", false},
		{4, "Optional – not chosen", true},
	}
	for _, c := range cases {
		if got := v.Lines[c.line]; got.Note != c.note || got.Excluded != c.excluded {
			t.Errorf("line %d: note %q excluded %v, want %q %v", c.line, got.Note, got.Excluded, c.note, c.excluded)
		}
	}
	if v.NotCounted == "" {
		t.Error("no note that lines not chosen do not count")
	}
	all := sampleProposal(t, "en")
	all.Lines[4].Included = true
	if v := newProposalView(all); v.NotCounted != "" {
		t.Errorf("every line counts, yet the view says %q", v.NotCounted)
	}
}

// The audit certificate lists every event with its hashes, the document's
// hash and the chain head; 60 events span pages, each page numbered and
// under the table's header row again, and nothing leaves the page.
func TestProposalCertificate(t *testing.T) {
	cases := []struct {
		name     string
		lang     string
		events   int
		minPages int
	}{
		{"short", "en", 5, 2},
		{"long", "en", 60, 4},
		{"long german", "de", 60, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := sampleProposal(t, c.lang)
			signProposal(t, &p, c.events)
			out, err := ProposalPDF(p)
			if err != nil {
				t.Fatal(err)
			}
			pages := pageCount(t, out)
			if pages < c.minPages {
				t.Fatalf("%d pages, want at least %d", pages, c.minPages)
			}
			got := pdfText(t, out)
			all := flat(got)
			cert := p.Certificate
			for _, want := range []string{
				text(c.lang, "audit_title"), cert.ProposalID, cert.DocumentHash, cert.ChainHead,
				text(c.lang, "audit_chain_head"), text(c.lang, "audit_event_signed"),
				"2001:db8:85a3::8a2e:370:7334", "Jeanne Martin <jeanne.martin@acme.example>",
			} {
				if !strings.Contains(all, want) {
					t.Errorf("the text lacks %q", want)
				}
			}
			for _, e := range cert.Events {
				for _, want := range []string{e.Hash, e.At} {
					if !strings.Contains(all, want) {
						t.Errorf("the text lacks event %d's %q", e.Seq, want)
					}
				}
				// the user agent wraps, but all of it is there
				if ua := strings.ReplaceAll(e.UserAgent, " ", ""); !strings.Contains(strings.ReplaceAll(all, " ", ""), ua) {
					t.Errorf("the text lacks event %d's user agent", e.Seq)
				}
			}
			header := regexp.MustCompile(regexp.QuoteMeta(text(c.lang, "audit_col_event")) + `\s+` + regexp.QuoteMeta(text(c.lang, "audit_col_time")))
			first := 0 // the certificate's first page
			for n := 1; n <= pages; n++ {
				page := pdfText(t, out, "-f", strconv.Itoa(n), "-l", strconv.Itoa(n))
				if want := text(c.lang, "page", "page", strconv.Itoa(n), "pages", strconv.Itoa(pages)); !strings.Contains(page, want) {
					t.Errorf("page %d lacks %q", n, want)
				}
				if first == 0 && strings.Contains(page, text(c.lang, "audit_title")) {
					first = n
				}
				if first != 0 && !header.MatchString(page) {
					t.Errorf("certificate page %d lacks the table header:\n%s", n, page)
				}
			}
			if first < 2 {
				t.Errorf("the certificate starts on page %d, not on a page of its own", first)
			}
			checkInsidePages(t, out)
		})
	}
}

// A user agent and a hash far longer than a line wrap instead of running
// off the page; an event taller than a page goes on on the next one.
func TestProposalLongValuesWrap(t *testing.T) {
	p := sampleProposal(t, "fr")
	signProposal(t, &p, 4)
	p.Certificate.Events[1].UserAgent = strings.Repeat("VeryLongUserAgentTokenWithoutSpaces", 30)
	p.Certificate.Events[2].UserAgent = strings.Repeat("Mozilla/5.0 (X11; Linux x86_64) ", 400)
	p.Certificate.Events[3].Hash = strings.Repeat(p.Certificate.Events[3].Hash, 3)
	p.Certificate.ChainHead = p.Certificate.Events[3].Hash
	out, err := ProposalPDF(p)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.ReplaceAll(flat(pdfText(t, out)), " ", "")
	for _, want := range []string{p.Certificate.Events[1].UserAgent, p.Certificate.Events[3].Hash} {
		if !strings.Contains(all, want) {
			t.Errorf("the text lacks %.60q…", want)
		}
	}
	checkInsidePages(t, out)
}

// A draft has no number yet: every page says it was not sent, and its
// file is named draft-proposal.pdf.
func TestProposalDraft(t *testing.T) {
	cases := []struct{ lang, notice string }{
		{"en", "DRAFT – not sent"},
		{"es", "BORRADOR – no enviado"},
		{"de", "ENTWURF – nicht versendet"},
		{"fr", "BROUILLON – non envoyé"},
		{"it", "BOZZA – non inviato"},
	}
	for _, c := range cases {
		t.Run(c.lang, func(t *testing.T) {
			p := sampleProposal(t, c.lang)
			p.Number, p.Date, p.Draft = "", "", true
			for i := 0; i < 60; i++ {
				p.Lines = append(p.Lines, p.Lines[i%5])
			}
			out, err := ProposalPDF(p)
			if err != nil {
				t.Fatal(err)
			}
			pages := strings.Split(pdfText(t, out), "\f")
			if len(pages) < 3 {
				t.Fatalf("%d pages", len(pages)-1)
			}
			for i, page := range pages[:len(pages)-1] {
				if !strings.Contains(page, c.notice) {
					t.Errorf("page %d lacks %q", i+1, c.notice)
				}
			}
			if !regexp.MustCompile(regexp.QuoteMeta(text(c.lang, "col_description")) + `\s+`).MatchString(pages[1]) {
				t.Errorf("page 2 lacks the lines table's header:\n%s", pages[1])
			}
		})
	}
}

func TestProposalFileName(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Proposal)
		want string
	}{
		{"sent", func(p *Proposal) {}, "QUO-2026-0007.pdf"},
		{"signed", func(p *Proposal) { signProposal(t, p, 4) }, "QUO-2026-0007-signed.pdf"},
		{"draft", func(p *Proposal) { p.Number, p.Draft = "", true }, "draft-proposal.pdf"},
		{"odd number", func(p *Proposal) { p.Number = "QUO/2026 7" }, "QUO_2026_7.pdf"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := sampleProposal(t, "en")
			c.edit(&p)
			if got := ProposalFileName(p); got != c.want {
				t.Errorf("ProposalFileName = %q, want %q", got, c.want)
			}
		})
	}
}

// Rendering the same proposal twice gives the same bytes, and a signature
// image that cannot be read is left out rather than failing the document.
func TestProposalDeterministicAndBadImage(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Proposal)
		text string
	}{
		{"signed with logo", func(p *Proposal) { p.Logo = testLogo(t) }, "Signature"},
		{"invalid signature PNG", func(p *Proposal) { p.Signature.Image = []byte("\x89PNG\r\n\x1a\nnot really") }, "Accepted electronically"},
		{"no signature image", func(p *Proposal) { p.Signature.Image = nil }, "Accepted electronically"},
		{"unknown language", func(p *Proposal) { p.Language = "nl" }, "Proposal QUO-2026-0007"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := sampleProposal(t, "en")
			signProposal(t, &p, 6)
			c.edit(&p)
			a, err := ProposalPDF(p)
			if err != nil {
				t.Fatal(err)
			}
			b, err := ProposalPDF(p)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Fatal("two renderings differ")
			}
			if got := pdfText(t, a); !strings.Contains(got, c.text) {
				t.Errorf("the text lacks %q:\n%s", c.text, got)
			}
			images := run(t, "pdfimages", "-list", writePDF(t, a))
			rows := len(strings.Split(strings.TrimSpace(images), "\n")) - 2
			want := 0
			if p.Signature.Image != nil && c.name != "invalid signature PNG" {
				want++
			}
			if p.Logo != nil {
				want++
			}
			if rows != want {
				t.Errorf("%d images, want %d:\n%s", rows, want, images)
			}
		})
	}
}

// The file is PDF/A-3b as far as the tools here can tell, as the invoice
// is (see TestInvoicePDFA), with the drawn signature flattened.
func TestProposalPDFA(t *testing.T) {
	for _, lang := range Languages {
		t.Run(lang, func(t *testing.T) {
			p := sampleProposal(t, lang)
			p.Logo = testLogo(t)
			signProposal(t, &p, 5)
			out, err := ProposalPDF(p)
			if err != nil {
				t.Fatal(err)
			}
			path := writePDF(t, out)
			run(t, "qpdf", "--check", path)
			for _, want := range []string{
				"<pdfaid:part>3</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>",
				"/S /GTS_PDFA1", "/DestOutputProfile", "/ID [<",
				"<pdf:Producer>Kontor</pdf:Producer>", "/Producer (Kontor)",
				"<xmp:CreateDate>2026-03-05T09:30:00+00:00</xmp:CreateDate>",
				`<rdf:li xml:lang="x-default">` + text(lang, "proposal") + " QUO-2026-0007</rdf:li>",
				"/Lang (" + lang + ")",
			} {
				if !bytes.Contains(out, []byte(want)) {
					t.Errorf("the file lacks %s", want)
				}
			}
			for _, banned := range []string{"/SMask", "/ca ", "/CA ", "/BM ", "/Encrypt", "/JavaScript"} {
				if bytes.Contains(out, []byte(banned)) {
					t.Errorf("the file contains %s", banned)
				}
			}
			fonts := run(t, "pdffonts", path)
			for _, line := range strings.Split(fonts, "\n")[2:] {
				if fields := strings.Fields(line); len(fields) >= 5 && fields[len(fields)-5] != "yes" {
					t.Errorf("font not embedded: %s", line)
				}
			}
			if images := run(t, "pdfimages", "-list", path); strings.Contains(images, "smask") {
				t.Errorf("an image has a soft mask:\n%s", images)
			}
		})
	}
}

// pageCount is the number of pages pdfinfo reads.
func pageCount(t *testing.T, out []byte) int {
	t.Helper()
	info := run(t, "pdfinfo", writePDF(t, out))
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(info)
	if m == nil {
		t.Fatalf("pdfinfo: no page count:\n%s", info)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// checkInsidePages fails when a word is drawn outside the margins, or
// between the end of the content and the footer: what overflows shows
// there.
func checkInsidePages(t *testing.T, out []byte) {
	t.Helper()
	html := run(t, "pdftotext", "-bbox", writePDF(t, out), "-")
	word := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
	pageTag := regexp.MustCompile(`<page `)
	pageStarts := pageTag.FindAllStringIndex(html, -1)
	words := word.FindAllStringSubmatchIndex(html, -1)
	if len(words) == 0 {
		t.Fatalf("pdftotext -bbox found no words:\n%.500s", html)
	}
	for _, m := range words {
		page := 0
		for page < len(pageStarts) && pageStarts[page][0] < m[0] {
			page++
		}
		f := func(i int) float64 { v, _ := strconv.ParseFloat(html[m[2*i]:m[2*i+1]], 64); return v }
		xMin, yMin, xMax, yMax, w := f(1), f(2), f(3), f(4), html[m[10]:m[11]]
		if xMin < left-1 || xMax > right+1 || yMax > pageHeight-20 {
			t.Errorf("page %d: %q at x %.1f–%.1f, y %.1f–%.1f is outside the page's margins", page, w, xMin, xMax, yMin, yMax)
		}
		if yMax > bottomLimit+3 && yMin < footerY-11 {
			t.Errorf("page %d: %q at y %.1f–%.1f runs into the footer", page, w, yMin, yMax)
		}
	}
}
