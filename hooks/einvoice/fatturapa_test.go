package einvoice_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/plugins/einvoicekit"
)

// italianClients are the buyers of the FatturaPA matrix, by name.
var italianClients = map[string]map[string]any{
	// an Italian company, reached through its Codice Destinatario
	"bianchi": {"name": "Bianchi Forniture S.p.A.", "country": "IT", "vat_id": "IT09876543210", "address_line": "Corso Vittorio Emanuele 10",
		"city": "Torino", "postal_code": "10121", "electronic_address": "M5UXCR1", "electronic_address_scheme": "0205", "language": "it"},
	// an Italian public office, known by its IPA code
	"comune": {"name": "Comune di Bergamo", "country": "IT", "vat_id": "", "tax_id": "80034840167", "address_line": "Piazza Matteotti 27",
		"city": "Bergamo", "postal_code": "24122", "electronic_address": "UFABCD", "electronic_address_scheme": "0201", "language": "it"},
	// a private person, with a codice fiscale and a PEC address
	"privato": {"name": "Mario Rossi", "country": "IT", "vat_id": "", "tax_id": "RSSMRA80A01H501U", "address_line": "Via Garibaldi 3",
		"city": "Roma", "postal_code": "00184", "electronic_address": "mario.rossi@pec.example.it", "electronic_address_scheme": "EM", "language": "it"},
	// a German company
	"gmbh": {"name": "Acme Handels GmbH", "country": "DE", "vat_id": "DE987654321", "address_line": "Marktplatz 5",
		"city": "München", "postal_code": "80331"},
	// a buyer outside the EU
	"globex": {"name": "Globex Inc.", "country": "US", "vat_id": "", "address_line": "1 Fifth Avenue",
		"city": "New York", "postal_code": "10001", "language": "en"},
}

