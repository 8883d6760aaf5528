package proposals_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"github.com/kontor-app/kontor/hooks/proposals"
)

func TestTokenNeverShownAgain(t *testing.T) {
	w := newWorld(t)
	id := w.draft(t, line("Design", "1", "100", false))
	tok := token(w.send(t, id).String("public_url"))

	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(raw) != 32 {
		t.Fatalf("token %q is not 256 bits of base64url: %v", tok, err)
	}
	if strings.Contains(tok, id) {
		t.Fatal("the token holds the proposal id")
	}
	v, err := w.s.App.FindFirstRecordByData("proposal_versions", "proposal", id)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(tok))
	if v.GetString("token_hash") != hex.EncodeToString(sum[:]) {
		t.Fatal("the stored token hash is not the SHA-256 of the token")
	}

	// sending again makes a different, unrelated token
	tok2 := token(w.send(t, id).String("public_url"))
	if tok2 == tok {
		t.Fatal("a second send reused the token")
	}

	for _, path := range []string{
		"/api/collections/proposals/records/" + id,
		"/api/collections/proposals/records?filter=" + url.QueryEscape(`id="`+id+`"`),
		"/api/collections/proposal_versions/records?filter=" + url.QueryEscape(`proposal="`+id+`"`),
		"/api/collections/proposal_events/records?filter=" + url.QueryEscape(`proposal="`+id+`"`),
		"/api/collections/outbox/records",
		"/api/kontor/proposals/" + id + "/verify",
	} {
		r := w.s.Must(t, w.owner.Token, http.MethodGet, path, nil)
		for _, secret := range []string{tok, tok2} {
			if strings.Contains(string(r.Raw), secret) {
				t.Errorf("%s shows a public token", path)
			}
		}
		if strings.Contains(string(r.Raw), "token_hash") {
			t.Errorf("%s shows the token hash", path)
		}
	}
	// the email to the buyer is queued, its link sealed
	queued, err := w.s.App.FindFirstRecordByData("outbox", "idempotency_key", "proposal_sent:"+id+":2")
	if err != nil {
		t.Fatal(err)
	}
	if p := queued.GetString("payload"); strings.Contains(p, tok2) || !strings.Contains(p, "sealed_link") {
		t.Fatalf("outbox payload: %.300s", p)
	}
}

func TestSupersededAndUnknownLinks(t *testing.T) {
	w := newWorld(t)
	id := w.draft(t, line("Design", "1", "100", false))
	old := token(w.send(t, id).String("public_url"))
	w.s.Must(t, w.owner.Token, http.MethodPatch, "/api/collections/proposals/records/"+id, map[string]any{"title": "Website relaunch v2"})
	if !w.record(t, "proposals", id).GetBool("changed_since_sent") {
		t.Fatal("editing after sending does not mark the proposal changed_since_sent")
	}
	if p := w.get(t, "/p/"+old); !strings.Contains(p.body, "Website relaunch") || strings.Contains(p.body, "v2") {
		t.Fatal("the link does not show the version sent")
	}
	current := token(w.send(t, id).String("public_url"))

	p := w.get(t, "/p/"+old)
	if p.status != http.StatusOK || strings.Contains(p.body, `/accept"`) || !strings.Contains(p.body, `data-state="superseded"`) {
		t.Fatalf("old link: %d %.500s", p.status, p.body)
	}
	if p := w.accept(t, old); p.status != http.StatusConflict {
		t.Fatalf("signing through the old link: %d", p.status)
	}
	if p := w.get(t, "/p/"+current); !strings.Contains(p.body, "Website relaunch v2") {
		t.Fatal("the new link does not show the new version")
	}
	for _, bad := range []string{"x", strings.Repeat("A", 43), current[:42] + "B"} {
		if p := w.get(t, "/p/"+bad); p.status != http.StatusNotFound || strings.Contains(p.body, "Website") {
			t.Errorf("unknown link %q: %d", bad, p.status)
		}
	}
	if got := w.record(t, "proposals", id).GetInt("version"); got != 2 {
		t.Fatalf("version = %d", got)
	}
}

