package crm_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
)

// TestExport exports each entity as CSV: a header of field names, one row
// per record of the workspace and none of another's; a cell that a
// spreadsheet would run as a formula is defused; an export imports back.
func TestExport(t *testing.T) {
	w := newWorld(t)
	company := w.create(t, "companies", map[string]any{"name": "Acme, Inc.", "country": "US"})
	contact := w.contact(t, map[string]any{"email": "ana@acme.example", "company": company, "notes": "=HYPERLINK(\"http://evil\")", "phone": "+34600111222"})
	w.deal(t, "won", map[string]any{"title": "Audit", "value": "900", "contact": contact, "company": company})
	w.s.Create(t, w.outsider, "contacts", map[string]any{"workspace": w.w2, "first_name": "Theirs"})

	read := func(entity string) [][]string {
		t.Helper()
		r := w.s.Do(t, w.user("viewer").Token, http.MethodGet, "/api/kontor/crm/export?workspace="+w.ws+"&entity="+entity, nil)
		if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("%s: %d %s", entity, r.Status, r.Raw)
		}
		rows, err := csv.NewReader(strings.NewReader(string(r.Raw))).ReadAll()
		if err != nil {
			t.Fatalf("%s is not CSV: %v", entity, err)
		}
		return rows
	}
	cell := func(rows [][]string, row int, column string) string {
		for i, h := range rows[0] {
			if h == column {
				return rows[row][i]
			}
		}
		t.Fatalf("no column %s in %v", column, rows[0])
		return ""
	}

	contacts := read("contacts")
	if len(contacts) != 2 {
		t.Fatalf("contacts: %v", contacts)
	}
	for column, want := range map[string]string{"email": "ana@acme.example", "company_name": "Acme, Inc.", "phone": "+34600111222",
		"notes": "'=HYPERLINK(\"http://evil\")", "status": "lead"} {
		if got := cell(contacts, 1, column); got != want {
			t.Errorf("contacts %s = %q, want %q", column, got, want)
		}
	}
	if companies := read("companies"); len(companies) != 2 || cell(companies, 1, "name") != "Acme, Inc." {
		t.Errorf("companies: %v", companies)
	}
	deals := read("deals")
	if len(deals) != 2 || cell(deals, 1, "stage") != "won" || cell(deals, 1, "value") != "900.00" || cell(deals, 1, "contact") != "Ana García" ||
		cell(deals, 1, "status") != "won" {
		t.Errorf("deals: %v", deals)
	}

	if r := w.s.Do(t, w.owner.Token, http.MethodGet, "/api/kontor/crm/export?workspace="+w.ws+"&entity=users", nil); r.Status != 400 {
		t.Errorf("export of users: %d", r.Status)
	}

	// the export imports back into another workspace
	other := w.s.Workspace(t, w.owner, "Second")
	var b strings.Builder
	cw := csv.NewWriter(&b)
	_ = cw.WriteAll(contacts)
	r := w.importCSV(t, w.owner, importForm{workspace: other, entity: "contacts", dryRun: "true", csv: b.String()})
	if r.Status != 200 || r.String("valid") != "1" {
		t.Errorf("re-import: %d %s", r.Status, r.Raw)
	}
}
