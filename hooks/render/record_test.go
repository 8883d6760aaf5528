package render_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/hooks/render"
	"github.com/kontor-app/kontor/internal/testserver"
)

func TestDocumentFromRecord(t *testing.T) {
	s := newServer(t, render.Config{})
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Müller GmbH")
	logo := testLogo(t)
	setLogo(t, s.App, ws, logo)
	client := s.Client(t, owner, ws, map[string]any{"language": "es"})
	id := s.Create(t, owner, "invoices", map[string]any{
		"workspace": ws, "client": client, "buyer_reference": "REF-1", "order_reference": "PO-9", "notes": "Gracias",
		"lines": []map[string]any{
			testserver.Line("Diseño", "2", "100"),
			{"description": "Soporte", "quantity": "1", "unit_code": "DAY", "unit_price": "50", "discount_percent": "10",
				"vat_category": "S", "vat_rate": "7"},
		},
	}).String("id")

	draft, err := s.App.FindRecordById("invoices", id)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := render.DocumentFromRecord(s.App, draft)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"draft", doc.Draft, true},
		{"type", doc.Type, render.TypeInvoice},
		{"language", doc.Language, "es"},
		{"seller", doc.Seller.Name, "Müller GmbH"},
		{"seller IBAN", doc.Seller.IBAN, "DE89370400440532013000"},
		{"buyer", doc.Buyer.Name, "Acme SL"},
		{"buyer VAT", doc.Buyer.VATID, "ESB12345678"},
		{"references", doc.BuyerReference + " " + doc.OrderReference, "REF-1 PO-9"},
		{"lines", len(doc.Lines), 2},
		{"line net", doc.Lines[1].NetAmount, "45.00"},
		{"line discount", doc.Lines[1].DiscountPercent, "10"},
		{"line unit", doc.Lines[1].UnitCode, "DAY"},
		{"breakdown", len(doc.Breakdown), 2},
		{"gross", doc.Totals.Gross, "286.15"},
		{"logo", bytes.Equal(doc.Logo, logo), true},
		{"notes", doc.Notes, "Gracias"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("draft %s: %v, want %v", c.name, c.got, c.want)
		}
	}

	if r := s.Issue(t, owner, id); r.Status != http.StatusOK {
		t.Fatalf("issue: %s", r.Raw)
	}
	// what changes after issuing must not reach the issued document
	s.Must(t, owner.Token, http.MethodPatch, "/api/collections/workspaces/records/"+ws, map[string]any{"name": "Renamed AG", "iban": "FR1420041010050500013M02606"})
	s.Must(t, owner.Token, http.MethodPatch, "/api/collections/clients/records/"+client, map[string]any{"name": "Other Buyer"})

	issued, err := s.App.FindRecordById("invoices", id)
	if err != nil {
		t.Fatal(err)
	}
	doc, err = render.DocumentFromRecord(s.App, issued)
	if err != nil {
		t.Fatal(err)
	}
	checks = []struct {
		name      string
		got, want any
	}{
		{"draft", doc.Draft, false},
		{"number", doc.Number, issued.GetString("number")},
		{"seller", doc.Seller.Name, "Müller GmbH"},
		{"seller IBAN", doc.Seller.IBAN, "DE89370400440532013000"},
		{"buyer", doc.Buyer.Name, "Acme SL"},
		{"created", doc.Created.Equal(issued.GetDateTime("issued_at").Time()), true},
		{"due date", doc.DueDate != "", true},
		{"logo", bytes.Equal(doc.Logo, logo), true},
		{"gross", doc.Totals.Gross, "286.15"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("issued %s: %v, want %v", c.name, c.got, c.want)
		}
	}
}

// A credit note names the invoice it corrects, and its PDF is stored when
// it is issued, like an invoice's.
func TestCreditNoteRecord(t *testing.T) {
	s := newServer(t, render.Config{})
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Müller GmbH")
	invoice := s.Draft(t, owner, ws, s.Client(t, owner, ws, map[string]any{"language": "de"}), testserver.Line("Beratung", "2", "100"))
	number := s.Issue(t, owner, invoice).String("number")
	note := s.Must(t, owner.Token, http.MethodPost, "/api/kontor/invoices/"+invoice+"/credit-note", nil).String("id")
	if r := s.Issue(t, owner, note); r.Status != http.StatusOK {
		t.Fatalf("issue credit note: %s", r.Raw)
	}

	storedPDF(t, s, note)
	rec, err := s.App.FindRecordById("invoices", note)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := render.DocumentFromRecord(s.App, rec)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Type != render.TypeCreditNote || doc.CreditedNumber != number {
		t.Fatalf("type %s, credited number %q, want %q", doc.Type, doc.CreditedNumber, number)
	}
	r := getPDF(t, s, owner.Token, "/api/kontor/invoices/"+note+"/pdf")
	if r.status != http.StatusOK {
		t.Fatalf("%d %s", r.status, r.body)
	}
	got := pdfText(t, r.body)
	for _, want := range []string{"Rechnungskorrektur", rec.GetString("number"), "Korrigiert Rechnung", number, "238,00 EUR"} {
		if !strings.Contains(got, want) {
			t.Errorf("the credit note lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Zahlung") {
		t.Errorf("the credit note asks for payment:\n%s", got)
	}
}
