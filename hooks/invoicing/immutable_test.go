package invoicing_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/render"
	"github.com/kontor-app/kontor/internal/testserver"
)

func TestIssuedInvoiceIsImmutable(t *testing.T) {
	s := testserver.New(t)
	u := s.SignUp(t, "ana@example.com")
	ws := s.Workspace(t, u, "Ana GmbH")
	client := s.Client(t, u, ws, nil)
	id := s.Draft(t, u, ws, client, testserver.Line("Consulting", "1", "100"))
	path := "/api/collections/invoices/records/" + id

	// a draft is edited freely, and its totals follow its lines
	r := s.Must(t, u.Token, http.MethodPatch, path, map[string]any{"lines": []any{testserver.Line("Consulting", "2", "100")}})
	if r.String("totals.gross") != "238.00" {
		t.Fatalf("draft totals not recomputed: %s", r.Raw)
	}
	// but never its server-owned fields
	for field, value := range map[string]any{
		"number": "X-1", "status": "paid", "totals": map[string]any{"gross": "1.00"},
		"seller": map[string]any{"name": "Someone"}, "issued_at": "2026-01-01 00:00:00.000Z",
		"sent_at": "2026-01-02 00:00:00.000Z",
	} {
		if r := s.Do(t, u.Token, http.MethodPatch, path, map[string]any{field: value}); r.Status != 400 || r.String("data."+field+".message") == "" {
			t.Errorf("writing %s on a draft: %d %s", field, r.Status, r.Raw)
		}
	}
	if r := s.Do(t, u.Token, http.MethodPost, "/api/collections/invoices/records", map[string]any{"workspace": ws, "status": "issued", "number": "X-9"}); r.Status != 400 {
		t.Errorf("creating an issued invoice: %d %s", r.Status, r.Raw)
	}

	if r := s.Issue(t, u, id); r.Status != 200 {
		t.Fatalf("issue: %d %s", r.Status, r.Raw)
	}
	// the PDF is stored once, in the background, after issuing
	var pdf *core.Record
	for deadline := time.Now().Add(10 * time.Second); pdf == nil && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		pdf, _ = render.StoredPDFRecord(s.App, id)
	}
	if pdf == nil {
		t.Fatal("no PDF stored after issuing")
	}
	issued := s.Must(t, u.Token, http.MethodGet, path, nil)
	attempts := []struct {
		name   string
		method string
		body   any
	}{
		{"edit lines", http.MethodPatch, map[string]any{"lines": []any{testserver.Line("Cheaper", "1", "1")}}},
		{"edit notes", http.MethodPatch, map[string]any{"notes": "changed"}},
		{"back to draft", http.MethodPatch, map[string]any{"status": "draft"}},
		{"mark paid", http.MethodPatch, map[string]any{"status": "paid"}},
		{"change number", http.MethodPatch, map[string]any{"number": "INV-0"}},
		{"change totals", http.MethodPatch, map[string]any{"totals": map[string]any{"net": "1.00", "vat": "0.00", "gross": "1.00", "paid": "0.00", "due": "1.00"}}},
		{"resend unchanged", http.MethodPatch, map[string]any{"notes": ""}},
		{"delete", http.MethodDelete, nil},
	}
	for _, a := range attempts {
		r := s.Do(t, u.Token, a.method, path, a.body)
		if r.Status != 400 && r.Status != 403 {
			t.Errorf("%s: %d %s", a.name, r.Status, r.Raw)
		}
	}
	// not through the app either: the model hooks guard every route
	record, err := s.App.FindRecordById("invoices", id)
	if err != nil {
		t.Fatal(err)
	}
	record.Set("notes", "changed behind the API")
	if err := s.App.Save(record); err == nil {
		t.Error("app.Save changed an issued invoice")
	}
	if err := s.App.Delete(record); err == nil {
		t.Error("app.Delete removed an issued invoice")
	}
	// the stored PDF is written once and is the server's alone
	pdfPath := "/api/collections/" + render.PDFCollection + "/records/" + pdf.Id
	for _, method := range []string{http.MethodGet, http.MethodPatch, http.MethodDelete} {
		if r := s.Do(t, u.Token, method, pdfPath, map[string]any{}); r.Status < 400 {
			t.Errorf("%s of the stored PDF through the API: %d %s", method, r.Status, r.Raw)
		}
	}
	pdf.Set("file", nil)
	if err := s.App.Save(pdf); err == nil {
		t.Error("app.Save replaced the stored PDF")
	}
	// deleting the client would unset the relation of the issued invoice
	if r := s.Do(t, u.Token, http.MethodDelete, "/api/collections/clients/records/"+client, nil); r.Status != 400 {
		t.Errorf("deleting the client of an issued invoice: %d %s", r.Status, r.Raw)
	}
	// nor the workspace that holds it
	if r := s.Do(t, u.Token, http.MethodDelete, "/api/collections/workspaces/records/"+ws, nil); r.Status != 400 {
		t.Errorf("deleting the workspace of an issued invoice: %d %s", r.Status, r.Raw)
	}

	after := s.Must(t, u.Token, http.MethodGet, path, nil)
	if string(after.Raw) != string(issued.Raw) {
		t.Errorf("issued invoice changed:\n%s\n%s", issued.Raw, after.Raw)
	}
}

