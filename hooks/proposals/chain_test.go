package proposals_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
)

// signedProposal is a proposal sent, opened and signed: events created,
// sent, opened, signed.
func signedProposal(t *testing.T, w *world) string {
	t.Helper()
	id := w.draft(t, line("Design", "10", "100", false), line("Hosting", "1", "240", true))
	tok := token(w.send(t, id).String("public_url"))
	w.get(t, "/p/"+tok)
	if p := w.accept(t, tok, "1"); p.status != http.StatusSeeOther {
		t.Fatalf("accept: %d %.300s", p.status, p.body)
	}
	return id
}

func TestVerifyDetectsTampering(t *testing.T) {
	cases := []struct {
		name   string
		tamper func(t *testing.T, w *world, id string)
		want   string
	}{
		{"nothing", func(*testing.T, *world, string) {}, ""},
		{"altered event", func(t *testing.T, w *world, id string) {
			w.exec(t, `UPDATE proposal_events SET ip = '203.0.113.9' WHERE proposal = {:p} AND seq = 3`, dbx.Params{"p": id})
		}, "Event 3 (opened) was altered"},
		{"altered event details", func(t *testing.T, w *world, id string) {
			w.exec(t, `UPDATE proposal_events SET details = replace(details, '1475.60', '1190.00') WHERE proposal = {:p} AND seq = 4`, dbx.Params{"p": id})
		}, "Event 4 (signed) was altered"},
		{"event rehashed but not rechained", func(t *testing.T, w *world, id string) {
			// a forger who recomputes one hash still breaks the next link
			w.exec(t, `UPDATE proposal_events SET hash = 'ffff' WHERE proposal = {:p} AND seq = 2`, dbx.Params{"p": id})
		}, "Event 3 (opened) does not follow"},
		{"deleted event", func(t *testing.T, w *world, id string) {
			w.exec(t, `DELETE FROM proposal_events WHERE proposal = {:p} AND seq = 3`, dbx.Params{"p": id})
		}, "Event 3 is missing"},
		{"deleted last event", func(t *testing.T, w *world, id string) {
			w.exec(t, `DELETE FROM proposal_events WHERE proposal = {:p} AND seq = 4`, dbx.Params{"p": id})
		}, "events were removed"},
		{"altered document", func(t *testing.T, w *world, id string) {
			w.exec(t, `UPDATE proposal_versions SET snapshot = replace(snapshot, 'Website relaunch', 'Website relaunch and SEO') WHERE proposal = {:p}`, dbx.Params{"p": id})
		}, "The document of version 1 was altered"},
		{"altered signed lines", func(t *testing.T, w *world, id string) {
			w.exec(t, `UPDATE proposals SET lines = replace(lines, '"quantity":"10"', '"quantity":"12"') WHERE id = {:p}`, dbx.Params{"p": id})
		}, "no longer holds what was signed"},
	}
	w := newWorld(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			id := signedProposal(t, w)
			c.tamper(t, w, id)
			v := w.verify(t, id)
			if c.want == "" {
				if v.String("intact") != "true" || v.String("problems") != "[]" {
					t.Fatalf("untouched trail: %s", v.Raw)
				}
				return
			}
			if v.String("intact") != "false" || !strings.Contains(v.String("problems"), c.want) {
				t.Fatalf("verify = %s, want a problem %q", v.Raw, c.want)
			}
		})
	}
}

func TestAuditTrailIsAppendOnly(t *testing.T) {
	w := newWorld(t)
	id := signedProposal(t, w)
	events, err := w.s.App.FindRecordsByFilter("proposal_events", "proposal = {:p}", "seq", 0, 0, dbx.Params{"p": id})
	if err != nil || len(events) != 4 {
		t.Fatalf("%d events, %v", len(events), err)
	}
	e := events[0]
	for _, c := range []struct{ method, path string }{
		{http.MethodPatch, "/api/collections/proposal_events/records/" + e.Id},
		{http.MethodDelete, "/api/collections/proposal_events/records/" + e.Id},
		{http.MethodPost, "/api/collections/proposal_events/records"},
		{http.MethodPatch, "/api/collections/proposal_versions/records/" + id},
	} {
		body := map[string]any{"proposal": id, "workspace": w.ws, "ip": "1.2.3.4", "type": "signed", "seq": 9, "at": "x", "hash": "x"}
		if r := w.s.Do(t, w.owner.Token, c.method, c.path, body); r.Status < 400 {
			t.Errorf("%s %s: %d %s", c.method, c.path, r.Status, r.Raw)
		}
	}
	// not even the server's own code path changes or deletes one
	e.Set("ip", "1.2.3.4")
	if err := w.s.App.Save(e); err == nil {
		t.Error("an event was updated")
	}
	if err := w.s.App.Delete(events[3]); err == nil {
		t.Error("an event was deleted")
	}
	if v := w.verify(t, id); v.String("intact") != "true" {
		t.Fatalf("verify: %s", v.Raw)
	}
}

func TestSignedProposalIsLocked(t *testing.T) {
	w := newWorld(t)
	id := signedProposal(t, w)
	p := "/api/collections/proposals/records/" + id
	for _, c := range []struct {
		method, path string
		body         map[string]any
		status       int
	}{
		{http.MethodPatch, p, map[string]any{"title": "Cheaper"}, http.StatusConflict},
		{http.MethodPatch, p, map[string]any{"lines": []any{line("Design", "1", "1", false)}}, http.StatusConflict},
		{http.MethodPatch, p, map[string]any{}, http.StatusConflict},
		{http.MethodDelete, p, nil, http.StatusBadRequest},
		{http.MethodPost, "/api/kontor/proposals/" + id + "/send", nil, http.StatusConflict},
	} {
		if r := w.s.Do(t, w.owner.Token, c.method, c.path, c.body); r.Status != c.status {
			t.Errorf("%s %s %v: %d %s, want %d", c.method, c.path, c.body, r.Status, r.Raw, c.status)
		}
	}
	// nor through the server's own saves
	r := w.record(t, "proposals", id)
	r.Set("terms", "changed")
	if err := w.s.App.Save(r); err == nil {
		t.Error("a signed proposal's terms were changed")
	}
	if got := w.record(t, "proposals", id).GetString("title"); got != "Website relaunch" {
		t.Errorf("title = %q", got)
	}
	if v := w.verify(t, id); v.String("intact") != "true" {
		t.Fatalf("verify: %s", v.Raw)
	}
}

func TestServerFieldsCannotBeWritten(t *testing.T) {
	w := newWorld(t)
	r := w.s.Do(t, w.owner.Token, http.MethodPost, "/api/collections/proposals/records", map[string]any{
		"workspace": w.ws, "client": w.client, "status": "signed", "number": "QUO-1", "lines": []any{line("A", "1", "1", false)},
	})
	if r.Status != http.StatusBadRequest || r.String("data.status.message") == "" || r.String("data.number.message") == "" {
		t.Fatalf("create with server fields: %d %s", r.Status, r.Raw)
	}
	id := w.draft(t, line("A", "1", "1", false))
	r = w.s.Do(t, w.owner.Token, http.MethodPatch, "/api/collections/proposals/records/"+id, map[string]any{"totals": map[string]any{"gross": "0.01"}})
	if r.Status != http.StatusBadRequest || r.String("data.totals.message") == "" {
		t.Fatalf("update totals: %d %s", r.Status, r.Raw)
	}
}
