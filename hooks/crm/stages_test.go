package crm_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/dbx"

	"github.com/kontor-app/kontor/internal/testserver"
)

func TestNewWorkspaceGetsDefaultStagesAndSettings(t *testing.T) {
	w := newWorld(t)
	stages, err := w.s.App.FindRecordsByFilter("pipeline_stages", "workspace = {:w}", "position", 0, 0, dbx.Params{"w": w.ws})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name        string
		probability int
		kind        string
	}{{"new", 10, "open"}, {"qualified", 25, "open"}, {"proposal", 50, "open"}, {"negotiation", 75, "open"}, {"won", 100, "won"}, {"lost", 0, "lost"}}
	if len(stages) != len(want) {
		t.Fatalf("%d stages, want %d", len(stages), len(want))
	}
	for i, s := range stages {
		if s.GetString("name") != want[i].name || s.GetInt("probability") != want[i].probability || s.GetString("kind") != want[i].kind || s.GetInt("position") != i {
			t.Errorf("stage %d = %s %d %s %d", i, s.GetString("name"), s.GetInt("probability"), s.GetString("kind"), s.GetInt("position"))
		}
	}
	ws := w.record(t, "workspaces", w.ws)
	if !ws.GetBool("deal_won_on_signature") || ws.GetInt("sequence_daily_limit") != 200 {
		t.Errorf("settings: deal_won_on_signature %v, sequence_daily_limit %d", ws.GetBool("deal_won_on_signature"), ws.GetInt("sequence_daily_limit"))
	}
	off := w.s.Create(t, w.owner, "workspaces", map[string]any{"name": "Quiet", "deal_won_on_signature": false}).String("id")
	if w.record(t, "workspaces", off).GetBool("deal_won_on_signature") {
		t.Error("deal_won_on_signature sent false came out true")
	}
}

func TestStageRules(t *testing.T) {
	w := newWorld(t)
	admin := w.user("admin")
	w.deal(t, "qualified", nil)
	cases := []struct {
		name   string
		method string
		stage  string
		body   map[string]any
		status int
	}{
		{"a stage with deals cannot be deleted", http.MethodDelete, "qualified", nil, 400},
		{"the last won stage cannot be deleted", http.MethodDelete, "won", nil, 400},
		{"the last lost stage cannot become open", http.MethodPatch, "lost", map[string]any{"kind": "open"}, 400},
		{"probability stays within 0-100", http.MethodPatch, "new", map[string]any{"probability": 120}, 400},
		{"an empty stage can be renamed", http.MethodPatch, "new", map[string]any{"name": "Inbound"}, 200},
		{"an empty open stage can be deleted", http.MethodDelete, "negotiation", nil, 204},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := w.s.Do(t, admin.Token, c.method, "/api/collections/pipeline_stages/records/"+w.stage(t, c.stage), c.body)
			if r.Status != c.status {
				t.Errorf("%d, want %d: %s", r.Status, c.status, r.Raw)
			}
		})
	}
	// a second won stage lets the first one go
	w.s.Create(t, admin, "pipeline_stages", map[string]any{"workspace": w.ws, "name": "won (paid)", "position": 9, "probability": 100, "kind": "won"})
	if r := w.s.Do(t, admin.Token, http.MethodDelete, "/api/collections/pipeline_stages/records/"+w.stage(t, "won"), nil); r.Status != 204 {
		t.Errorf("delete of a won stage that is not the last: %d %s", r.Status, r.Raw)
	}
	// members read stages but only admins change them
	if r := w.s.Do(t, w.user("member").Token, http.MethodPatch, "/api/collections/pipeline_stages/records/"+w.stage(t, "lost"), map[string]any{"name": "x"}); r.Status != 404 && r.Status != 403 {
		t.Errorf("member renamed a stage: %d %s", r.Status, r.Raw)
	}
}

// TestWorkspaceWithPipelineCanBeDeleted: the stage rules guard requests on
// stages, not the deletion of a whole workspace with its CRM records.
func TestWorkspaceWithPipelineCanBeDeleted(t *testing.T) {
	w := newWorld(t)
	company := w.create(t, "companies", map[string]any{"name": "Acme"})
	contact := w.contact(t, map[string]any{"company": company})
	deal := w.deal(t, "won", map[string]any{"contact": contact, "company": company})
	w.create(t, "activities", map[string]any{"type": "note", "contact": contact, "company": company, "deal": deal})
	// drafts of the deal, with and without a client
	client := w.s.Client(t, w.owner, w.ws, nil)
	w.create(t, "invoices", map[string]any{"deal": deal, "lines": []any{testserver.Line("Work", "1", "10")}})
	w.create(t, "invoices", map[string]any{"deal": deal, "client": client, "lines": []any{testserver.Line("Work", "1", "10")}})
	w.create(t, "proposals", map[string]any{"deal": deal, "title": "Offer"})
	w.create(t, "proposals", map[string]any{"deal": deal, "client": client, "title": "Offer"})
	if r := w.s.Do(t, w.owner.Token, http.MethodDelete, "/api/collections/workspaces/records/"+w.ws, nil); r.Status != 204 {
		t.Fatalf("delete workspace: %d %s", r.Status, r.Raw)
	}
	for _, table := range []string{"pipeline_stages", "companies", "contacts", "deals", "activities", "invoices", "proposals", "clients"} {
		if n := w.count(t, table, "workspace = {:w}", dbx.Params{"w": w.ws}); n != 0 {
			t.Errorf("%d %s left", n, table)
		}
	}
	if n := w.count(t, "pipeline_stages", "workspace = {:w}", dbx.Params{"w": w.w2}); n != 6 {
		t.Errorf("the other workspace has %d stages", n)
	}
}

// TestDealDelete: a deal linked only to drafts goes, unlinking them; one in
// the chain of an issued invoice stays.
func TestDealDelete(t *testing.T) {
	w := newWorld(t)
	client := w.s.Client(t, w.owner, w.ws, nil)
	deal := w.deal(t, "proposal", nil)
	draft := w.create(t, "invoices", map[string]any{"client": client, "deal": deal, "lines": []any{testserver.Line("Work", "1", "10")}})
	if r := w.s.Do(t, w.user("member").Token, http.MethodDelete, "/api/collections/deals/records/"+deal, nil); r.Status != 204 {
		t.Fatalf("delete a deal of a draft: %d %s", r.Status, r.Raw)
	}
	if got := w.record(t, "invoices", draft).GetString("deal"); got != "" {
		t.Errorf("the draft still names the deal %q", got)
	}

	kept := w.deal(t, "won", nil)
	issued := w.create(t, "invoices", map[string]any{"client": client, "deal": kept, "lines": []any{testserver.Line("Work", "1", "10")}})
	if r := w.s.Issue(t, w.owner, issued); r.Status != 200 {
		t.Fatalf("issue: %s", r.Raw)
	}
	if r := w.s.Do(t, w.owner.Token, http.MethodDelete, "/api/collections/deals/records/"+kept, nil); r.Status != 400 {
		t.Errorf("delete a deal of an issued invoice: %d %s", r.Status, r.Raw)
	}
	if w.record(t, "invoices", issued).GetString("deal") != kept {
		t.Error("the issued invoice lost its deal")
	}
}
