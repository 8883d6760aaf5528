package invoicing_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/internal/testserver"
)

func TestPayments(t *testing.T) {
	s := testserver.New(t)
	u := s.SignUp(t, "ana@example.com")
	ws := s.Workspace(t, u, "Ana GmbH")
	client := s.Client(t, u, ws, nil)
	draft := s.Draft(t, u, ws, client, testserver.Line("Consulting", "1", "100"))
	path := "/api/collections/invoices/records/" + draft

	if r := s.Do(t, u.Token, http.MethodPost, "/api/collections/payments/records", map[string]any{"invoice": draft, "amount": "10"}); r.Status != 400 {
		t.Errorf("payment on a draft: %d %s", r.Status, r.Raw)
	}
	s.Issue(t, u, draft)

	for _, bad := range []map[string]any{
		{"invoice": draft, "amount": "119.01"},
		{"invoice": draft, "amount": "0"},
		{"invoice": draft, "amount": "-5"},
		{"invoice": draft, "amount": "1.001"},
		{"invoice": draft, "amount": "ten"},
		{"invoice": draft, "amount": "10", "date": "yesterday"},
	} {
		if r := s.Do(t, u.Token, http.MethodPost, "/api/collections/payments/records", bad); r.Status != 400 {
			t.Errorf("%v: %d %s", bad, r.Status, r.Raw)
		}
	}

	steps := []struct{ amount, status, paid, due string }{
		{"19.00", "partially_paid", "19.00", "100.00"},
		{"99.99", "partially_paid", "118.99", "0.01"},
		{"0.01", "paid", "119.00", "0.00"},
	}
	var payments []string
	for _, st := range steps {
		p := s.Create(t, u, "payments", map[string]any{"invoice": draft, "amount": st.amount, "reference": "bank"})
		if p.String("workspace") != ws || p.String("method") != "bank_transfer" || p.String("date") == "" {
			t.Errorf("payment defaults: %s", p.Raw)
		}
		payments = append(payments, p.String("id"))
		inv := s.Must(t, u.Token, http.MethodGet, path, nil)
		if inv.String("status") != st.status || inv.String("totals.paid") != st.paid || inv.String("totals.due") != st.due {
			t.Errorf("after %s: status %s paid %s due %s", st.amount, inv.String("status"), inv.String("totals.paid"), inv.String("totals.due"))
		}
	}
	if r := s.Do(t, u.Token, http.MethodPost, "/api/collections/payments/records", map[string]any{"invoice": draft, "amount": "0.01"}); r.Status != 400 || !strings.Contains(r.String("data.amount.message"), "0.00") {
		t.Errorf("overpaying: %d %s", r.Status, r.Raw)
	}
	if r := s.Do(t, u.Token, http.MethodPatch, "/api/collections/payments/records/"+payments[0], map[string]any{"amount": "1"}); r.Status == 200 {
		t.Errorf("payment edited: %s", r.Raw)
	}
	s.Must(t, u.Token, http.MethodDelete, "/api/collections/payments/records/"+payments[2], nil)
	if inv := s.Must(t, u.Token, http.MethodGet, path, nil); inv.String("status") != "partially_paid" || inv.String("totals.due") != "0.01" {
		t.Errorf("after deleting a payment: %s", inv.Raw)
	}
}

func TestCreditNotes(t *testing.T) {
	s := testserver.New(t)
	u := s.SignUp(t, "ana@example.com")
	ws := s.Workspace(t, u, "Ana GmbH")
	client := s.Client(t, u, ws, nil)
	invoice := s.Draft(t, u, ws, client, testserver.Line("Consulting", "4", "100"), testserver.Line("Travel", "1", "50"))
	number := s.Issue(t, u, invoice).String("number")
	creditRoute := "/api/kontor/invoices/" + invoice + "/credit-note"

	draftNote := s.Draft(t, u, ws, client, testserver.Line("x", "1", "1"))
	if r := s.Do(t, u.Token, http.MethodPost, "/api/kontor/invoices/"+draftNote+"/credit-note", nil); r.Status != 400 {
		t.Errorf("crediting a draft: %d %s", r.Status, r.Raw)
	}
	for _, bad := range []any{
		map[string]any{"lines": []any{map[string]any{"line": 5}}},
		map[string]any{"lines": []any{map[string]any{"line": 0, "quantity": "5"}}},
		map[string]any{"lines": []any{map[string]any{"line": 0}, map[string]any{"line": 0}}},
	} {
		if r := s.Do(t, u.Token, http.MethodPost, creditRoute, bad); r.Status != 400 || r.String("data.lines") == "" {
			t.Errorf("%v: %d %s", bad, r.Status, r.Raw)
		}
	}

	// a partial credit: one of four hours
	partial := s.Must(t, u.Token, http.MethodPost, creditRoute, map[string]any{"lines": []any{map[string]any{"line": 0, "quantity": "1"}}})
	if partial.String("document_type") != "credit_note" || partial.String("credited_invoice") != invoice || partial.String("status") != "draft" || partial.String("totals.gross") != "119.00" {
		t.Fatalf("partial credit note: %s", partial.Raw)
	}
	issued := s.Issue(t, u, partial.String("id"))
	if !strings.HasPrefix(issued.String("number"), "CN-") || !strings.HasSuffix(issued.String("number"), "-0001") {
		t.Errorf("credit note number %q", issued.String("number"))
	}
	inv := s.Must(t, u.Token, http.MethodGet, "/api/collections/invoices/records/"+invoice, nil)
	if inv.String("status") != "issued" || inv.String("totals.credited") != "119.00" || inv.String("totals.due") != "416.50" {
		t.Errorf("after partial credit: %s", inv.Raw)
	}

	// a full credit of everything: more than is left, refused at issue
	full := s.Must(t, u.Token, http.MethodPost, creditRoute, nil).String("id")
	if r := s.Issue(t, u, full); r.Status != 400 || r.String("data.lines.message") == "" {
		t.Errorf("over-credit: %d %s", r.Status, r.Raw)
	}
	// the rest: three hours and the travel
	rest := s.Must(t, u.Token, http.MethodPost, creditRoute, map[string]any{"lines": []any{
		map[string]any{"line": 0, "quantity": "3"}, map[string]any{"line": 1}}}).String("id")
	if r := s.Issue(t, u, rest); r.Status != 200 {
		t.Fatalf("credit the rest: %d %s", r.Status, r.Raw)
	}
	inv = s.Must(t, u.Token, http.MethodGet, "/api/collections/invoices/records/"+invoice, nil)
	if inv.String("status") != "cancelled" || inv.String("totals.due") != "0.00" {
		t.Errorf("after full credit: %s", inv.Raw)
	}
	if r := s.Do(t, u.Token, http.MethodPost, creditRoute, nil); r.Status != 400 || !strings.Contains(r.String("message"), number) {
		t.Errorf("crediting a cancelled invoice: %d %s", r.Status, r.Raw)
	}
	if r := s.Do(t, u.Token, http.MethodPost, "/api/collections/payments/records", map[string]any{"invoice": invoice, "amount": "1"}); r.Status != 400 {
		t.Errorf("paying a cancelled invoice: %d %s", r.Status, r.Raw)
	}
}
