package fatturapa_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/kontor-app/kontor/plugins/einvoicekit"
	"github.com/kontor-app/kontor/plugins/fatturapa"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// line is an invoice line of quantity × price, less a discount in percent
// when one is given, with the amounts EN 16931 computes.
func line(name, quantity, price, discount, category, rate string) sdk.Line {
	q, p := decimal.RequireFromString(quantity), decimal.RequireFromString(price)
	base := q.Mul(p).Round(2)
	l := sdk.Line{Quantity: quantity, UnitCode: "C62", Price: sdk.Price{Net: price},
		VAT: sdk.LineVAT{Category: category, Rate: rate}, Item: sdk.Item{Name: name}}
	net := base
	if discount != "" {
		amount := base.Mul(decimal.RequireFromString(discount)).Div(decimal.NewFromInt(100)).Round(2)
		net = base.Sub(amount)
		l.Allowances = []sdk.AllowanceCharge{{Amount: amount.StringFixed(2), BaseAmount: base.StringFixed(2),
			Percentage: discount, Reason: "Discount", ReasonCode: sdk.AllowanceReasonDiscount}}
	}
	l.NetAmount = net.StringFixed(2)
	return l
}

// finish numbers the lines and computes the totals and the VAT breakdown,
// with the exemption reason of each category that has one, as Kontor's
// EN 16931 engine does before a plugin sees the invoice.
func finish(inv *sdk.Invoice, reasons map[string]string) *sdk.Invoice {
	type key struct{ category, rate string }
	var order []key
	taxable := map[key]decimal.Decimal{}
	add := func(category, rate string, amount decimal.Decimal) {
		k := key{category, rate}
		if _, ok := taxable[k]; !ok {
			order = append(order, k)
		}
		taxable[k] = taxable[k].Add(amount)
	}
	lineNet, allowances, charges := decimal.Zero, decimal.Zero, decimal.Zero
	for i := range inv.Lines {
		l := &inv.Lines[i]
		l.ID = fmt.Sprint(i + 1)
		net := decimal.RequireFromString(l.NetAmount)
		lineNet = lineNet.Add(net)
		add(l.VAT.Category, l.VAT.Rate, net)
	}
	for _, a := range inv.Allowances {
		amount := decimal.RequireFromString(a.Amount)
		allowances = allowances.Add(amount)
		add(a.VATCategory, a.VATRate, amount.Neg())
	}
	for _, c := range inv.Charges {
		amount := decimal.RequireFromString(c.Amount)
		charges = charges.Add(amount)
		add(c.VATCategory, c.VATRate, amount)
	}
	vat := decimal.Zero
	inv.VATBreakdown = nil
	for _, k := range order {
		tax := decimal.Zero
		if k.category == "S" {
			tax = taxable[k].Mul(decimal.RequireFromString(k.rate)).Div(decimal.NewFromInt(100)).Round(2)
		}
		vat = vat.Add(tax)
		inv.VATBreakdown = append(inv.VATBreakdown, sdk.VATBreakdown{Category: k.category, Rate: k.rate,
			Taxable: taxable[k].StringFixed(2), VAT: tax.StringFixed(2), ExemptionReason: reasons[k.category]})
	}
	net := lineNet.Sub(allowances).Add(charges)
	gross := net.Add(vat).StringFixed(2)
	inv.Totals = sdk.Totals{LineNet: lineNet.StringFixed(2), Net: net.StringFixed(2), VAT: vat.StringFixed(2), Gross: gross, Payable: gross}
	if !allowances.IsZero() {
		inv.Totals.Allowances = allowances.StringFixed(2)
	}
	if !charges.IsZero() {
		inv.Totals.Charges = charges.StringFixed(2)
	}
	return inv
}

// sample is an invoice of Studio Rossi S.r.l. to an Italian company known
// by its Codice Destinatario, with the lines given.
func sample(number string, lines ...sdk.Line) *sdk.Invoice {
	return &sdk.Invoice{
		ModelVersion: sdk.ModelVersion, Number: number, IssueDate: "2026-03-02", DueDate: "2026-04-01",
		TypeCode: sdk.TypeInvoice, Currency: "EUR", Language: "it",
		Seller: sdk.Party{Name: "Studio Rossi S.r.l.", VATID: "IT01234567890", TaxRegistrationID: "01234567890", TaxRegime: "RF01",
			Address: sdk.Address{Line1: "Via Roma 1", City: "Milano", PostalCode: "20121", Subdivision: "MI", Country: "IT"},
			Contact: &sdk.Contact{Name: "Giulia Rossi", Phone: "+39 02 1234567", Email: "fatture@studiorossi.example"}},
		Buyer: sdk.Party{Name: "Bianchi Costruzioni S.p.A.", VATID: "IT09876543210",
			ElectronicAddress: &sdk.ElectronicAddress{ID: "ABC1234", Scheme: "0205"},
			Address:           sdk.Address{Line1: "Via Torino 38", City: "Roma", PostalCode: "00144", Subdivision: "RM", Country: "IT"}},
		Payment: &sdk.PaymentInstructions{MeansCode: sdk.MeansSEPACreditTransfer, RemittanceInformation: number,
			CreditTransfer: &sdk.CreditTransfer{AccountID: "IT60X0542811101000000123456", ServiceProviderID: "BPMOIT22XXX"}},
		Lines: lines,
	}
}

