package proposals_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSendOpenSignConvert(t *testing.T) {
	w := newWorld(t)
	id := w.draft(t, line("Design", "10", "100", false), line("Hosting, one year", "1", "240", true))
	r := w.s.Must(t, w.owner.Token, http.MethodGet, "/api/collections/proposals/records/"+id, nil)
	if got := r.String("status") + " " + r.String("totals.gross"); got != "draft 1190.00" {
		t.Fatalf("draft = %s, want draft 1190.00 (the optional line not included)", got)
	}

	sent := w.send(t, id)
	url := sent.String("public_url")
	if !regexp.MustCompile(`^http://127\.0\.0\.1:8090/p/[A-Za-z0-9_-]{43}$`).MatchString(url) {
		t.Fatalf("public_url = %q", url)
	}
	year := time.Now().UTC().Format("2006")
	if got := sent.String("proposal.number") + " " + sent.String("proposal.status") + " " + sent.String("proposal.version"); got != "QUO-"+year+"-0001 sent 1" {
		t.Fatalf("sent = %s", got)
	}
	if sent.String("emailed") != "true" {
		t.Fatalf("emailed = %s, want true (the client has an email)", sent.String("emailed"))
	}
	tok := token(url)

	p := w.get(t, "/p/"+tok)
	if p.status != http.StatusOK || !strings.Contains(p.body, "Website relaunch") || !strings.Contains(p.body, `action="/p/`+tok+`/accept"`) {
		t.Fatalf("page: %d %.300s", p.status, p.body)
	}
	w.get(t, "/p/"+tok) // the same browser again: not a second "opened"
	if got := w.record(t, "proposals", id).GetString("status"); got != "viewed" {
		t.Fatalf("status after opening = %s, want viewed", got)
	}

	totals := w.s.Must(t, "", http.MethodPost, "/p/"+tok+"/totals", map[string]any{"included": []int{1}})
	if got := totals.String("totals.gross"); got != "1475.60" {
		t.Fatalf("totals with the optional line = %s, want 1475.60", got)
	}

	if got := w.accept(t, tok, "1"); got.status != http.StatusSeeOther {
		t.Fatalf("accept: %d %.300s", got.status, got.body)
	}
	signed := w.record(t, "proposals", id)
	if got := signed.GetString("status") + " " + signed.GetString("signer_name") + " " + signed.GetString("totals"); !strings.Contains(got, "signed Ana García") || !strings.Contains(got, `"gross":"1475.60"`) {
		t.Fatalf("signed = %s", got)
	}
	if signed.GetString("signed_pdf") == "" {
		t.Fatal("no signed PDF stored")
	}
	if got := w.events(t, id); !slices.Equal(got, []string{"created", "sent", "opened", "signed"}) {
		t.Fatalf("events = %v", got)
	}
	if p := w.get(t, "/p/"+tok); !strings.Contains(p.body, "Ana García") || strings.Contains(p.body, `/accept"`) {
		t.Fatalf("signed page: %.300s", p.body)
	}
	if v := w.verify(t, id); v.String("intact") != "true" || v.String("events") != "4" {
		t.Fatalf("verify: %s", v.Raw)
	}

	inv := w.s.Must(t, w.owner.Token, http.MethodPost, "/api/kontor/proposals/"+id+"/invoice", nil)
	if got := inv.String("status") + " " + inv.String("totals.gross") + " " + inv.String("notes"); !strings.HasPrefix(got, "draft 1475.60 Proposal QUO-"+year+"-0001, signed on ") {
		t.Fatalf("invoice = %s", got)
	}
	if again := w.s.Do(t, w.owner.Token, http.MethodPost, "/api/kontor/proposals/"+id+"/invoice", nil); again.Status != http.StatusConflict {
		t.Fatalf("second convert: %d %s", again.Status, again.Raw)
	}
	if got := w.events(t, id); got[len(got)-1] != "converted" {
		t.Fatalf("events = %v", got)
	}
	if v := w.verify(t, id); v.String("intact") != "true" {
		t.Fatalf("verify after convert: %s", v.Raw)
	}
}
