package vies_test

import (
	"net/http"
	"testing"

	"github.com/kontor-app/kontor/hooks/vies"
)

// Only the server writes a client's VAT status; a new client starts
// unchecked.
func TestVATStatusIsServerOwned(t *testing.T) {
	w := newWorld(t, nil)
	base := "/api/collections/clients/records"
	created := w.s.Create(t, w.owner, "clients", map[string]any{"workspace": w.ws, "name": "Acme SL", "vat_id": "ESB12345678"})
	if created.String("vat_status") != vies.Unchecked || created.String("vat_checked_at") != "" {
		t.Fatalf("new client %s", created.Raw)
	}
	client := created.String("id")
	if r := w.check(t, client); r.Status != http.StatusOK {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	valid := w.record(t, "clients", client)

	cases := []struct {
		name, method, path string
		body               map[string]any
		status             int
		field              string
	}{
		{"create valid", http.MethodPost, base, map[string]any{"workspace": w.ws, "name": "X", "vat_status": "valid"}, 400, "vat_status"},
		{"create checked", http.MethodPost, base, map[string]any{"workspace": w.ws, "name": "X", "vat_checked_at": "2026-01-01 00:00:00.000Z"}, 400, "vat_checked_at"},
		{"create unchecked", http.MethodPost, base, map[string]any{"workspace": w.ws, "name": "X", "vat_status": "unchecked"}, 200, ""},
		{"update status", http.MethodPatch, base + "/" + client, map[string]any{"vat_status": "invalid"}, 400, "vat_status"},
		{"update checked at", http.MethodPatch, base + "/" + client, map[string]any{"vat_checked_at": ""}, 400, "vat_checked_at"},
		{"send back as it is", http.MethodPatch, base + "/" + client, map[string]any{"notes": "called", "vat_status": "valid",
			"vat_checked_at": valid.GetString("vat_checked_at")}, 200, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := w.s.Do(t, w.owner.Token, tc.method, tc.path, tc.body)
			if r.Status != tc.status || (tc.field != "" && r.String("data."+tc.field+".message") == "") {
				t.Errorf("%d %s", r.Status, r.Raw)
			}
		})
	}
	if s := w.record(t, "clients", client).GetString("vat_status"); s != vies.Valid {
		t.Errorf("client %s", s)
	}
}

// A new VAT number is unchecked, whatever the old one was; the same number
// written differently, or a change of anything else, keeps the status.
func TestNewVATIDResetsStatus(t *testing.T) {
	w := newWorld(t, nil)
	client := w.client(t, "ESB12345678")
	if r := w.check(t, client); r.Status != http.StatusOK {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	path := "/api/collections/clients/records/" + client
	steps := []struct {
		body   map[string]any
		status string
	}{
		{map[string]any{"notes": "called"}, vies.Valid},
		{map[string]any{"vat_id": "es b1234-5678"}, vies.Valid},
		{map[string]any{"vat_id": "ESB87654321"}, vies.Unchecked},
	}
	for _, step := range steps {
		r := w.s.Must(t, w.owner.Token, http.MethodPatch, path, step.body)
		if r.String("vat_status") != step.status || (step.status == vies.Unchecked && r.String("vat_checked_at") != "") {
			t.Errorf("after %v: %s", step.body, r.Raw)
		}
	}
	// changing it back does not bring the old answer back
	if r := w.s.Must(t, w.owner.Token, http.MethodPatch, path, map[string]any{"vat_id": "ESB12345678"}); r.String("vat_status") != vies.Unchecked {
		t.Errorf("back to the old number: %s", r.Raw)
	}
	// the evidence stays
	if n := len(w.checks(t, client)); n != 1 {
		t.Errorf("%d checks kept", n)
	}
}

// The evidence outlives a deleted client, without the link; it goes with
// its workspace.
func TestEvidenceOutlivesClient(t *testing.T) {
	w := newWorld(t, nil)
	client := w.client(t, "ESB12345678")
	r := w.check(t, client)
	if r.Status != http.StatusOK {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	check := r.String("check.id")
	w.s.Must(t, w.owner.Token, http.MethodDelete, "/api/collections/clients/records/"+client, nil)
	if kept := w.record(t, vies.Checks, check); kept.GetString("client") != "" || kept.GetString("vat_id") != "ESB12345678" {
		t.Errorf("after the client was deleted: %v", kept.FieldsData())
	}
	w.s.Must(t, w.owner.Token, http.MethodDelete, "/api/collections/workspaces/records/"+w.ws, nil)
	if _, err := w.s.App.FindRecordById(vies.Checks, check); err == nil {
		t.Error("the evidence outlives its workspace")
	}
}