// Buyers outside the one of sample.
var (
	german = sdk.Party{Name: "Nordlicht Design GmbH", VATID: "DE123456789",
		ElectronicAddress: &sdk.ElectronicAddress{ID: "DE123456789", Scheme: "9930"},
		Address:           sdk.Address{Line1: "Hauptstraße 1", City: "Berlin", PostalCode: "10115", Country: "DE"}}
	french = sdk.Party{Name: "Dupont SARL", VATID: "FR12345678901",
		Address: sdk.Address{Line1: "12 rue de la Paix", City: "Paris", PostalCode: "75002", Country: "FR"}}
	american = sdk.Party{Name: "Globex Inc.",
		Address: sdk.Address{Line1: "1 Fifth Avenue", City: "New York", PostalCode: "10001", Country: "US"}}
	municipality = sdk.Party{Name: "Comune di Roccaverde", TaxRegistrationID: "80012345678",
		ElectronicAddress: &sdk.ElectronicAddress{ID: "UFABCD", Scheme: "0201"},
		Address:           sdk.Address{Line1: "Piazza del Municipio 1", City: "Roccaverde", PostalCode: "00010", Subdivision: "RM", Country: "IT"}}
	person = sdk.Party{Name: "Mario Rossi", TaxRegistrationID: "RSSMRA80A01H501U",
		Address: sdk.Address{Line1: "Via Garibaldi 7", City: "Torino", PostalCode: "10122", Country: "IT"}}
)

// hundredLines are 100 lines at 22 % and 10 %, every seventh discounted.
func hundredLines() []sdk.Line {
	var out []sdk.Line
	for i := 1; i <= 100; i++ {
		rate, discount := "22", ""
		if i%3 == 0 {
			rate = "10"
		}
		if i%7 == 0 {
			discount = "5"
		}
		l := line(fmt.Sprintf("Articolo %03d", i), fmt.Sprintf("%d.%d", i%9+1, i%4), fmt.Sprintf("%d.%02d", 3+i%50, (i*37)%100), discount, "S", rate)
		if i%5 == 0 {
			l.UnitCode = "HUR"
		}
		out = append(out, l)
	}
	return out
}

// renderCase is one invoice of TestRender and what its document states.
type renderCase struct {
	name      string
	inv       *sdk.Invoice
	format    string   // FormatoTrasmissione
	recipient string   // CodiceDestinatario
	tipo      string   // TipoDocumento
	natures   []string // Natura of the DatiRiepilogo
	total     string   // ImportoTotaleDocumento
	stamp     bool     // DatiBollo
	warnings  []string // fields of the warnings
	contains  []string // further text of the document
}

