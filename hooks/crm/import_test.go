package crm_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestImportDryRunReportsEveryErrorAndWritesNothing: a dry run checks every
// row by the record rules, reports each problem with its line, column and
// field, previews the mapped rows, and writes nothing.
func TestImportDryRunReportsEveryErrorAndWritesNothing(t *testing.T) {
	w := newWorld(t)
	w.contact(t, map[string]any{"email": "taken@example.com"})
	csv := "Vorname;Nachname;E-Mail;Telefon;Firma;Land\n" +
		"Ana;García;ana@acme.example;+34 600 111 222;Acme SL;es\n" +
		"Bo;;not-an-email;;Acme SL;DE\n" +
		";;;;;\n" + // a row with no name
		"Cy;Lee;TAKEN@example.com;0301234;Globex;XX\n"
	mapping := `{"Vorname": "first_name", "Nachname": "last_name", "E-Mail": "email", "Telefon": "phone", "Firma": "company_name", "Land": "country"}`
	r := w.importCSV(t, w.user("member"), importForm{workspace: w.ws, entity: "contacts", mapping: mapping, dryRun: "true", csv: csv})
	if r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if r.String("rows") != "4" || r.String("valid") != "1" || r.String("created") != "0" {
		t.Errorf("counts: %s", r.Raw)
	}
	want := map[string]bool{"3:E-Mail:email": true, "4:Nachname:last_name": true, "5:E-Mail:email": true, "5:Telefon:phone": true, "5:Land:country": true}
	for _, e := range r.Body["errors"].([]any) {
		m := e.(map[string]any)
		key := fmt.Sprintf("%v:%v:%v", m["row"], m["column"], m["field"])
		if !want[key] {
			t.Errorf("unexpected error %v", m)
		}
		delete(want, key)
		if m["message"] == "" {
			t.Errorf("error without a message: %v", m)
		}
	}
	if len(want) > 0 {
		t.Errorf("missing errors %v in %s", want, r.Raw)
	}
	if r.String("preview.0.phone") != "+34600111222" || r.String("preview.0.company_name") != "Acme SL" || r.String("preview.0.country") != "ES" {
		t.Errorf("preview: %s", r.String("preview"))
	}
	if n := w.count(t, "contacts", "workspace = {:w}", map[string]any{"w": w.ws}); n != 1 {
		t.Errorf("a dry run wrote: %d contacts", n)
	}
	if n := w.count(t, "companies", "workspace = {:w}", map[string]any{"w": w.ws}); n != 0 {
		t.Errorf("a dry run wrote: %d companies", n)
	}
}

