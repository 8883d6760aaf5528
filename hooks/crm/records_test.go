package crm_test

import (
	"net/http"
	"testing"
)

// TestRecordRules sends bad and good bodies through the record API: each
// bad one gets a 400 naming its field and writes nothing.
func TestRecordRules(t *testing.T) {
	w := newWorld(t)
	w.contact(t, map[string]any{"email": "taken@example.com"})
	theirCompany := w.s.Create(t, w.outsider, "companies", map[string]any{"workspace": w.w2, "name": "Theirs"}).String("id")
	theirContact := w.s.Create(t, w.outsider, "contacts", map[string]any{"workspace": w.w2, "first_name": "Theirs"}).String("id")
	mine := w.contact(t, nil)
	cases := []struct {
		name       string
		collection string
		body       map[string]any
		field      string // "" = accepted
	}{
		{"contact without a name", "contacts", map[string]any{"email": "x@example.com"}, "last_name"},
		{"contact with a bad email", "contacts", map[string]any{"first_name": "A", "email": "not-an-email"}, "email"},
		{"contact with a taken email, other case", "contacts", map[string]any{"first_name": "A", "email": "TAKEN@example.com"}, "email"},
		{"contact with a local phone", "contacts", map[string]any{"first_name": "A", "phone": "030 1234567"}, "phone"},
		{"contact with a bad country", "contacts", map[string]any{"first_name": "A", "country": "XX"}, "country"},
		{"contact with a bad time zone", "contacts", map[string]any{"first_name": "A", "timezone": "Europe/Atlantis"}, "timezone"},
		{"contact with another workspace's company", "contacts", map[string]any{"first_name": "A", "company": theirCompany}, "company"},
		{"contact writing its score", "contacts", map[string]any{"first_name": "A", "score": 99}, "score"},
		{"contact writing unsubscribed", "contacts", map[string]any{"first_name": "A", "unsubscribed": true}, "unsubscribed"},
		{"good contact", "contacts", map[string]any{"first_name": "A", "email": "a@example.com", "phone": "+49 30 1234567", "timezone": "Europe/Madrid", "country": "es"}, ""},
		{"company without a name", "companies", map[string]any{"domain": "acme.com"}, "name"},
		{"company with a bad domain", "companies", map[string]any{"name": "A", "domain": "not a domain"}, "domain"},
		{"company with a bad VAT number", "companies", map[string]any{"name": "A", "vat_id": "123"}, "vat_id"},
		{"company writing its client", "companies", map[string]any{"name": "A", "client": "abcdefghijklmno"}, "client"},
		{"good company", "companies", map[string]any{"name": "A", "domain": "https://www.Acme.com/", "employees": 12}, ""},
		{"deal without a stage", "deals", map[string]any{"title": "A"}, "stage"},
		{"deal in another workspace's stage", "deals", map[string]any{"title": "A", "stage": w.stageOf(t, w.w2, "new")}, "stage"},
		{"deal with a negative value", "deals", map[string]any{"title": "A", "stage": w.stage(t, "new"), "value": "-5"}, "value"},
		{"deal with 3 decimals", "deals", map[string]any{"title": "A", "stage": w.stage(t, "new"), "value": "5.123"}, "value"},
		{"deal with a bad currency", "deals", map[string]any{"title": "A", "stage": w.stage(t, "new"), "currency": "EURO"}, "currency"},
		{"deal with a bad close date", "deals", map[string]any{"title": "A", "stage": w.stage(t, "new"), "expected_close": "31/12/2026"}, "expected_close"},
		{"deal with another workspace's contact", "deals", map[string]any{"title": "A", "stage": w.stage(t, "new"), "contact": theirContact}, "contact"},
		{"deal writing its status", "deals", map[string]any{"title": "A", "stage": w.stage(t, "new"), "status": "won"}, "status"},
		{"deal with an owner from outside", "deals", map[string]any{"title": "A", "stage": w.stage(t, "new"), "owner": w.outsider.ID}, "owner"},
		{"good deal", "deals", map[string]any{"title": "A", "stage": w.stage(t, "new"), "value": "1500.5", "owner": w.user("member").ID}, ""},
		{"activity about nothing", "activities", map[string]any{"type": "note"}, "contact"},
		{"activity with a bad due date", "activities", map[string]any{"type": "task", "contact": mine, "due": "tomorrow"}, "due"},
		{"activity about another workspace's contact", "activities", map[string]any{"type": "note", "contact": theirContact}, "contact"},
		{"activity writing its author", "activities", map[string]any{"type": "note", "contact": mine, "author": w.outsider.ID}, "author"},
		{"good task", "activities", map[string]any{"type": "task", "contact": mine, "due": "2026-12-01", "done": true}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := w.count(t, c.collection, "1 = 1", nil)
			body := map[string]any{"workspace": w.ws}
			for k, v := range c.body {
				body[k] = v
			}
			r := w.s.Do(t, w.user("member").Token, http.MethodPost, "/api/collections/"+c.collection+"/records", body)
			if c.field == "" {
				if r.Status != 200 {
					t.Fatalf("%d %s", r.Status, r.Raw)
				}
				return
			}
			if r.Status != 400 || r.String("data."+c.field+".message") == "" {
				t.Errorf("want a 400 naming %s, got %d %s", c.field, r.Status, r.Raw)
			}
			if w.count(t, c.collection, "1 = 1", nil) != before {
				t.Error("a refused create wrote")
			}
		})
	}
}