func renderCases() []renderCase {
	oneRate := finish(sample("FT-2026-0001",
		line("Consulenza strategica", "1", "1000.00", "", "S", "22"),
		line("Analisi di mercato", "10", "50.00", "10", "S", "22")), nil)
	oneRate.Lines[1].UnitCode = "HUR"
	oneRate.Notes = []string{"Grazie per la fiducia – pagamento a 30 giorni, importi in €. " + strings.Repeat("Nota lunga. ", 30)}
	oneRate.Buyer.Name = "Caffè “Bella Italia” & Figli <Łódź> 日本"

	mixed := finish(sample("FT-2026-0002",
		line("Progettazione", "2", "100.00", "10", "S", "22"),
		line("Manuale tecnico", "5", "20.00", "", "S", "10"),
		line("Libri di testo", "4", "25.00", "5", "S", "4")), nil)

	reverse := sample("FT-2026-0003", line("Consulenza IT", "1", "1200.00", "", "AE", "0"))
	reverse.Buyer = german
	finish(reverse, map[string]string{"AE": "Reverse charge"})

	exempt := finish(sample("FT-2026-0004", line("Prestazione sanitaria", "1", "500.00", "", "E", "0")),
		map[string]string{"E": "Esente art. 10 c.1 n. 18 DPR 633/72"})

	export := sample("FT-2026-0005", line("Macchinario", "3", "250.00", "", "G", "0"))
	export.Buyer = american
	finish(export, map[string]string{"G": "Export outside the EU, exempt from VAT (Art. 146 Directive 2006/112/EC)"})

	intra := sample("FT-2026-0006", line("Componenti", "10", "40.00", "", "K", "0"))
	intra.Buyer = french
	finish(intra, map[string]string{"K": "Intra-Community supply exempt from VAT (Art. 138 Directive 2006/112/EC)"})

	flat := finish(sample("FT-2026-0007", line("Servizio fotografico", "1", "800.00", "", "O", "0")), nil)
	flat.Seller.TaxRegime = "RF19"

	note := finish(sample("NC-2026-0001", line("Consulenza strategica", "1", "200.00", "", "S", "22")), nil)
	note.TypeCode = sdk.TypeCreditNote
	note.PrecedingInvoices = []sdk.PrecedingInvoice{{Number: "FT-2026-0001", IssueDate: "2026-03-02"}}

	dollars := finish(sample("FT-2026-0008", line("Licenza software", "2", "300.00", "", "S", "22")), nil)
	dollars.Currency, dollars.VATAccountingCurrency, dollars.Totals.VATAccounting = "USD", "EUR", "121.44"

	hundred := finish(sample("FT-2026-0009", hundredLines()...), nil)

	pec := finish(sample("FT-2026-0010", line("Manutenzione", "1", "150.00", "", "S", "22")), nil)
	pec.Buyer.ElectronicAddress = &sdk.ElectronicAddress{ID: "amministrazione@pec.bianchi.example", Scheme: "EM"}

	public := sample("FT-2026-0011", line("Servizio di pulizia", "12", "80.00", "", "S", "22"))
	public.Buyer, public.BuyerReference, public.OrderReference = municipality, "DET-2026-15", "ORD-778"
	finish(public, nil)

	private := sample("FT-2026-0012", line("Ritratto", "1", "350.00", "", "S", "22"))
	private.Buyer = person
	finish(private, nil)

	domestic := finish(sample("FT-2026-0013", line("Subappalto", "1", "2000.00", "", "AE", "0")), map[string]string{"AE": "Inversione contabile"})

	adjusted := sample("FT-2026-0014", line("Forniture", "4", "250.00", "", "S", "22"))
	adjusted.Allowances = []sdk.AllowanceCharge{{Amount: "50.00", VATCategory: "S", VATRate: "22", Reason: "Sconto fedeltà", ReasonCode: "95"}}
	adjusted.Charges = []sdk.AllowanceCharge{{Amount: "20.00", VATCategory: "S", VATRate: "22", Reason: "Spese di trasporto"}}
	finish(adjusted, nil)

	noCode := finish(sample("FT-2026-0015", line("Consulenza", "1", "100.00", "", "S", "22")), nil)
	noCode.Buyer.ElectronicAddress = nil

	s22 := sdk.LineVAT{Category: "S", Rate: "22"}
	lineForms := finish(sample("FT-2026-0016",
		sdk.Line{Quantity: "250", UnitCode: "C62", NetAmount: "375.00", VAT: s22,
			Price: sdk.Price{Net: "150.00", BaseQuantity: "100", BaseQuantityUnitCode: "C62"},
			Item:  sdk.Item{Name: "Viti", SellerID: "VT-100"}},
		sdk.Line{Quantity: "3", UnitCode: "C62", NetAmount: "29.00", VAT: s22, Price: sdk.Price{Net: "10.00"},
			Allowances: []sdk.AllowanceCharge{{Amount: "1.00", Reason: "Abbuono"}},
			Item:       sdk.Item{Name: "Cavi", Description: "Cavo di rete 2 m"}},
		sdk.Line{Quantity: "2", UnitCode: "HUR", NetAmount: "110.00", VAT: s22, Price: sdk.Price{Net: "50.00"},
			Charges: []sdk.AllowanceCharge{{Amount: "10.00", BaseAmount: "100.00", Percentage: "10", Reason: "Urgenza"}},
			Item:    sdk.Item{Name: "Intervento urgente"}},
		sdk.Line{Quantity: "-1", UnitCode: "C62", NetAmount: "-20.00", VAT: s22, Price: sdk.Price{Net: "20.00"},
			Period: &sdk.Period{Start: "2026-02-01", End: "2026-02-28"}, Item: sdk.Item{Name: "Reso imballo"}},
	), nil)

	return []renderCase{
		{"one rate", oneRate, "FPR12", "ABC1234", "TD01", []string{""}, "1769.00", false, nil,
			[]string{"<Denominazione>Caffè &#34;Bella Italia&#34; &amp; Figli &lt;Lódz&gt; ??</Denominazione>", "importi in EUR.", "<UnitaMisura>HUR</UnitaMisura>",
				"<Percentuale>10.00</Percentuale>", "<Telefono>+39021234567</Telefono>", "<IBAN>IT60X0542811101000000123456</IBAN>", "<Provincia>MI</Provincia>"}},
		{"mixed rates", mixed, "FPR12", "ABC1234", "TD01", []string{"", "", ""}, "428.40", false, nil,
			[]string{"<AliquotaIVA>4.00</AliquotaIVA>", "<PrezzoTotale>95.00</PrezzoTotale>"}},
		{"reverse charge to an EU business", reverse, "FPR12", "XXXXXXX", "TD01", []string{"N2.1"}, "1200.00", true, nil,
			[]string{"<IdPaese>DE</IdPaese>", "<CAP>00000</CAP>", "<RiferimentoNormativo>Reverse charge</RiferimentoNormativo>"}},
		{"exempt", exempt, "FPR12", "ABC1234", "TD01", []string{"N4"}, "500.00", true, nil,
			[]string{"<RiferimentoNormativo>Esente art. 10 c.1 n. 18 DPR 633/72</RiferimentoNormativo>"}},
		{"export", export, "FPR12", "XXXXXXX", "TD01", []string{"N3.1"}, "750.00", false, nil,
			[]string{"<IdPaese>US</IdPaese>", "<IdCodice>99999999999</IdCodice>"}},
		{"intra-EU goods", intra, "FPR12", "XXXXXXX", "TD01", []string{"N3.2"}, "400.00", false, nil,
			[]string{"<IdCodice>12345678901</IdCodice>"}},
		{"flat rate", flat, "FPR12", "ABC1234", "TD01", []string{"N2.2"}, "800.00", true, nil,
			[]string{"<RegimeFiscale>RF19</RegimeFiscale>", "regime forfettario"}},
		{"credit note", note, "FPR12", "ABC1234", "TD04", []string{""}, "244.00", false, nil,
			[]string{"<DatiFattureCollegate>", "<IdDocumento>FT-2026-0001</IdDocumento>"}},
		{"US dollars", dollars, "FPR12", "ABC1234", "TD01", []string{""}, "732.00", false, nil,
			[]string{"<Divisa>USD</Divisa>", "<Causale>Totale IVA in EUR: 121.44</Causale>"}},
		{"100 lines", hundred, "FPR12", "ABC1234", "TD01", []string{"", ""}, hundred.Totals.Gross, false, nil,
			[]string{"<NumeroLinea>100</NumeroLinea>"}},
		{"PEC", pec, "FPR12", "0000000", "TD01", []string{""}, "183.00", false, nil,
			[]string{"<PECDestinatario>amministrazione@pec.bianchi.example</PECDestinatario>"}},
		{"public administration", public, "FPA12", "UFABCD", "TD01", []string{""}, "1171.20", false, []string{"vat_breakdown"},
			[]string{`versione="FPA12"`, "<CodiceFiscale>80012345678</CodiceFiscale>", "<RiferimentoAmministrazione>DET-2026-15</RiferimentoAmministrazione>",
				"<IdDocumento>ORD-778</IdDocumento>"}},
		{"private person", private, "FPR12", "0000000", "TD01", []string{""}, "427.00", false, nil,
			[]string{"<CodiceFiscale>RSSMRA80A01H501U</CodiceFiscale>"}},
		{"domestic reverse charge", domestic, "FPR12", "ABC1234", "TD01", []string{"N6.9"}, "2000.00", false, nil, nil},
		{"document allowance and charge", adjusted, "FPR12", "ABC1234", "TD01", []string{""}, "1183.40", false, nil,
			[]string{"<TipoCessionePrestazione>SC</TipoCessionePrestazione>", "<PrezzoTotale>-50.00</PrezzoTotale>",
				"<TipoCessionePrestazione>AC</TipoCessionePrestazione>", "<ImponibileImporto>970.00</ImponibileImporto>"}},
		{"line forms", lineForms, "FPR12", "ABC1234", "TD01", []string{""}, "602.68", false, nil,
			[]string{"<PrezzoUnitario>1.50</PrezzoUnitario>", "<CodiceValore>VT-100</CodiceValore>", "<Importo>0.33333333</Importo>",
				"<Tipo>MG</Tipo>", "<PrezzoUnitario>-20.00</PrezzoUnitario>", "<DataFinePeriodo>2026-02-28</DataFinePeriodo>",
				"<Descrizione>Cavi - Cavo di rete 2 m</Descrizione>"}},
		{"business without a code", noCode, "FPR12", "0000000", "TD01", []string{""}, "122.00", false, []string{"buyer.electronic_address"}, nil},
	}
}