// TestImportRollsBackOnABadRow: a real run with one bad row answers 400
// with the row's problem and writes nothing, not even the good rows before
// it or the companies they named.
func TestImportRollsBackOnABadRow(t *testing.T) {
	w := newWorld(t)
	csv := "first_name,last_name,email,company_name\n" +
		"Ana,García,ana@acme.example,Acme SL\n" +
		"Bo,Berg,bo@acme.example,Acme SL\n" +
		"Cy,Lee,ana@ACME.example,Globex\n" // the same email as row 2
	r := w.importCSV(t, w.owner, importForm{workspace: w.ws, entity: "contacts", dryRun: "false", csv: csv})
	if r.Status != 400 || r.String("errors.0.row") != "4" || r.String("errors.0.field") != "email" {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if r.String("created") != "0" {
		t.Errorf("created %s", r.String("created"))
	}
	for _, table := range []string{"contacts", "companies"} {
		if n := w.count(t, table, "workspace = {:w}", map[string]any{"w": w.ws}); n != 0 {
			t.Errorf("%d %s left after the rollback", n, table)
		}
	}

	// fixed, it goes through: contacts linked to one company each, found
	// or created
	w.create(t, "companies", map[string]any{"name": "Globex"})
	csv = strings.Replace(csv, "ana@ACME.example", "cy@globex.example", 1)
	r = w.importCSV(t, w.owner, importForm{workspace: w.ws, entity: "contacts", dryRun: "false", csv: csv})
	if r.Status != 200 || r.String("created") != "3" || r.String("companies_created") != "1" {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if n := w.count(t, "contacts c JOIN companies co ON co.id = c.company", "co.name = 'Acme SL'", nil); n != 2 {
		t.Errorf("%d contacts at Acme SL, want 2", n)
	}
	if n := w.count(t, "companies", "workspace = {:w}", map[string]any{"w": w.ws}); n != 2 {
		t.Errorf("%d companies, want 2", n)
	}
}

// TestImportCompanies imports companies with the automatic mapping of
// columns named like fields.
func TestImportCompanies(t *testing.T) {
	w := newWorld(t)
	csv := "\xef\xbb\xbfname,Domain,employees,country,ignored\n\"Acme, Inc.\",ACME.com,\"1,200\",us,x\nGlobex,globex.example,12,DE,y\n"
	r := w.importCSV(t, w.owner, importForm{workspace: w.ws, entity: "companies", dryRun: "false", csv: csv})
	if r.Status != 200 || r.String("created") != "2" {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if n := w.count(t, "companies", "name = 'Acme, Inc.' AND domain = 'acme.com' AND employees = 1200 AND country = 'US'", nil); n != 1 {
		t.Errorf("the quoted row was not imported as written")
	}
}

// TestImportRefusesBadRequests: what cannot be imported at all gets a 400
// naming the problem, and writes nothing.
func TestImportRefusesBadRequests(t *testing.T) {
	w := newWorld(t)
	good := "first_name,email\nAna,ana@example.com\n"
	var many strings.Builder
	many.WriteString("first_name\n")
	for i := 0; i < 10001; i++ {
		many.WriteString("Ana\n")
	}
	big := "first_name,notes\n" + strings.Repeat("Ana,"+strings.Repeat("x", 1000)+"\n", 5300)
	cases := []struct {
		name  string
		form  importForm
		field string
	}{
		{"no workspace", importForm{entity: "contacts", csv: good}, "workspace"},
		{"an unknown entity", importForm{workspace: w.ws, entity: "deals", csv: good}, "entity"},
		{"a bad dry_run", importForm{workspace: w.ws, entity: "contacts", dryRun: "maybe", csv: good}, "dry_run"},
		{"a mapping to an unknown field", importForm{workspace: w.ws, entity: "contacts", mapping: `{"first_name": "score"}`, csv: good}, "mapping"},
		{"a mapping of a missing column", importForm{workspace: w.ws, entity: "contacts", mapping: `{"Name": "first_name"}`, csv: good}, "mapping"},
		{"a field mapped twice", importForm{workspace: w.ws, entity: "contacts", mapping: `{"first_name": "first_name", "email": "first_name"}`, csv: good}, "mapping"},
		{"a mapping that is not JSON", importForm{workspace: w.ws, entity: "contacts", mapping: `first_name=email`, csv: good}, "mapping"},
		{"no header", importForm{workspace: w.ws, entity: "contacts", csv: ""}, "file"},
		{"broken quotes", importForm{workspace: w.ws, entity: "contacts", csv: "first_name\n\"Ana\n"}, "file"},
		{"not UTF-8", importForm{workspace: w.ws, entity: "contacts", csv: "first_name\nJos\xe9\n"}, "file"},
		{"too many rows", importForm{workspace: w.ws, entity: "contacts", csv: many.String()}, "file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := w.importCSV(t, w.owner, c.form)
			if r.Status != 400 || r.String("data."+c.field+".message") == "" {
				t.Errorf("want a 400 naming %s, got %d %.300s", c.field, r.Status, r.Raw)
			}
		})
	}
	t.Run("a file over 5 MB", func(t *testing.T) {
		r := w.importCSV(t, w.owner, importForm{workspace: w.ws, entity: "contacts", csv: big})
		if r.Status != 400 || !strings.Contains(r.String("message"), "5 MB") {
			t.Errorf("%d %.300s", r.Status, r.Raw)
		}
	})
	if n := w.count(t, "contacts", "1 = 1", nil); n != 0 {
		t.Errorf("refused imports wrote %d contacts", n)
	}
}
