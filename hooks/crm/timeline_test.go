package crm_test

import (
	"net/http"
	"testing"
	"time"
)

// TestTimeline lists a deal's activities and its proposal's events newest
// first; a company's timeline holds the activities about the company and
// its deals' documents; asking for none or two records is a 400.
func TestTimeline(t *testing.T) {
	w := newWorld(t)
	company := w.create(t, "companies", map[string]any{"name": "Acme"})
	deal := w.deal(t, "proposal", map[string]any{"company": company})
	w.create(t, "activities", map[string]any{"type": "meeting", "subject": "Kick-off", "deal": deal, "occurred_at": "2026-01-05 10:00:00.000Z"})
	w.create(t, "activities", map[string]any{"type": "note", "subject": "Budget approved", "company": company})
	proposal := w.signedProposal(t, deal)

	items := func(query string) []map[string]any {
		t.Helper()
		r := w.s.Must(t, w.user("viewer").Token, http.MethodGet, "/api/kontor/timeline?"+query, nil)
		var out []map[string]any
		for _, it := range r.Body["items"].([]any) {
			out = append(out, it.(map[string]any))
		}
		return out
	}
	dealItems := items("deal=" + deal)
	var last time.Time
	kinds := map[string]bool{}
	for i, it := range dealItems {
		at, err := time.Parse(time.RFC3339Nano, it["at"].(string))
		if err != nil || (i > 0 && at.After(last)) {
			t.Errorf("not newest first at %v", it)
		}
		last = at
		kinds[it["kind"].(string)] = true
		if it["ref_collection"] == "proposals" && it["ref_id"] != proposal {
			t.Errorf("another proposal: %v", it)
		}
	}
	if !kinds["meeting"] || !kinds["signed"] || kinds["note"] {
		t.Errorf("deal timeline kinds %v", kinds)
	}
	if got := dealItems[len(dealItems)-1]["title"]; got != "Kick-off" {
		t.Errorf("the oldest entry is %v", got)
	}

	companyKinds := map[string]bool{}
	for _, it := range items("company=" + company) {
		companyKinds[it["kind"].(string)] = true
	}
	if !companyKinds["note"] || !companyKinds["signed"] || companyKinds["meeting"] {
		t.Errorf("company timeline kinds %v", companyKinds)
	}

	for _, q := range []string{"", "contact=x&deal=" + deal} {
		if r := w.s.Do(t, w.owner.Token, http.MethodGet, "/api/kontor/timeline?"+q, nil); r.Status != 400 {
			t.Errorf("%q: %d", q, r.Status)
		}
	}
	if r := w.s.Do(t, w.owner.Token, http.MethodGet, "/api/kontor/timeline?deal=nosuchdeal12345", nil); r.Status != 404 {
		t.Errorf("unknown deal: %d", r.Status)
	}
}
