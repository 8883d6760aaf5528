package scoring_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/crm/scoring"
	"github.com/kontor-app/kontor/internal/testserver"
)

// explanationOf decodes a score route's answer and checks that it adds
// up: base + Σ contribution = score.
func explanationOf(t *testing.T, r testserver.Response) scoring.Explanation {
	t.Helper()
	var body struct {
		Score       int                 `json:"score"`
		Model       string              `json:"model"`
		Explanation scoring.Explanation `json:"explanation"`
	}
	if err := json.Unmarshal(r.Raw, &body); err != nil {
		t.Fatal(err)
	}
	e := body.Explanation
	sum := e.Base
	for _, s := range e.Signals {
		sum += s.Contribution
	}
	if sum != e.Score || body.Score != e.Score || body.Model != e.Model {
		t.Fatalf("base %d + contributions = %d, score %d (%d): %s", e.Base, sum, e.Score, body.Score, r.Raw)
	}
	return e
}

func contribution(e scoring.Explanation, signal string) int {
	for _, s := range e.Signals {
		if s.Signal == signal {
			return s.Contribution
		}
	}
	return 0
}

func TestScoreRouteAndRecompute(t *testing.T) {
	s := testserver.New(t)
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Nordlicht GmbH") // DE
	viewer := s.SignUp(t, "viewer@example.com")
	s.Create(t, owner, "memberships", map[string]any{"workspace": ws, "user": viewer.ID, "role": "viewer"})
	outsider := s.SignUp(t, "outsider@example.com")
	s.Workspace(t, outsider, "Other Ltd")

	company := s.Create(t, owner, "companies", map[string]any{"workspace": ws, "name": "Acme GmbH", "employees": 40, "country": "DE"}).String("id")
	contact := s.Create(t, owner, "contacts", map[string]any{"workspace": ws, "first_name": "Ana", "email": "ana@acme.example",
		"job_title": "Managing Director", "company": company})

	// scored when saved
	if contact.String("score_model") != "rules" || contact.String("score") == "0" || contact.String("score_explanation.base") != "12" {
		t.Errorf("a new contact: %s", contact.Raw)
	}
	id := contact.String("id")
	path := "/api/kontor/contacts/" + id + "/score"
	before := explanationOf(t, s.Must(t, viewer.Token, http.MethodGet, path, nil))
	for _, signal := range []string{"country_home", "size_mid", "decision_maker"} {
		if contribution(before, signal) <= 0 {
			t.Errorf("%s contributes %d", signal, contribution(before, signal))
		}
	}

	// a meeting raises it, at once
	s.Create(t, owner, "activities", map[string]any{"workspace": ws, "type": "meeting", "subject": "Kick-off", "contact": id})
	stored, _ := s.App.FindRecordById("contacts", id)
	if stored.GetInt("score") <= before.Score {
		t.Errorf("after a meeting the score is %d, before %d", stored.GetInt("score"), before.Score)
	}
	after := explanationOf(t, s.Must(t, owner.Token, http.MethodGet, path, nil))
	if after.Score != stored.GetInt("score") || contribution(after, "meetings") <= 0 {
		t.Errorf("after a meeting: %+v", after)
	}

	if r := s.Do(t, "", http.MethodGet, path, nil); r.Status != 401 {
		t.Errorf("guest: %d", r.Status)
	}
	if r := s.Do(t, outsider.Token, http.MethodGet, path, nil); r.Status != 404 {
		t.Errorf("outsider: %d", r.Status)
	}
	if r := s.Do(t, owner.Token, http.MethodGet, "/api/kontor/contacts/nosuchcontact12/score", nil); r.Status != 404 {
		t.Errorf("unknown contact: %d", r.Status)
	}
}

// stageOf finds the workspace's first stage of the kind, creating one when
// the workspace has none.
func stageOf(t *testing.T, s *testserver.Server, u testserver.User, ws, kind string) string {
	t.Helper()
	rs, err := s.App.FindRecordsByFilter("pipeline_stages", "workspace = {:w} && kind = {:k}", "position", 1, 0, dbx.Params{"w": ws, "k": kind})
	if err == nil && len(rs) > 0 {
		return rs[0].Id
	}
	return s.Create(t, u, "pipeline_stages", map[string]any{"workspace": ws, "name": kind, "kind": kind, "position": 9}).String("id")
}