func TestOptionalLinesChangeSignedTotals(t *testing.T) {
	w := newWorld(t)
	cases := []struct {
		name     string
		included []string
		gross    string
		lines    int // lines on the invoice made from it
	}{
		{"none ticked", nil, "1190.00", 1},
		{"one ticked", []string{"1"}, "1475.60", 2},
		{"both ticked", []string{"1", "2"}, "1507.70", 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			id := w.draft(t, line("Design", "10", "100", false), line("Hosting", "1", "240", true),
				map[string]any{"description": "Domain", "quantity": "1", "unit_price": "30", "vat_category": "S", "vat_rate": "7", "optional": true, "included": true})
			tok := token(w.send(t, id).String("public_url"))
			if p := w.accept(t, tok, c.included...); p.status != http.StatusSeeOther {
				t.Fatalf("accept: %d %.300s", p.status, p.body)
			}
			r := w.s.Must(t, w.owner.Token, http.MethodGet, "/api/collections/proposals/records/"+id, nil)
			if got := r.String("totals.gross"); got != c.gross {
				t.Fatalf("signed gross = %s, want %s", got, c.gross)
			}
			inv := w.s.Must(t, w.owner.Token, http.MethodPost, "/api/kontor/proposals/"+id+"/invoice", nil)
			if got := inv.String("totals.gross"); got != c.gross || strings.Count(inv.String("lines"), `"description"`) != c.lines {
				t.Fatalf("invoice gross %s lines %s", got, inv.String("lines"))
			}
		})
	}

	// a line that is not optional cannot be ticked out, nor a missing one in
	id := w.draft(t, line("Design", "10", "100", false), line("Hosting", "1", "240", true))
	tok := token(w.send(t, id).String("public_url"))
	for _, bad := range [][]int{{0}, {7}, {-1}} {
		if r := w.s.Do(t, "", http.MethodPost, "/p/"+tok+"/totals", map[string]any{"included": bad}); r.Status != http.StatusBadRequest {
			t.Errorf("totals with %v: %d", bad, r.Status)
		}
	}
	if p := w.accept(t, tok, "0"); p.status != http.StatusBadRequest {
		t.Errorf("accept ticking a line that is not optional: %d", p.status)
	}
	if got := w.record(t, "proposals", id).GetString("status"); got != "sent" {
		t.Fatalf("status after refused forms = %s", got)
	}
}

func TestAcceptFormIsChecked(t *testing.T) {
	w := newWorld(t)
	id := w.draft(t, line("Design", "1", "100", false))
	tok := token(w.send(t, id).String("public_url"))
	good := url.Values{"name": {"Ana García"}, "email": {"ana@acme.example"}, "consent": {"yes"}}
	cases := []struct {
		name   string
		change func(url.Values)
	}{
		{"no name", func(v url.Values) { v.Set("name", " ") }},
		{"bad email", func(v url.Values) { v.Set("email", "ana@") }},
		{"no consent", func(v url.Values) { v.Del("consent") }},
		{"signature not a PNG", func(v url.Values) {
			v.Set("signature", "data:image/png;base64,"+base64.StdEncoding.EncodeToString([]byte("GIF89a")))
		}},
		{"signature not a data URL", func(v url.Values) { v.Set("signature", "https://evil.example/x.png") }},
	}
	for _, c := range cases {
		form := url.Values{}
		for k, v := range good {
			form[k] = v
		}
		c.change(form)
		if p := w.post(t, "/p/"+tok+"/accept", form); p.status != http.StatusBadRequest || !strings.Contains(p.body, `role="alert"`) {
			t.Errorf("%s: %d %.200s", c.name, p.status, p.body)
		}
	}
	if got := w.events(t, id); len(got) != 2 {
		t.Fatalf("refused forms wrote events: %v", got)
	}

	if p := w.post(t, "/p/"+tok+"/decline", url.Values{"reason": {""}}); p.status != http.StatusBadRequest {
		t.Errorf("decline without reason: %d", p.status)
	}
	if p := w.post(t, "/p/"+tok+"/decline", url.Values{"reason": {"Too expensive"}}); p.status != http.StatusSeeOther {
		t.Fatalf("decline: %d %.300s", p.status, p.body)
	}
	r := w.record(t, "proposals", id)
	if r.GetString("status") != "declined" || r.GetString("decline_reason") != "Too expensive" {
		t.Fatalf("declined: %s %q", r.GetString("status"), r.GetString("decline_reason"))
	}
	if p := w.accept(t, tok); p.status != http.StatusConflict {
		t.Fatalf("accept after decline: %d", p.status)
	}
	if r := w.s.Do(t, w.owner.Token, http.MethodPost, "/api/kontor/proposals/"+id+"/invoice", nil); r.Status != http.StatusBadRequest {
		t.Fatalf("converting a declined proposal: %d", r.Status)
	}
	if _, err := w.s.App.FindFirstRecordByData("outbox", "idempotency_key", "proposal_declined:"+id+":1"); err != nil {
		t.Fatal("the owner is not told of the decline")
	}
}