// leaves returns the texts of the elements of the name.
func leaves(content []byte, name string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<`+name+`>([^<]*)</`+name+`>`).FindAllSubmatch(content, -1) {
		out = append(out, string(m[1]))
	}
	return out
}

// TestRender renders a table of invoices, checks what each document states
// and validates them all against the FatturaPA 1.2.2 schema in one run.
func TestRender(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for _, tc := range renderCases() {
		doc, err := fatturapa.Format{}.Render(context.Background(), tc.inv)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var warnings []string
		for _, i := range doc.Issues {
			if i.Severity == sdk.SeverityError {
				t.Fatalf("%s: error %+v", tc.name, i)
			}
			warnings = append(warnings, i.Field)
		}
		if strings.Join(warnings, ",") != strings.Join(tc.warnings, ",") {
			t.Errorf("%s: warnings %v, want %v (%+v)", tc.name, warnings, tc.warnings, doc.Issues)
		}
		c := doc.Content
		checks := []struct {
			name string
			got  []string
			want []string
		}{
			{"FormatoTrasmissione", leaves(c, "FormatoTrasmissione"), []string{tc.format}},
			{"CodiceDestinatario", leaves(c, "CodiceDestinatario"), []string{tc.recipient}},
			{"TipoDocumento", leaves(c, "TipoDocumento"), []string{tc.tipo}},
			{"ImportoTotaleDocumento", leaves(c, "ImportoTotaleDocumento"), []string{tc.total}},
			{"Natura of DatiRiepilogo", summaryNatures(c), tc.natures},
			{"BolloVirtuale", leaves(c, "BolloVirtuale"), map[bool][]string{true: {"SI"}}[tc.stamp]},
		}
		for _, ch := range checks {
			if strings.Join(ch.got, "|") != strings.Join(ch.want, "|") {
				t.Errorf("%s: %s %q, want %q", tc.name, ch.name, ch.got, ch.want)
			}
		}
		for _, s := range tc.contains {
			if !bytes.Contains(c, []byte(s)) {
				t.Errorf("%s: no %s in\n%s", tc.name, s, c)
			}
		}
		if !regexp.MustCompile(`^IT01234567890_[0-9A-Z]{5}\.xml$`).MatchString(doc.FileName) || doc.MediaType != "application/xml" {
			t.Errorf("%s: file %q of type %q", tc.name, doc.FileName, doc.MediaType)
		}
		f := filepath.Join(dir, doc.FileName)
		if _, err := os.Stat(f); err == nil {
			t.Fatalf("%s: two documents named %s", tc.name, doc.FileName)
		}
		if err := os.WriteFile(f, c, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	kit := einvoicekit.Require(t)
	kit.MustPass(t, "fatturapa", files...)
}

// summaryNatures returns the Natura of each DatiRiepilogo, "" for none.
func summaryNatures(content []byte) []string {
	var out []string
	for _, m := range regexp.MustCompile(`(?s)<DatiRiepilogo>(.*?)</DatiRiepilogo>`).FindAllSubmatch(content, -1) {
		n := leaves(m[1], "Natura")
		out = append(out, strings.Join(n, ""))
	}
	return out
}

func TestDeterministic(t *testing.T) {
	for _, tc := range renderCases() {
		a, err := fatturapa.Format{}.Render(context.Background(), tc.inv)
		if err != nil {
			t.Fatal(err)
		}
		b, err := fatturapa.Format{}.Render(context.Background(), tc.inv)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Content, b.Content) || a.FileName != b.FileName {
			t.Errorf("%s: two renders differ", tc.name)
		}
	}
}

func TestDescribe(t *testing.T) {
	d := fatturapa.Format{}.Describe()
	if d.Kind != sdk.KindFormat || d.Name != fatturapa.Name || d.Title != "FatturaPA 1.2.2" || d.Version != "1.0.0" ||
		!d.Has(sdk.CapabilityInvoice) || !d.Has(sdk.CapabilityCreditNote) || d.MediaType != "application/xml" {
		t.Errorf("description %+v", d)
	}
}