// TestNormalisedValues: what the server writes for accepted bodies.
func TestNormalisedValues(t *testing.T) {
	w := newWorld(t)
	member := w.user("member")
	c := w.s.Create(t, member, "contacts", map[string]any{"workspace": w.ws, "first_name": " Ana ", "email": "Ana@Example.COM",
		"phone": "+34 (600) 111-222", "country": "es"})
	for path, want := range map[string]string{"first_name": "Ana", "email": "ana@example.com", "phone": "+34600111222", "country": "ES", "status": "lead"} {
		if got := c.String(path); got != want {
			t.Errorf("contact %s = %q, want %q", path, got, want)
		}
	}
	co := w.s.Create(t, member, "companies", map[string]any{"workspace": w.ws, "name": "Acme", "domain": "https://www.Acme.com/", "website": "acme.com"})
	if co.String("domain") != "acme.com" || co.String("website") != "https://acme.com" {
		t.Errorf("company %s", co.Raw)
	}
	d := w.s.Create(t, member, "deals", map[string]any{"workspace": w.ws, "title": "A", "stage": w.stage(t, "new"), "value": "1500.5"})
	if d.String("value") != "1500.50" || d.String("status") != "open" {
		t.Errorf("deal %s", d.Raw)
	}
	a := w.s.Create(t, member, "activities", map[string]any{"workspace": w.ws, "type": "task", "contact": c.String("id"), "done": true})
	if a.String("author") != member.ID || a.String("done_at") == "" || a.String("occurred_at") == "" {
		t.Errorf("activity %s", a.Raw)
	}
	if w.record(t, "contacts", c.String("id")).GetDateTime("last_activity_at").IsZero() {
		t.Error("the activity did not move the contact's last_activity_at")
	}
}

// TestDealStatusFollowsStage moves a deal through the stages.
func TestDealStatusFollowsStage(t *testing.T) {
	w := newWorld(t)
	deal := w.deal(t, "new", nil)
	steps := []struct {
		stage, status string
		won, lost     bool
	}{
		{"qualified", "open", false, false},
		{"won", "won", true, false},
		{"lost", "lost", false, true},
		{"negotiation", "open", false, false},
	}
	for _, s := range steps {
		r := w.s.Must(t, w.user("member").Token, http.MethodPatch, "/api/collections/deals/records/"+deal, map[string]any{"stage": w.stage(t, s.stage)})
		if r.String("status") != s.status || (r.String("won_at") != "") != s.won || (r.String("lost_at") != "") != s.lost {
			t.Errorf("into %s: status %s, won_at %q, lost_at %q", s.stage, r.String("status"), r.String("won_at"), r.String("lost_at"))
		}
	}
	// a stored value sent back is no change
	d := w.record(t, "deals", deal)
	if r := w.s.Do(t, w.owner.Token, http.MethodPatch, "/api/collections/deals/records/"+deal, map[string]any{"status": d.GetString("status"), "title": "B"}); r.Status != 200 {
		t.Errorf("status sent back unchanged: %d %s", r.Status, r.Raw)
	}
}
