package einvoice_test

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/internal/testserver"
	"github.com/kontor-app/kontor/plugins/einvoicekit"
)

// The elements the payable and VAT totals are written in, by syntax.
const (
	ublPayable  = "<cbc:PayableAmount currencyID=%q>%s</cbc:PayableAmount>"
	ublVATTotal = "<cbc:TaxAmount currencyID=%q>%s</cbc:TaxAmount>"
	ciiPayable  = "<ram:DuePayableAmount>%[2]s</ram:DuePayableAmount>"
	ciiVATTotal = "<ram:TaxTotalAmount currencyID=%q>%s</ram:TaxTotalAmount>"
)

// formats are the EN 16931 first-party formats, each with the kit format
// that validates it, the elements its totals are written in, and, for a
// hybrid format, the name of the XML embedded in its PDF.
var formats = []struct {
	name, kit         string
	payable, vatTotal string
	embedded          string
}{
	{"peppol-bis-3", "peppol", ublPayable, ublVATTotal, ""},
	{"xrechnung-ubl", "xrechnung-ubl", ublPayable, ublVATTotal, ""},
	{"xrechnung-cii", "xrechnung-cii", ciiPayable, ciiVATTotal, ""},
	{"factur-x", "facturx", ciiPayable, ciiVATTotal, "factur-x.xml"},
}

// Clients of the matrix, by name.
var clients = map[string]map[string]any{
	// a German public buyer, known by its Leitweg-ID
	"city": {"name": "Stadt Musterhausen", "country": "DE", "vat_id": "", "address_line": "Rathausplatz 1",
		"city": "Musterhausen", "postal_code": "12345", "email": "rechnung@musterhausen.example",
		"electronic_address": "04011000-12345-03", "electronic_address_scheme": "0204"},
	// a German company
	"acme": {"name": "Acme Handels GmbH", "country": "DE", "vat_id": "DE987654321", "address_line": "Marktplatz 5",
		"city": "München", "postal_code": "80331", "electronic_address": "DE987654321", "electronic_address_scheme": "9930"},
	// a Spanish company (testserver's default client)
	"acme-es": {"electronic_address": "ESB12345678", "electronic_address_scheme": "9920", "language": "es"},
	// a French company, for goods
	"dupont": {"name": "Dupont SARL", "country": "FR", "vat_id": "FR12345678901", "address_line": "12 rue de la Paix",
		"city": "Paris", "postal_code": "75002", "electronic_address": "FR12345678901", "electronic_address_scheme": "9957"},
	// a buyer outside the EU
	"globex": {"name": "Globex Inc.", "country": "US", "vat_id": "", "address_line": "1 Fifth Avenue",
		"city": "New York", "postal_code": "10001", "electronic_address": "123456789", "electronic_address_scheme": "0060", "language": "en"},
}

// line is an invoice line of the API.
func line(description, quantity, price, discount, category, rate, reason string) map[string]any {
	l := map[string]any{"description": description, "quantity": quantity, "unit_price": price,
		"vat_category": category, "vat_rate": rate}
	if discount != "" {
		l["discount_percent"] = discount
	}
	if reason != "" {
		l["exemption_reason"] = reason
	}
	return l
}

// hundredLines are 100 lines named after item, at a standard and a
// reduced rate, some discounted, some hours.
func hundredLines(item, standard, reduced string) []map[string]any {
	var out []map[string]any
	for i := 1; i <= 100; i++ {
		rate, discount := standard, ""
		if i%3 == 0 {
			rate = reduced
		}
		if i%7 == 0 {
			discount = "5"
		}
		l := line(fmt.Sprintf("%s %03d", item, i), fmt.Sprintf("%d.%d", i%9+1, i%4), fmt.Sprintf("%d.%02d", 3+i%50, (i*37)%100), discount, "S", rate, "")
		if i%5 == 0 {
			l["unit_code"] = "HUR"
		}
		out = append(out, l)
	}
	return out
}