func TestExpiry(t *testing.T) {
	w := newWorld(t)
	id := w.draft(t, line("Design", "1", "100", false))
	tok := token(w.send(t, id).String("public_url"))
	signedID := signedProposal(t, w)
	yesterday := time.Now().UTC().AddDate(0, 0, -1).Format("2006-01-02")
	validUntil := w.record(t, "proposals", id).GetString("valid_until")

	// the link stops taking answers the day after the validity the buyer
	// was shown, before the job runs (the snapshot is back-dated here and
	// restored after)
	w.exec(t, `UPDATE proposal_versions SET snapshot = replace(snapshot, {:v}, {:d})`, dbx.Params{"v": validUntil, "d": yesterday})
	if p := w.get(t, "/p/"+tok); !strings.Contains(p.body, `data-state="expired"`) || strings.Contains(p.body, `/accept"`) {
		t.Fatalf("page of an expired proposal: %.300s", p.body)
	}
	if p := w.accept(t, tok); p.status != http.StatusConflict {
		t.Fatalf("accept after expiry: %d", p.status)
	}
	w.exec(t, `UPDATE proposal_versions SET snapshot = replace(snapshot, {:d}, {:v})`, dbx.Params{"v": validUntil, "d": yesterday})

	n, err := proposals.ExpireDue(w.s.App, time.Now().AddDate(0, 0, 31))
	if err != nil || n != 1 {
		t.Fatalf("ExpireDue = %d, %v; want 1 (the signed one stays signed)", n, err)
	}
	if n, _ := proposals.ExpireDue(w.s.App, time.Now().AddDate(0, 0, 31)); n != 0 {
		t.Fatalf("running again expired %d", n)
	}
	r := w.record(t, "proposals", id)
	if r.GetString("status") != "expired" || r.GetDateTime("expired_at").IsZero() {
		t.Fatalf("status = %s", r.GetString("status"))
	}
	if got := w.events(t, id); got[len(got)-1] != "expired" {
		t.Fatalf("events = %v", got)
	}
	if got := w.record(t, "proposals", signedID).GetString("status"); got != "signed" {
		t.Fatalf("signed proposal became %s", got)
	}
	if v := w.verify(t, id); v.String("intact") != "true" {
		t.Fatalf("verify: %s", v.Raw)
	}
	if p := w.get(t, "/p/"+tok); !strings.Contains(p.body, `data-state="expired"`) {
		t.Fatalf("page after the job: %.300s", p.body)
	}
	// sending again with a new validity reopens it
	w.s.Must(t, w.owner.Token, http.MethodPatch, "/api/collections/proposals/records/"+id,
		map[string]any{"valid_until": time.Now().UTC().AddDate(0, 1, 0).Format("2006-01-02")})
	if got := w.send(t, id).String("proposal.status"); got != "sent" {
		t.Fatalf("status after sending again = %s", got)
	}
}