func TestRegressionReplacesTheRulesAfter30Deals(t *testing.T) {
	s := testserver.New(t)
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Nordlicht GmbH")
	outsider := s.SignUp(t, "outsider@example.com")
	s.Workspace(t, outsider, "Other Ltd")
	won, lost := stageOf(t, s, owner, ws, "won"), stageOf(t, s, owner, ws, "lost")
	contacts, _ := s.App.FindCachedCollectionByNameOrId("contacts")
	deals, _ := s.App.FindCachedCollectionByNameOrId("deals")
	activities, _ := s.App.FindCachedCollectionByNameOrId("activities")

	// In this workspace deals are won by contacts who had meetings, and
	// lost by those who had none, whatever their titles.
	close := func(i int) {
		c := core.NewRecord(contacts)
		c.Load(map[string]any{"workspace": ws, "first_name": fmt.Sprintf("Lead %d", i), "email": fmt.Sprintf("lead%d@example.com", i),
			"job_title": []string{"CEO", "Assistant"}[i%2], "country": "DE"})
		if err := s.App.Save(c); err != nil {
			t.Fatal(err)
		}
		isWon := i%3 != 0
		if isWon {
			a := core.NewRecord(activities)
			a.Load(map[string]any{"workspace": ws, "type": "meeting", "subject": "Demo", "contact": c.Id})
			if err := s.App.Save(a); err != nil {
				t.Fatal(err)
			}
		}
		d := core.NewRecord(deals)
		stage, status := lost, "lost"
		if isWon {
			stage, status = won, "won"
		}
		d.Load(map[string]any{"workspace": ws, "title": fmt.Sprintf("Deal %d", i), "stage": stage, "status": status, "contact": c.Id})
		if err := s.App.Save(d); err != nil {
			t.Fatal(err)
		}
	}
	for i := range scoring.MinDeals - 1 {
		close(i)
	}
	if n, _ := s.App.CountRecords("scoring_models"); n != 0 {
		t.Fatalf("a model after %d deals", scoring.MinDeals-1)
	}
	probe := s.Create(t, owner, "contacts", map[string]any{"workspace": ws, "first_name": "Probe", "email": "probe@example.com", "job_title": "CEO"}).String("id")
	if r := s.Must(t, owner.Token, http.MethodGet, "/api/kontor/contacts/"+probe+"/score", nil); r.String("model") != "rules" {
		t.Errorf("before %d deals: %s", scoring.MinDeals, r.String("model"))
	}

	close(scoring.MinDeals - 1)
	model, err := s.App.FindFirstRecordByData("scoring_models", "workspace", ws)
	if err != nil || model.GetInt("samples") != scoring.MinDeals {
		t.Fatalf("no model after %d deals: %v", scoring.MinDeals, err)
	}
	r := s.Must(t, owner.Token, http.MethodGet, "/api/kontor/contacts/"+probe+"/score", nil)
	e := explanationOf(t, r)
	if e.Model != "regression" {
		t.Fatalf("after %d deals: %s", scoring.MinDeals, e.Model)
	}
	// a meeting is what wins here: it raises the probe's score a lot
	s.Create(t, owner, "activities", map[string]any{"workspace": ws, "type": "meeting", "subject": "Demo", "contact": probe})
	withMeeting := explanationOf(t, s.Must(t, owner.Token, http.MethodGet, "/api/kontor/contacts/"+probe+"/score", nil))
	if withMeeting.Score < e.Score+20 || contribution(withMeeting, "meetings") <= 0 {
		t.Errorf("a meeting moves the score from %d to %d", e.Score, withMeeting.Score)
	}

	// the model is the workspace's: members read it, others do not
	if r := s.Do(t, outsider.Token, http.MethodGet, "/api/collections/scoring_models/records", nil); r.String("totalItems") != "0" {
		t.Errorf("the outsider lists %s models", r.String("totalItems"))
	}
	if r := s.Do(t, outsider.Token, http.MethodGet, "/api/collections/scoring_models/records/"+model.Id, nil); r.Status != 404 {
		t.Errorf("the outsider views the model: %d", r.Status)
	}
	if r := s.Do(t, "", http.MethodGet, "/api/collections/scoring_models/records/"+model.Id, nil); r.Status != 404 {
		t.Errorf("a guest views the model: %d", r.Status)
	}
	if r := s.Do(t, owner.Token, http.MethodGet, "/api/collections/scoring_models/records/"+model.Id, nil); r.Status != 200 {
		t.Errorf("the owner views the model: %d", r.Status)
	}
	if r := s.Do(t, owner.Token, http.MethodPatch, "/api/collections/scoring_models/records/"+model.Id, map[string]any{"samples": 1}); r.Status < 400 {
		t.Errorf("the owner edits the model: %d", r.Status)
	}
}
