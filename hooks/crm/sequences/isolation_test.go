package sequences_test

import (
	"net/http"
	"testing"

	"github.com/kontor-app/kontor/internal/testserver"
)

// TestIsolation: another workspace's member sees none of W1's records
// (empty lists, 404), a guest none, a viewer reads but writes nothing,
// and the routes answer 401 to a guest, 404 to an outsider and 403 to a
// viewer writing.
func TestIsolation(t *testing.T) {
	w := newWorld(t, nil)
	ana := w.contact(t, nil)
	campaign := w.s.Create(t, w.owner, "campaigns", map[string]any{"workspace": w.ws, "name": "Q4"}).String("id")
	seq := w.sequence(t, map[string]any{"campaign": campaign}, [2]int{0, 0})
	w.enroll(t, seq, ana)
	w.send(t, friday)
	enrollment := w.enrollment(t, seq, ana).Id
	step := w.count(t, "sequence_steps", "sequence = '"+seq+"'", nil)
	if step != 1 {
		t.Fatal("no step")
	}
	records := map[string]string{"campaigns": campaign, "sequences": seq, "sequence_enrollments": enrollment}
	stepRec, _ := w.s.App.FindFirstRecordByData("sequence_steps", "sequence", seq)
	records["sequence_steps"] = stepRec.Id
	sendRec, _ := w.s.App.FindFirstRecordByData("sequence_sends", "enrollment", enrollment)
	records["sequence_sends"] = sendRec.Id

	guest := testserver.User{}
	serverOnly := map[string]bool{"sequence_enrollments": true, "sequence_sends": true}
	for collection, id := range records {
		t.Run(collection, func(t *testing.T) {
			for _, u := range []testserver.User{w.outsider, guest} {
				if r := w.s.Do(t, u.Token, http.MethodGet, "/api/collections/"+collection+"/records", nil); r.Status != 200 || r.String("totalItems") != "0" {
					t.Errorf("list as %q: %d %s", u.Email, r.Status, r.Raw)
				}
				if r := w.s.Do(t, u.Token, http.MethodGet, "/api/collections/"+collection+"/records/"+id, nil); r.Status != 404 {
					t.Errorf("view as %q: %d", u.Email, r.Status)
				}
				// 404, or 403 where the API writes nothing for anyone (the
				// server's collections), before any record is read
				if r := w.s.Do(t, u.Token, http.MethodPatch, "/api/collections/"+collection+"/records/"+id, map[string]any{"name": "x"}); r.Status != 404 && !(serverOnly[collection] && r.Status == 403) {
					t.Errorf("update as %q: %d", u.Email, r.Status)
				}
				if r := w.s.Do(t, u.Token, http.MethodDelete, "/api/collections/"+collection+"/records/"+id, nil); r.Status != 404 && !(serverOnly[collection] && r.Status == 403) {
					t.Errorf("delete as %q: %d", u.Email, r.Status)
				}
			}
			if r := w.s.Do(t, w.viewer.Token, http.MethodGet, "/api/collections/"+collection+"/records/"+id, nil); r.Status != 200 {
				t.Errorf("view as viewer: %d", r.Status)
			}
			if r := w.s.Do(t, w.viewer.Token, http.MethodPatch, "/api/collections/"+collection+"/records/"+id, map[string]any{"name": "x"}); r.Status < 400 {
				t.Errorf("update as viewer: %d", r.Status)
			}
			if r := w.s.Do(t, w.viewer.Token, http.MethodDelete, "/api/collections/"+collection+"/records/"+id, nil); r.Status < 400 {
				t.Errorf("delete as viewer: %d", r.Status)
			}
			if _, err := w.s.App.FindRecordById(collection, id); err != nil {
				t.Errorf("gone: %v", err)
			}
		})
	}
	// enrolments hide their secrets
	if r := w.s.Must(t, w.owner.Token, http.MethodGet, "/api/collections/sequence_enrollments/records/"+enrollment, nil); r.String("token_hash") != "" || r.String("token_sealed") != "" || r.String("reply_key") != "" {
		t.Errorf("the enrolment shows its secrets: %s", r.Raw)
	}

	// creating in W1: the viewer and the outsider cannot; nor can anyone
	// create enrolments or sends through the record API
	before := w.count(t, "campaigns", "id != ''", nil)
	for _, u := range []testserver.User{w.viewer, w.outsider, guest} {
		if r := w.s.Do(t, u.Token, http.MethodPost, "/api/collections/campaigns/records", map[string]any{"workspace": w.ws, "name": "x"}); r.Status < 400 {
			t.Errorf("campaign created by %q: %d", u.Email, r.Status)
		}
		if r := w.s.Do(t, u.Token, http.MethodPost, "/api/collections/sequences/records", map[string]any{"workspace": w.ws, "name": "x"}); r.Status < 400 {
			t.Errorf("sequence created by %q: %d", u.Email, r.Status)
		}
	}
	if after := w.count(t, "campaigns", "id != ''", nil); after != before {
		t.Error("a campaign was created")
	}
	for _, c := range []string{"sequence_enrollments", "sequence_sends", "scoring_models"} {
		if r := w.s.Do(t, w.owner.Token, http.MethodPost, "/api/collections/"+c+"/records", map[string]any{"workspace": w.ws, "sequence": seq, "contact": ana}); r.Status < 400 {
			t.Errorf("%s created through the record API: %d", c, r.Status)
		}
	}
	// a step of W1's sequence in W2, a sequence of W1 in W2's campaign
	theirCampaign := w.s.Create(t, w.outsider, "campaigns", map[string]any{"workspace": w.ws2, "name": "Theirs"}).String("id")
	if r := w.s.Do(t, w.outsider.Token, http.MethodPost, "/api/collections/sequence_steps/records",
		map[string]any{"workspace": w.ws2, "sequence": seq, "subject": "x", "body": "y"}); r.Status != 400 {
		t.Errorf("a step in another workspace's sequence: %d", r.Status)
	}
	if r := w.s.Do(t, w.owner.Token, http.MethodPatch, "/api/collections/sequences/records/"+seq, map[string]any{"campaign": theirCampaign}); r.Status != 400 {
		t.Errorf("a sequence in another workspace's campaign: %d", r.Status)
	}
	if r := w.s.Do(t, w.owner.Token, http.MethodPatch, "/api/collections/campaigns/records/"+campaign, map[string]any{"workspace": w.ws2}); r.Status < 400 {
		t.Errorf("a campaign moved to another workspace: %d", r.Status)
	}

	// the routes
	for _, route := range []struct {
		method, path string
		body         any
		viewer       int
	}{
		{http.MethodPost, "/api/kontor/sequences/" + seq + "/enroll", map[string]any{"contacts": []string{ana}}, 403},
		{http.MethodPost, "/api/kontor/enrollments/" + enrollment + "/stop", nil, 403},
		{http.MethodGet, "/api/kontor/campaigns/" + campaign + "/stats", nil, 200},
	} {
		t.Run(route.path, func(t *testing.T) {
			if r := w.s.Do(t, "", route.method, route.path, route.body); r.Status != 401 {
				t.Errorf("guest: %d", r.Status)
			}
			if r := w.s.Do(t, w.outsider.Token, route.method, route.path, route.body); r.Status != 404 {
				t.Errorf("outsider: %d", r.Status)
			}
			if r := w.s.Do(t, w.viewer.Token, route.method, route.path, route.body); r.Status != route.viewer {
				t.Errorf("viewer: %d, want %d", r.Status, route.viewer)
			}
		})
	}
	if e := w.enrollment(t, seq, ana); e.GetString("status") == "stopped" {
		t.Errorf("the enrolment was stopped by someone without the right: %s", e.GetString("status"))
	}
}