// TestFatturaPAMatrix issues a table of invoices of an Italian seller
// through the API, renders each as FatturaPA through the out-of-process
// plugin, checks the total it states, and validates all of them against
// the FatturaPA 1.2.2 schema in one run of the kit.
func TestFatturaPAMatrix(t *testing.T) {
	kit := einvoicekit.Require(t)
	s := newServer(t, "")
	u := s.SignUp(t, "owner@example.com")

	cases := []struct {
		name    string
		regime  string
		client  string
		invoice map[string]any
		lines   []map[string]any
		credit  bool
		want    []string // in the XML
	}{
		{name: "one-rate", client: "bianchi", credit: true, want: []string{"<FormatoTrasmissione>FPR12</FormatoTrasmissione>", "<CodiceDestinatario>M5UXCR1</CodiceDestinatario>"},
			lines: []map[string]any{line("Sviluppo sito web", "1", "2400", "", "S", "22", ""), line("Hosting, marzo", "3", "19.99", "", "S", "22", "")}},
		{name: "mixed-rates-discounts", client: "bianchi", lines: []map[string]any{
			line("Consulenza", "12.5", "95.00", "15", "S", "22", ""),
			line("Libri", "3", "24.90", "12.5", "S", "4", ""),
			line("Catering", "20", "18.30", "", "S", "10", ""),
			line("Campione gratuito", "1", "49", "100", "S", "22", ""),
		}},
		{name: "reverse-charge", client: "gmbh", want: []string{"<Natura>N2.1</Natura>", "<CodiceDestinatario>XXXXXXX</CodiceDestinatario>"},
			lines: []map[string]any{line("Software development", "40", "85.00", "", "AE", "0", ""), line("Project management", "8", "110.00", "10", "AE", "0", "")}},
		{name: "exempt", client: "privato", want: []string{"<Natura>N4</Natura>", "<PECDestinatario>mario.rossi@pec.example.it</PECDestinatario>", "<CodiceFiscale>RSSMRA80A01H501U</CodiceFiscale>", "<BolloVirtuale>SI</BolloVirtuale>"},
			lines: []map[string]any{line("Corso di formazione", "1", "1500", "", "E", "0", "Esente art. 10 c.1 n.20 DPR 633/72")}},
		{name: "export", client: "globex", want: []string{"<Natura>N3.1</Natura>"},
			lines: []map[string]any{line("Machine part", "4", "780.00", "", "G", "0", ""), line("Installation manual", "4", "25", "", "G", "0", "")}},
		{name: "intra-eu-goods", client: "gmbh", want: []string{"<Natura>N3.2</Natura>"},
			lines: []map[string]any{line("Sedia ergonomica", "6", "329.00", "5", "K", "0", "")}},
		{name: "usd", client: "globex", invoice: map[string]any{"currency": "USD", "exchange_rate": "0.9215"}, want: []string{"<Divisa>USD</Divisa>"},
			lines: []map[string]any{line("Consulting (USD)", "10", "150.00", "", "S", "22", "")}},
		{name: "public-administration", client: "comune", want: []string{"<FormatoTrasmissione>FPA12</FormatoTrasmissione>", "<CodiceDestinatario>UFABCD</CodiceDestinatario>"},
			lines: []map[string]any{line("Manutenzione software", "10", "60", "", "S", "22", "")}},
		{name: "flat-rate", regime: "RF19", client: "bianchi", want: []string{"<RegimeFiscale>RF19</RegimeFiscale>", "<Natura>N2.2</Natura>", "L. 190/2014 (regime forfettario)", "<BolloVirtuale>SI</BolloVirtuale>"},
			lines: []map[string]any{line("Traduzione", "1", "480", "", "O", "0", "")}},
		{name: "hundred-lines", client: "bianchi", lines: hundredLines("Articolo", "22", "10")},
	}

	out := os.Getenv("KONTOR_EINVOICE_OUT")
	if out == "" {
		out = t.TempDir()
	}
	var files []string
	render := func(t *testing.T, id, label string, gross string, want []string) {
		d := get(t, s, u.Token, einvoicePath(id, "fatturapa"))
		if d.status != http.StatusOK {
			t.Fatalf("%s: %d %s", label, d.status, d.body)
		}
		for _, w := range append(want, fmt.Sprintf("<ImportoTotaleDocumento>%s</ImportoTotaleDocumento>", gross)) {
			if !strings.Contains(string(d.body), w) {
				t.Errorf("%s does not state %s", label, w)
			}
		}
		if name := d.header.Get("Content-Disposition"); !strings.Contains(name, "IT01234567890_") {
			t.Errorf("%s: file name %q", label, name)
		}
		file := filepath.Join(out, "fatturapa-"+label+".xml")
		if err := os.WriteFile(file, d.body, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
	}

	for _, tc := range cases {
		ws := s.Workspace(t, u, "Studio Rossi S.r.l.")
		regime := tc.regime
		if regime == "" {
			regime = "RF01"
		}
		s.Must(t, u.Token, http.MethodPatch, "/api/collections/workspaces/records/"+ws, map[string]any{
			"country": "IT", "vat_id": "IT01234567890", "tax_id": "01234567890", "address_line": "Via Roma 1",
			"city": "Milano", "postal_code": "20121", "iban": "IT60X0542811101000000123456", "bic": "BPMOIT22XXX",
			"language": "it", "tax_regime": regime, "email": "amministrazione@studiorossi.example", "phone": "+39 02 1234567"})
		client := s.Client(t, u, ws, italianClients[tc.client])
		body := map[string]any{"workspace": ws, "client": client, "order_reference": "ODA-" + tc.name,
			"notes": "Grazie per il vostro ordine.", "lines": tc.lines}
		for k, v := range tc.invoice {
			body[k] = v
		}
		id := s.Create(t, u, "invoices", body).String("id")
		issued := s.Issue(t, u, id)
		if issued.Status != http.StatusOK {
			t.Fatalf("%s: issue: %s", tc.name, issued.Raw)
		}
		render(t, id, tc.name, issued.String("totals.gross"), append(tc.want, "<TipoDocumento>TD01</TipoDocumento>"))
		if tc.credit {
			note := s.Must(t, u.Token, http.MethodPost, "/api/kontor/invoices/"+id+"/credit-note", nil).String("id")
			issuedNote := s.Issue(t, u, note)
			if issuedNote.Status != http.StatusOK {
				t.Fatalf("%s: issue the credit note: %s", tc.name, issuedNote.Raw)
			}
			render(t, note, tc.name+"-credit-note", issuedNote.String("totals.gross"),
				[]string{"<TipoDocumento>TD04</TipoDocumento>", "<IdDocumento>" + issued.String("number") + "</IdDocumento>"})
		}
	}
	if t.Failed() {
		return
	}
	kit.MustPass(t, "fatturapa", files...)
}
