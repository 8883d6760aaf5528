package einvoice_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/internal/testserver"
)

// peppolReady sets what Peppol and XRechnung need on a workspace made by
// testserver.Workspace and returns a client ready for them too.
func peppolReady(t *testing.T, s *testserver.Server, u testserver.User, ws string) string {
	t.Helper()
	s.Must(t, u.Token, http.MethodPatch, "/api/collections/workspaces/records/"+ws, map[string]any{
		"electronic_address": "DE123456789", "electronic_address_scheme": "9930",
		"contact_name": "Jana Nord", "phone": "+49 30 1234567", "bic": "COBADEFFXXX",
	})
	return s.Client(t, u, ws, map[string]any{"electronic_address": "ESB12345678", "electronic_address_scheme": "9920",
		"email": "ap@acme.example"})
}

func TestRoutes(t *testing.T) {
	s := newServer(t, "")
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Nordlicht GmbH")
	client := peppolReady(t, s, owner, ws)

	viewer := s.SignUp(t, "viewer@example.com")
	s.Create(t, owner, "memberships", map[string]any{"workspace": ws, "user": viewer.ID, "role": "viewer"})
	outsider := s.SignUp(t, "outsider@example.com")
	s.Workspace(t, outsider, "Other Ltd")

	draft := s.Create(t, owner, "invoices", map[string]any{"workspace": ws, "client": client,
		"buyer_reference": "PO-1", "lines": []any{testserver.Line("Work", "2", "50")}}).String("id")
	issued := s.Create(t, owner, "invoices", map[string]any{"workspace": ws, "client": client,
		"buyer_reference": "PO-2", "lines": []any{testserver.Line("Work", "1", "100")}}).String("id")
	number := s.Issue(t, owner, issued).String("number")

	cases := []struct {
		name   string
		token  string
		path   string
		status int
		body   string
	}{
		{"owner", owner.Token, einvoicePath(issued, "peppol-bis-3"), 200, "<cbc:ID>" + number + "</cbc:ID>"},
		{"viewer", viewer.Token, einvoicePath(issued, "xrechnung-cii"), 200, "<ram:ID>" + number + "</ram:ID>"},
		{"outsider", outsider.Token, einvoicePath(issued, "peppol-bis-3"), 404, ""},
		{"guest", "", einvoicePath(issued, "peppol-bis-3"), 401, ""},
		{"no such invoice", owner.Token, einvoicePath("nosuchinvoice12", "peppol-bis-3"), 404, ""},
		{"draft", owner.Token, einvoicePath(draft, "peppol-bis-3"), 400, "issue it first"},
		{"unknown format", owner.Token, einvoicePath(issued, "no-such-format"), 404, "Available: factur-x, fatturapa, peppol-bis-3, xrechnung-cii, xrechnung-ubl"},
		{"formats, guest", "", "/api/kontor/formats", 401, ""},
		{"formats", viewer.Token, "/api/kontor/formats", 200, `"name":"peppol-bis-3"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := get(t, s, tc.token, tc.path)
			if d.status != tc.status || !strings.Contains(string(d.body), tc.body) {
				t.Fatalf("got %d %s, want %d with %q", d.status, d.body, tc.status, tc.body)
			}
		})
	}

	d := get(t, s, owner.Token, einvoicePath(issued, "peppol-bis-3"))
	if ct := d.header.Get("Content-Type"); ct != "application/xml" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := d.header.Get("Content-Disposition"); cd != `attachment; filename=`+number+`.xml` {
		t.Errorf("Content-Disposition %q", cd)
	}

	d = get(t, s, viewer.Token, einvoicePath(issued, "factur-x"))
	if d.status != 200 || d.header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(d.body, []byte("%PDF-")) ||
		d.header.Get("Content-Disposition") != `attachment; filename=`+number+`.pdf` {
		t.Errorf("factur-x: %d %v", d.status, d.header)
	}
	if xml := attachment(t, d.body, "factur-x.xml"); !bytes.Contains(xml, []byte("<ram:ID>"+number+"</ram:ID>")) {
		t.Errorf("factur-x.xml:\n%s", xml)
	}

	var formats struct {
		Items []struct {
			Name    string `json:"name"`
			Builtin bool   `json:"builtin"`
		} `json:"items"`
	}
	if err := json.Unmarshal(get(t, s, owner.Token, "/api/kontor/formats").body, &formats); err != nil || len(formats.Items) != 5 || !formats.Items[0].Builtin {
		t.Errorf("formats: %v %+v", err, formats)
	}
}

// A client's preferred format must be a loaded format; one stored before
// its plugin went away does not block other edits.
func TestPreferredFormat(t *testing.T) {
	s := newServer(t, "")
	u := s.SignUp(t, "ana@example.com")
	ws := s.Workspace(t, u, "Ana GmbH")
	client := s.Client(t, u, ws, map[string]any{"preferred_format": "factur-x"})
	path := "/api/collections/clients/records/" + client
	if got := s.Must(t, u.Token, http.MethodGet, path, nil).String("preferred_format"); got != "factur-x" {
		t.Fatalf("preferred_format %q", got)
	}

	r := s.Do(t, u.Token, http.MethodPatch, path, map[string]any{"preferred_format": "pdf-by-fax", "name": "Renamed"})
	if r.Status != http.StatusBadRequest || !strings.Contains(r.String("data.preferred_format.message"), "factur-x, fatturapa, peppol-bis-3") {
		t.Fatalf("unknown format: %d %s", r.Status, r.Raw)
	}
	if got := s.Must(t, u.Token, http.MethodGet, path, nil); got.String("name") == "Renamed" || got.String("preferred_format") != "factur-x" {
		t.Fatalf("a refused change was written: %s", got.Raw)
	}

	if _, err := s.App.DB().NewQuery("UPDATE clients SET preferred_format = 'gone-plugin' WHERE id = {:id}").
		Bind(map[string]any{"id": client}).Execute(); err != nil {
		t.Fatal(err)
	}
	if got := s.Must(t, u.Token, http.MethodPatch, path, map[string]any{"name": "Renamed"}); got.String("preferred_format") != "gone-plugin" {
		t.Fatalf("an unrelated edit: %s", got.Raw)
	}
	s.Must(t, u.Token, http.MethodPatch, path, map[string]any{"preferred_format": ""})
}

// TestMissingData: an invoice that lacks what a format needs gets a 422
// naming each missing field, not an invalid document.
func TestMissingData(t *testing.T) {
	s := newServer(t, "")
	u := s.SignUp(t, "ana@example.com")
	ws := s.Workspace(t, u, "Ana GmbH") // no electronic address, no contact
	client := s.Client(t, u, ws, nil)
	id := s.Draft(t, u, ws, client, testserver.Line("Work", "1", "100"))
	s.Issue(t, u, id)

	cases := []struct {
		format string
		fields []string
	}{
		{"peppol-bis-3", []string{"seller.electronic_address", "buyer.electronic_address", "buyer_reference"}},
		{"xrechnung-ubl", []string{"buyer_reference", "seller.contact.name", "seller.contact.phone", "buyer.electronic_address"}},
	}
	for _, tc := range cases {
		t.Run(tc.format, func(t *testing.T) {
			d := get(t, s, u.Token, einvoicePath(id, tc.format))
			var body struct {
				Status  int                       `json:"status"`
				Message string                    `json:"message"`
				Data    map[string]map[string]any `json:"data"`
			}
			if err := json.Unmarshal(d.body, &body); err != nil || d.status != 422 || body.Status != 422 {
				t.Fatalf("got %d %s", d.status, d.body)
			}
			for _, f := range tc.fields {
				if body.Data[f] == nil || body.Data[f]["message"] == "" {
					t.Errorf("no message for %s: %s", f, d.body)
				}
			}
		})
	}
}

// TestThirdPartyAndCrash loads the example plugin and a crashing one from a
// plugins directory: the example renders through the API; a crash during a
// request fails that request with a 502, and the next request succeeds.
func TestThirdPartyAndCrash(t *testing.T) {
	dir := t.TempDir()
	for name, pkg := range map[string]string{
		"jsonexport": "github.com/kontor-app/kontor/plugins/examples/jsonexport",
		"crashy":     "github.com/kontor-app/kontor/plugins/host/testdata/testplugin",
	} {
		if out, err := exec.Command("go", "build", "-o", filepath.Join(dir, name), pkg).CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", pkg, err, out)
		}
	}
	s := newServer(t, dir)
	u := s.SignUp(t, "ana@example.com")
	ws := s.Workspace(t, u, "Ana GmbH")
	client := s.Client(t, u, ws, nil)
	issue := func(ref string) (id, number string) {
		id = s.Create(t, u, "invoices", map[string]any{"workspace": ws, "client": client, "buyer_reference": ref,
			"lines": []any{testserver.Line("Work", "1", "100")}}).String("id")
		return id, s.Issue(t, u, id).String("number")
	}

	id, number := issue("")
	d := get(t, s, u.Token, einvoicePath(id, "json-export"))
	var inv struct {
		Number string `json:"number"`
		Totals struct {
			Payable string `json:"payable"`
		} `json:"totals"`
	}
	if err := json.Unmarshal(d.body, &inv); err != nil || d.status != 200 || inv.Number != number || inv.Totals.Payable != "119.00" {
		t.Fatalf("json-export: %d %s", d.status, d.body)
	}
	if d.header.Get("Content-Type") != "application/json" || !strings.Contains(d.header.Get("Content-Disposition"), number+".json") {
		t.Errorf("headers %v", d.header)
	}

	crash, _ := issue("CRASH")
	d = get(t, s, u.Token, einvoicePath(crash, "crashy"))
	if d.status != http.StatusBadGateway || !strings.Contains(string(d.body), "plugin crashy stopped during render (it crashed)") {
		t.Fatalf("crash: got %d %s", d.status, d.body)
	}
	d = get(t, s, u.Token, einvoicePath(id, "crashy"))
	if d.status != 200 || string(d.body) != number {
		t.Fatalf("after the crash: got %d %s", d.status, d.body)
	}
}
