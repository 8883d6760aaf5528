package workspaces_test

import (
	"net/http"
	"testing"

	"github.com/kontor-app/kontor/internal/testserver"
)

func TestNewWorkspace(t *testing.T) {
	s := testserver.New(t)
	u := s.SignUp(t, "ana@example.com")
	r := s.Create(t, u, "workspaces", map[string]any{"name": "  Ana GmbH ", "country": "de", "vat_id": "de 123.456.789", "iban": "de89 3704 0044 0532 0130 00", "bic": "cobadeffxxx"})
	for path, want := range map[string]string{
		"name": "Ana GmbH", "country": "DE", "vat_id": "DE123456789", "iban": "DE89370400440532013000", "bic": "COBADEFFXXX",
		"currency": "EUR", "language": "en", "payment_terms_days": "30",
	} {
		if got := r.String(path); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	ws := r.String("id")
	m := s.Must(t, u.Token, http.MethodGet, "/api/collections/memberships/records", nil)
	if m.String("totalItems") != "1" || m.String("items.0.role") != "owner" || m.String("items.0.user") != u.ID || m.String("items.0.workspace") != ws {
		t.Errorf("owner membership: %s", m.Raw)
	}
	series := s.Must(t, u.Token, http.MethodGet, "/api/collections/series/records?sort=code", nil)
	if series.String("totalItems") != "3" || series.String("items.0.code") != "CN" || series.String("items.0.document_type") != "credit_note" ||
		series.String("items.1.code") != "INV" || series.String("items.1.default") != "true" || series.String("items.1.pattern") != "{code}-{yyyy}-{seq:4}" ||
		series.String("items.2.code") != "QUO" || series.String("items.2.document_type") != "proposal" || series.String("items.2.default") != "true" {
		t.Errorf("default series: %s", series.Raw)
	}

	terms := s.Create(t, u, "workspaces", map[string]any{"name": "Cash Only", "payment_terms_days": 0})
	if terms.String("payment_terms_days") != "0" {
		t.Errorf("explicit zero payment terms became %s", terms.String("payment_terms_days"))
	}
}

func TestPartyValidation(t *testing.T) {
	s := testserver.New(t)
	u := s.SignUp(t, "ana@example.com")
	ws := s.Workspace(t, u, "Ana GmbH")
	cases := []struct {
		collection string
		body       map[string]any
		field      string
	}{
		{"workspaces", map[string]any{"name": "X", "iban": "DE89370400440532013001"}, "iban"},
		{"workspaces", map[string]any{"name": "X", "bic": "COBA"}, "bic"},
		{"workspaces", map[string]any{"name": "X", "country": "Germany"}, "country"},
		{"workspaces", map[string]any{"name": "X", "currency": "EURO"}, "currency"},
		{"workspaces", map[string]any{"name": ""}, "name"},
		{"clients", map[string]any{"workspace": ws, "name": "Y", "vat_id": "123456789"}, "vat_id"},
		{"clients", map[string]any{"workspace": ws, "name": "Y", "electronic_address": "4000001123452"}, "electronic_address_scheme"},
		{"clients", map[string]any{"workspace": ws, "name": "Y", "electronic_address_scheme": "0088"}, "electronic_address"},
		{"clients", map[string]any{"workspace": ws, "name": "Y", "country": "XX"}, "country"},
	}
	for _, c := range cases {
		r := s.Do(t, u.Token, http.MethodPost, "/api/collections/"+c.collection+"/records", c.body)
		if r.Status != 400 || r.String("data."+c.field+".message") == "" {
			t.Errorf("%s %v: want 400 at %s, got %d %s", c.collection, c.body, c.field, r.Status, r.Raw)
		}
	}
}

func TestMembershipRules(t *testing.T) {
	s := testserver.New(t)
	owner := s.SignUp(t, "owner@example.com")
	admin := s.SignUp(t, "admin@example.com")
	other := s.SignUp(t, "other@example.com")
	ws := s.Workspace(t, owner, "Ana GmbH")
	adminM := s.Create(t, owner, "memberships", map[string]any{"workspace": ws, "user": admin.ID, "role": "admin"}).String("id")
	ownerM := s.Must(t, owner.Token, http.MethodGet, "/api/collections/memberships/records?filter=role='owner'", nil).String("items.0.id")
	base := "/api/collections/memberships/records"

	if r := s.Do(t, admin.Token, http.MethodPost, base, map[string]any{"workspace": ws, "user": other.ID, "role": "owner"}); r.Status != 403 {
		t.Errorf("admin makes an owner: %d %s", r.Status, r.Raw)
	}
	if r := s.Do(t, admin.Token, http.MethodPatch, base+"/"+adminM, map[string]any{"role": "owner"}); r.Status != 403 {
		t.Errorf("admin makes themself owner: %d %s", r.Status, r.Raw)
	}
	if r := s.Do(t, admin.Token, http.MethodPatch, base+"/"+ownerM, map[string]any{"role": "viewer"}); r.Status != 403 {
		t.Errorf("admin demotes the owner: %d %s", r.Status, r.Raw)
	}
	if r := s.Do(t, owner.Token, http.MethodPatch, base+"/"+ownerM, map[string]any{"role": "admin"}); r.Status != 400 {
		t.Errorf("last owner steps down: %d %s", r.Status, r.Raw)
	}
	if r := s.Do(t, owner.Token, http.MethodDelete, base+"/"+ownerM, nil); r.Status != 400 {
		t.Errorf("last owner leaves: %d %s", r.Status, r.Raw)
	}
	if r := s.Do(t, owner.Token, http.MethodPatch, base+"/"+adminM, map[string]any{"user": other.ID}); r.Status != 400 {
		t.Errorf("membership moved to another user: %d %s", r.Status, r.Raw)
	}
	if r := s.Do(t, owner.Token, http.MethodPost, base, map[string]any{"workspace": ws, "user": admin.ID, "role": "member"}); r.Status != 400 {
		t.Errorf("second membership of one user: %d %s", r.Status, r.Raw)
	}

	// with a second owner, the first may step down and leave
	s.Must(t, owner.Token, http.MethodPatch, base+"/"+adminM, map[string]any{"role": "owner"})
	s.Must(t, owner.Token, http.MethodDelete, base+"/"+ownerM, nil)

	// nothing moves to another workspace
	otherWS := s.Workspace(t, admin, "Second")
	client := s.Client(t, admin, ws, nil)
	if r := s.Do(t, admin.Token, http.MethodPatch, "/api/collections/clients/records/"+client, map[string]any{"workspace": otherWS}); r.Status != 400 {
		t.Errorf("client moved: %d %s", r.Status, r.Raw)
	}
}

func TestSeriesRules(t *testing.T) {
	s := testserver.New(t)
	u := s.SignUp(t, "ana@example.com")
	ws := s.Workspace(t, u, "Ana GmbH")
	base := "/api/collections/series/records"
	for _, pattern := range []string{"{code}-{yyyy}", "{seq}{seq}", "{code}-{day}-{seq}", "F{seq:20}"} {
		if r := s.Do(t, u.Token, http.MethodPost, base, map[string]any{"workspace": ws, "code": "X", "document_type": "invoice", "pattern": pattern}); r.Status != 400 || r.String("data.pattern.message") == "" {
			t.Errorf("pattern %q: %d %s", pattern, r.Status, r.Raw)
		}
	}
	if r := s.Do(t, u.Token, http.MethodPost, base, map[string]any{"workspace": ws, "code": "X", "document_type": "invoice", "pattern": "X{seq}", "yearly_reset": true}); r.Status != 400 {
		t.Errorf("yearly reset without a year: %d %s", r.Status, r.Raw)
	}

	b := s.Create(t, u, "series", map[string]any{"workspace": ws, "code": "B", "document_type": "invoice", "pattern": "B-{seq:3}", "default": true}).String("id")
	defaults := s.Must(t, u.Token, http.MethodGet, base+"?filter="+"(document_type='invoice'%26%26default=true)", nil)
	if defaults.String("totalItems") != "1" || defaults.String("items.0.id") != b {
		t.Errorf("one default per type: %s", defaults.Raw)
	}

	client := s.Client(t, u, ws, nil)
	draft := s.Draft(t, u, ws, client, testserver.Line("x", "1", "1"))
	if got := s.Issue(t, u, draft).String("number"); got != "B-001" {
		t.Errorf("number from the new default series: %q", got)
	}
	if r := s.Do(t, u.Token, http.MethodPatch, base+"/"+b, map[string]any{"pattern": "B/{seq:3}"}); r.Status != 400 {
		t.Errorf("pattern changed after use: %d %s", r.Status, r.Raw)
	}
	if r := s.Do(t, u.Token, http.MethodDelete, base+"/"+b, nil); r.Status != 400 {
		t.Errorf("used series deleted: %d %s", r.Status, r.Raw)
	}
	s.Must(t, u.Token, http.MethodPatch, base+"/"+b, map[string]any{"default": false})
}
