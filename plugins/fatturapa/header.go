package fatturapa

import (
	"strings"

	"github.com/kontor-app/kontor/plugins/internal/xmlw"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// doc is one FatturaPA document being written.
type doc struct {
	w   *xmlw.Writer
	inv *sdk.Invoice
	f   *facts
	n   numbers
}

// write writes the invoice as FatturaPA, in the order of the schema: one
// header and one body. It fails only on a number of the canonical invoice
// that is no decimal.
func write(inv *sdk.Invoice, f *facts) ([]byte, error) {
	d := &doc{w: xmlw.New(), inv: inv, f: f}
	d.w.Open("p:FatturaElettronica", "versione", f.format, "xmlns:p", Namespace)
	d.header()
	d.body()
	d.w.Close()
	if d.n.err != nil {
		return nil, d.n.err
	}
	return d.w.Bytes(), nil
}

// header writes FatturaElettronicaHeader: the transmission, the seller and
// the buyer.
func (d *doc) header() {
	w, f := d.w, d.f
	w.Open("FatturaElettronicaHeader")
	w.Open("DatiTrasmissione")
	d.taxID("IdTrasmittente", &f.seller)
	w.Leaf("ProgressivoInvio", f.progressive)
	w.Leaf("FormatoTrasmissione", f.format)
	w.Leaf("CodiceDestinatario", f.recipient)
	w.Leaf("PECDestinatario", f.pec)
	w.Close()
	d.seller()
	d.buyer()
	w.Close()
}

// seller writes CedentePrestatore (BG-4).
func (d *doc) seller() {
	w, f, s := d.w, d.f, d.inv.Seller
	w.Open("CedentePrestatore")
	w.Open("DatiAnagrafici")
	d.taxID("IdFiscaleIVA", &f.seller)  // BT-31
	w.Leaf("CodiceFiscale", f.sellerCF) // BT-32
	d.name(s.Name)                      // BT-27
	w.Leaf("RegimeFiscale", f.regime)
	w.Close()
	d.address("Sede", s.Address) // BG-5
	if f.phone != "" || f.email != "" {
		w.Open("Contatti")
		w.Leaf("Telefono", f.phone) // BT-42
		w.Leaf("Email", f.email)    // BT-43
		w.Close()
	}
	w.Leaf("RiferimentoAmministrazione", f.buyerRef) // BT-10
	w.Close()
}

// buyer writes CessionarioCommittente (BG-7).
func (d *doc) buyer() {
	w, f, b := d.w, d.f, d.inv.Buyer
	w.Open("CessionarioCommittente")
	w.Open("DatiAnagrafici")
	d.taxID("IdFiscaleIVA", f.buyer)   // BT-48
	w.Leaf("CodiceFiscale", f.buyerCF) // national tax code
	d.name(b.Name)                     // BT-44
	w.Close()
	d.address("Sede", b.Address) // BG-8
	w.Close()
}

// taxID writes an IdFiscaleType, or nothing for none.
func (d *doc) taxID(name string, id *taxID) {
	if id == nil {
		return
	}
	d.w.Open(name)
	d.w.Leaf("IdPaese", id.country)
	d.w.Leaf("IdCodice", id.code)
	d.w.Close()
}

// name writes Anagrafica with the legal name as Denominazione.
func (d *doc) name(name string) {
	d.w.Open("Anagrafica")
	d.w.Leaf("Denominazione", latin(name, 80))
	d.w.Close()
}

// address writes an IndirizzoType. Indirizzo is line 1, with line 2 when
// both fit its 60 characters; the CAP of an address outside Italy is
// 00000, as the specification asks; the province (Provincia) is the
// subdivision of an Italian address when it is a two-letter code.
func (d *doc) address(name string, a sdk.Address) {
	country := upper(a.Country)
	street := latin(a.Line1, 60)
	if line2 := latin(a.Line2, 60); line2 != "" && len([]rune(street))+2+len([]rune(line2)) <= 60 {
		street += ", " + line2
	}
	postcode := "00000"
	var province string
	if country == "IT" {
		postcode = strings.TrimSpace(a.PostalCode)
		if p := upper(a.Subdivision); countryPattern.MatchString(p) {
			province = p
		}
	}
	w := d.w
	w.Open(name)
	w.Leaf("Indirizzo", street)
	w.Leaf("CAP", postcode)
	w.Leaf("Comune", latin(a.City, 60))
	w.Leaf("Provincia", province)
	w.Leaf("Nazione", country)
	w.Close()
}