func TestDraftValidation(t *testing.T) {
	s := testserver.New(t)
	u := s.SignUp(t, "ana@example.com")
	ws := s.Workspace(t, u, "Ana GmbH")
	other := s.SignUp(t, "eve@example.com")
	otherWS := s.Workspace(t, other, "Eve Ltd")
	otherClient := s.Client(t, other, otherWS, nil)

	cases := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"quantity not a number", map[string]any{"lines": []any{testserver.Line("a", "abc", "1")}}, "lines.0.quantity"},
		{"comma decimal", map[string]any{"lines": []any{testserver.Line("a", "1", "12,50")}}, "lines.0.unit_price"},
		{"unknown category", map[string]any{"lines": []any{map[string]any{"description": "a", "quantity": "1", "unit_price": "1", "vat_category": "X", "vat_rate": "0"}}}, "lines.0.vat_category"},
		{"exempt without reason", map[string]any{"lines": []any{map[string]any{"description": "a", "quantity": "1", "unit_price": "1", "vat_category": "E", "vat_rate": "0"}}}, "lines.0.exemption_reason"},
		{"lines not a list", map[string]any{"lines": map[string]any{"a": 1}}, "lines"},
		{"client of another workspace", map[string]any{"client": otherClient}, "client"},
		{"bad date", map[string]any{"issue_date": "23.11.2026"}, "issue_date"},
		{"due before issue", map[string]any{"issue_date": "2026-11-23", "due_date": "2026-11-01"}, "due_date"},
		{"bad currency", map[string]any{"currency": "EURO"}, "currency"},
		{"rate in own currency", map[string]any{"exchange_rate": "1.1"}, "exchange_rate"},
		{"invoice crediting", map[string]any{"credited_invoice": "abc"}, "credited_invoice"},
		{"credit note without invoice", map[string]any{"document_type": "credit_note"}, "credited_invoice"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.body["workspace"] = ws
			r := s.Do(t, u.Token, http.MethodPost, "/api/collections/invoices/records", c.body)
			if r.Status != 400 || r.String("data."+c.field+".message") == "" {
				t.Fatalf("want 400 at %s, got %d %s", c.field, r.Status, r.Raw)
			}
		})
	}
	var n int
	if err := s.App.DB().NewQuery("SELECT COUNT(*) FROM invoices").Row(&n); err != nil || n != 0 {
		t.Errorf("refused drafts were written: %d %v", n, err)
	}

	// a draft that changes client takes the new client's currency and language
	usd := s.Client(t, u, ws, map[string]any{"name": "US Inc", "country": "US", "vat_id": "", "currency": "USD", "language": "es"})
	eur := s.Client(t, u, ws, nil)
	d := s.Create(t, u, "invoices", map[string]any{"workspace": ws, "client": usd, "exchange_rate": "0.92"})
	if d.String("currency") != "USD" || d.String("language") != "es" {
		t.Errorf("draft for a USD client: %s", d.Raw)
	}
	d = s.Must(t, u.Token, http.MethodPatch, "/api/collections/invoices/records/"+d.String("id"), map[string]any{"client": eur})
	if d.String("currency") != "EUR" || d.String("exchange_rate") != "" || d.String("language") != "en" {
		t.Errorf("after changing client: %s", d.Raw)
	}

	// JSON numbers are accepted and normalised to decimal strings
	r := s.Create(t, u, "invoices", map[string]any{"workspace": ws, "lines": []any{map[string]any{
		"description": "a", "quantity": 1.5, "unit_price": 0.1, "discount_percent": 10, "vat_category": "S", "vat_rate": 21}}})
	if r.String("lines.0.quantity") != "1.5" || r.String("lines.0.unit_price") != "0.10" || r.String("lines.0.discount_amount") != "0.02" || r.String("lines.0.net_amount") != "0.13" {
		t.Errorf("normalised line: %s", r.String("lines"))
	}
}

func TestPreview(t *testing.T) {
	s := testserver.New(t)
	u := s.SignUp(t, "ana@example.com")
	body := map[string]any{"language": "de", "lines": []any{
		testserver.Line("Consulting", "10", "99.995"),
		map[string]any{"description": "Book", "quantity": "1", "unit_price": "20", "vat_category": "S", "vat_rate": "7"},
		map[string]any{"description": "Service", "quantity": "1", "unit_price": "50", "vat_category": "AE", "vat_rate": "0"},
	}}
	if r := s.Do(t, "", http.MethodPost, "/api/kontor/invoices/preview", body); r.Status != 401 {
		t.Errorf("guest preview: %d", r.Status)
	}
	r := s.Must(t, u.Token, http.MethodPost, "/api/kontor/invoices/preview", body)
	for path, want := range map[string]string{
		"totals.net": "1069.95", "totals.vat": "191.39", "totals.gross": "1261.34",
		"vat_breakdown.0.rate": "19", "vat_breakdown.0.vat": "189.99", "vat_breakdown.1.vat": "1.40",
		"vat_breakdown.2.category": "AE", "vat_breakdown.2.exemption_reason": "Steuerschuldnerschaft des Leistungsempfängers",
	} {
		if got := r.String(path); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	bad := s.Do(t, u.Token, http.MethodPost, "/api/kontor/invoices/preview", map[string]any{"lines": []any{testserver.Line("a", "x", "1")}})
	if bad.Status != 400 || bad.String("data.lines.0.quantity.message") == "" {
		t.Errorf("bad preview: %d %s", bad.Status, bad.Raw)
	}
}
