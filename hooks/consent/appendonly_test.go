package consent_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/dbx"

	"github.com/kontor-app/kontor/hooks/consent"
)

// Consents and objections are never changed, neither through the record
// API (by a user or a superuser) nor by app.Save; a touchpoint only gets
// linked to its user.
func TestAppendOnly(t *testing.T) {
	s := newServer(t)
	b := s.browser("append-only-1")
	b.decide(t, consent.Analytics, consent.Advertising)
	b.land(t, "https://kontor.example/?gclid=G", "")
	userID := b.signUp(t, "ada@example.com")
	b.do(t, http.MethodPost, "/api/kontor/attribution/objection", map[string]any{"objected": true})
	b.decide(t, consent.Analytics, consent.Advertising) // signed in: the decision is the user's

	decision := s.records(t, consent.Consents, nil)[1]
	if decision.GetString("user") != userID {
		t.Fatalf("decision of %q", decision.GetString("user"))
	}
	objection := s.records(t, consent.Objections, nil)[0]
	touchpoint := s.records(t, consent.Touchpoints, nil)[0]
	if touchpoint.GetString("user") != userID {
		t.Fatalf("touchpoint not linked: %v", touchpoint.FieldsData())
	}
	root := s.superuser(t)
	admin := s.browser("append-only-admin")
	admin.token = root

	api := []struct {
		name   string
		who    *browser
		method string
		path   string
		body   map[string]any
		status int
	}{
		{"user changes a decision", b, http.MethodPatch, "/api/collections/consents/records/" + decision.Id, map[string]any{"accepted": []string{"necessary"}}, http.StatusForbidden},
		{"user deletes a decision", b, http.MethodDelete, "/api/collections/consents/records/" + decision.Id, nil, http.StatusForbidden},
		{"user writes a decision", b, http.MethodPost, "/api/collections/consents/records", map[string]any{"consent_id": "forged-consent", "accepted": []string{"necessary", "advertising"}, "text_version": "x", "language": "en"}, http.StatusForbidden},
		{"user changes an objection", b, http.MethodPatch, "/api/collections/attribution_objections/records/" + objection.Id, map[string]any{"objected": false}, http.StatusForbidden},
		{"user writes an objection", b, http.MethodPost, "/api/collections/attribution_objections/records", map[string]any{"user": userID, "objected": false}, http.StatusForbidden},
		{"user changes a touchpoint", b, http.MethodPatch, "/api/collections/touchpoints/records/" + touchpoint.Id, map[string]any{"gclid": "forged"}, http.StatusForbidden},
		{"superuser changes a decision", admin, http.MethodPatch, "/api/collections/consents/records/" + decision.Id, map[string]any{"accepted": []string{"necessary"}, "rejected": []string{"analytics", "advertising"}}, http.StatusBadRequest},
		{"superuser changes an objection", admin, http.MethodPatch, "/api/collections/attribution_objections/records/" + objection.Id, map[string]any{"objected": false}, http.StatusBadRequest},
		{"superuser changes a touchpoint", admin, http.MethodPatch, "/api/collections/touchpoints/records/" + touchpoint.Id, map[string]any{"gclid": "forged"}, http.StatusBadRequest},
	}
	for _, tc := range api {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			if tc.body != nil {
				body = tc.body
			}
			if r := tc.who.do(t, tc.method, tc.path, body); r.status != tc.status {
				t.Errorf("%d %s", r.status, r.raw)
			}
		})
	}

	t.Run("app.Save", func(t *testing.T) {
		d, _ := s.app.FindRecordById(consent.Consents, decision.Id)
		d.Set("accepted", []string{"necessary"})
		d.Set("rejected", []string{"analytics", "advertising"})
		if err := s.app.Save(d); err == nil {
			t.Error("a decision was changed")
		}
		d, _ = s.app.FindRecordById(consent.Consents, decision.Id)
		d.Set("user", "")
		if err := s.app.Save(d); err == nil {
			t.Error("a decision was unlinked from an existing user")
		}
		o, _ := s.app.FindRecordById(consent.Objections, objection.Id)
		o.Set("objected", false)
		if err := s.app.Save(o); err == nil {
			t.Error("an objection was changed")
		}
		tp, _ := s.app.FindRecordById(consent.Touchpoints, touchpoint.Id)
		tp.Set("user", "")
		if err := s.app.Save(tp); err == nil {
			t.Error("a touchpoint was unlinked")
		}
	})

	unchanged := func(t *testing.T) {
		t.Helper()
		d, _ := s.app.FindRecordById(consent.Consents, decision.Id)
		o, _ := s.app.FindRecordById(consent.Objections, objection.Id)
		tp, _ := s.app.FindRecordById(consent.Touchpoints, touchpoint.Id)
		if !consent.Allows(d, consent.Advertising) || !o.GetBool("objected") || tp.GetString("gclid") != "G" ||
			s.count(t, consent.Consents) != 2 || s.count(t, consent.Objections) != 1 {
			t.Errorf("changed: %v %v %v", d.FieldsData(), o.FieldsData(), tp.FieldsData())
		}
	}
	unchanged(t)

	// deleting the account keeps the proof without the account and deletes
	// what is only about them
	user, err := s.app.FindRecordById("users", userID)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.app.Delete(user); err != nil {
		t.Fatal(err)
	}
	rows := s.records(t, consent.Consents, dbx.HashExp{"consent_id": "append-only-1"})
	if len(rows) != 2 || rows[1].Id != decision.Id || rows[1].GetString("user") != "" || !consent.Allows(rows[1], consent.Advertising) {
		t.Errorf("decisions after the account's deletion: %d", len(rows))
	}
	if n := s.count(t, consent.Touchpoints) + s.count(t, consent.Objections); n != 0 {
		t.Errorf("%d touchpoints and objections left after the account's deletion", n)
	}
}