func TestCampaignStatsAndStop(t *testing.T) {
	w := newWorld(t, nil)
	campaign := w.s.Create(t, w.owner, "campaigns", map[string]any{"workspace": w.ws, "name": "Q4"}).String("id")
	a := w.sequence(t, map[string]any{"campaign": campaign, "name": "A"}, [2]int{0, 0}, [2]int{2, 0})
	b := w.sequence(t, map[string]any{"campaign": campaign, "name": "B"}, [2]int{0, 0})
	w.sequence(t, map[string]any{"name": "Outside the campaign"}, [2]int{0, 0})
	var contacts []string
	for _, name := range []string{"ana", "bo", "cy"} {
		contacts = append(contacts, w.contact(t, map[string]any{"first_name": name, "email": name + "@example.com"}))
	}
	w.enroll(t, a, contacts...)
	w.enroll(t, b, contacts[0])
	w.send(t, friday) // 4 emails; b completes

	stopped := w.enrollment(t, a, contacts[1]).Id
	r := w.s.Must(t, w.owner.Token, http.MethodPost, "/api/kontor/enrollments/"+stopped+"/stop", nil)
	if r.String("status") != "stopped" || r.String("stop_reason") == "" {
		t.Errorf("stop: %s", r.Raw)
	}
	if r := w.s.Do(t, w.owner.Token, http.MethodPost, "/api/kontor/enrollments/"+stopped+"/stop", nil); r.Status != 400 {
		t.Errorf("stop again: %d", r.Status)
	}

	r = w.s.Must(t, w.viewer.Token, http.MethodGet, "/api/kontor/campaigns/"+campaign+"/stats", nil)
	for path, want := range map[string]string{
		"enrolled": "4", "active": "2", "sent": "4", "completed": "1", "stopped": "1", "replied": "0", "unsubscribed": "0", "won": "0",
		"sequences.0.name": "A", "sequences.0.enrolled": "3", "sequences.0.sent": "3", "sequences.1.name": "B", "sequences.1.completed": "1",
	} {
		if got := r.String(path); got != want {
			t.Errorf("%s = %s, want %s", path, got, want)
		}
	}
}

func TestSequenceRules(t *testing.T) {
	w := newWorld(t, nil)
	r := w.s.Create(t, w.owner, "sequences", map[string]any{"workspace": w.ws, "name": "Defaults"})
	if r.String("window_start") != "09:00" || r.String("window_end") != "17:00" {
		t.Errorf("default window %s–%s", r.String("window_start"), r.String("window_end"))
	}
	seq := r.String("id")
	for _, tc := range []struct {
		name, collection string
		body             map[string]any
		field            string
	}{
		{"window backwards", "sequences", map[string]any{"workspace": w.ws, "name": "x", "window_start": "18:00", "window_end": "08:00"}, "window_end"},
		{"window not a time", "sequences", map[string]any{"workspace": w.ws, "name": "x", "window_start": "9h"}, "window_start"},
		{"unknown placeholder", "sequence_steps", map[string]any{"workspace": w.ws, "sequence": seq, "subject": "Hi {{nickname}}", "body": "x"}, "subject"},
		{"negative delay", "sequence_steps", map[string]any{"workspace": w.ws, "sequence": seq, "subject": "x", "body": "y", "delay_days": -1}, "delay_days"},
		{"no body", "sequence_steps", map[string]any{"workspace": w.ws, "sequence": seq, "subject": "x"}, "body"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := w.s.Do(t, w.owner.Token, http.MethodPost, "/api/collections/"+tc.collection+"/records", tc.body)
			if r.Status != 400 || r.String("data."+tc.field+".message") == "" {
				t.Errorf("%d %s", r.Status, r.Raw)
			}
		})
	}
}