// TestMatrix issues a table of invoices through the API, renders each in
// every first-party format through the out-of-process plugins, checks that
// each document states the stored totals, and validates every document of
// a format with the official rules in one run of the kit.
func TestMatrix(t *testing.T) {
	kit := einvoicekit.Require(t)
	s := newServer(t, "")
	u := s.SignUp(t, "owner@example.com")

	cases := []struct {
		name    string
		client  string
		invoice map[string]any
		lines   []map[string]any
		credit  bool // also credit it in full, and render the credit note
	}{
		{name: "one-rate", client: "city", credit: true, lines: []map[string]any{
			line("Website redesign", "1", "2400", "", "S", "19", ""),
			line("Hosting, March", "3", "19.99", "", "S", "19", ""),
		}},
		{name: "mixed-rates-discounts", client: "acme", lines: []map[string]any{
			line("Consulting", "12.5", "95.00", "15", "S", "19", ""),
			line("Books", "3", "24.90", "12.5", "S", "7", ""),
			line("Licence", "1", "1000", "", "S", "19", ""),
			line("Printed brochure", "250", "0.333", "", "S", "7", ""),
			line("Free sample", "1", "49", "100", "S", "19", ""),
			line("Export packaging", "2", "15", "", "Z", "0", ""),
		}},
		{name: "reverse-charge", client: "acme-es", lines: []map[string]any{
			line("Software development", "40", "85.00", "", "AE", "0", ""),
			line("Project management", "8", "110.00", "10", "AE", "0", ""),
		}},
		{name: "exempt", client: "city", lines: []map[string]any{
			line("Seminar for staff", "1", "1500", "", "E", "0", "Steuerfrei nach § 4 Nr. 21 UStG"),
			line("Seminar documents", "20", "12.50", "", "S", "19", ""),
		}},
		{name: "export", client: "globex", lines: []map[string]any{
			line("Machine part", "4", "780.00", "", "G", "0", ""),
			line("Installation manual", "4", "25", "", "G", "0", ""),
		}},
		{name: "intra-eu-goods", client: "dupont", lines: []map[string]any{
			line("Ergonomic chair", "6", "329.00", "5", "K", "0", ""),
		}},
		{name: "not-subject", client: "city", lines: []map[string]any{
			line("Damages paid under the contract", "1", "500", "", "O", "0", ""),
		}},
		{name: "usd-vat-accounting", client: "acme", invoice: map[string]any{"currency": "USD", "exchange_rate": "0.9215"}, lines: []map[string]any{
			line("Consulting (USD)", "10", "150.00", "", "S", "19", ""),
			line("Travel", "1", "333.33", "", "S", "19", ""),
		}},
		{name: "hundred-lines", client: "acme", lines: hundredLines("Item", "19", "7")},
	}

	out := os.Getenv("KONTOR_EINVOICE_OUT") // keep the documents there to look at them
	if out == "" {
		out = t.TempDir()
	}
	files := map[string][]string{}
	render := func(t *testing.T, id, label string, issued testserver.Response) {
		for _, f := range formats {
			d := get(t, s, u.Token, einvoicePath(id, f.name))
			if d.status != http.StatusOK {
				t.Fatalf("%s %s: %d %s", label, f.name, d.status, d.body)
			}
			file := filepath.Join(out, f.name+"-"+label+".xml")
			xml := d.body
			if f.embedded != "" {
				file = strings.TrimSuffix(file, ".xml") + ".pdf"
				xml = attachment(t, d.body, f.embedded)
			}
			currency := issued.String("currency")
			for _, want := range []string{fmt.Sprintf(f.payable, currency, issued.String("totals.gross")),
				fmt.Sprintf(f.vatTotal, currency, issued.String("totals.vat"))} {
				if !strings.Contains(string(xml), want) {
					t.Errorf("%s %s does not state %s", label, f.name, want)
				}
			}
			if acc := issued.String("totals.vat_accounting"); acc != "" {
				want := fmt.Sprintf(f.vatTotal, issued.String("totals.accounting_currency"), acc)
				if !strings.Contains(string(xml), want) {
					t.Errorf("%s %s does not state the VAT in the accounting currency: %s", label, f.name, want)
				}
			}
			if err := os.WriteFile(file, d.body, 0o644); err != nil {
				t.Fatal(err)
			}
			files[f.kit] = append(files[f.kit], file)
		}
	}

	for _, tc := range cases {
		ws := s.Workspace(t, u, "Nordlicht Design GmbH")
		peppolReady(t, s, u, ws)
		s.Must(t, u.Token, http.MethodPatch, "/api/collections/workspaces/records/"+ws, map[string]any{"tax_id": "30/123/45678"})
		client := s.Client(t, u, ws, clients[tc.client])
		body := map[string]any{"workspace": ws, "client": client, "buyer_reference": "04011000-12345-03",
			"order_reference": "PO-" + tc.name, "notes": "Thank you for your order.", "lines": tc.lines}
		for k, v := range tc.invoice {
			body[k] = v
		}
		id := s.Create(t, u, "invoices", body).String("id")
		issued := s.Issue(t, u, id)
		if issued.Status != http.StatusOK {
			t.Fatalf("%s: issue: %s", tc.name, issued.Raw)
		}
		render(t, id, tc.name, issued)
		if tc.credit {
			note := s.Must(t, u.Token, http.MethodPost, "/api/kontor/invoices/"+id+"/credit-note", nil).String("id")
			issuedNote := s.Issue(t, u, note)
			if issuedNote.Status != http.StatusOK {
				t.Fatalf("%s: issue the credit note: %s", tc.name, issuedNote.Raw)
			}
			render(t, note, tc.name+"-credit-note", issuedNote)
		}
	}
	if t.Failed() {
		return
	}
	t.Setenv("FACTURX_PLUS_CEN", "1") // Factur-X: the CEN rules too
	for _, f := range formats {
		kit.MustPass(t, f.kit, files[f.kit]...)
	}
}

// attachment returns the file of the name embedded in a PDF (qpdf).
func attachment(t *testing.T, pdf []byte, name string) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hybrid.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("qpdf", "--show-attachment="+name, path).Output()
	if err != nil {
		t.Fatalf("qpdf --show-attachment=%s: %v", name, err)
	}
	return out
}
