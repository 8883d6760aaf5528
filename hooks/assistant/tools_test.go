package assistant_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"

	"github.com/kontor-app/kontor/internal/testserver"
)

// TestToolsNeverReturnAnotherWorkspacesData has the model ask, for a
// member of W1, for W2's deal, contact and client by their ids, and search
// and list across workspaces: every tool answers from W1 only, an id of
// W2 is "not found", nothing of W2 reaches the provider or is written in
// W2, and every tool call and every request to the provider is in W1's
// access log.
func TestToolsNeverReturnAnotherWorkspacesData(t *testing.T) {
	w := newWorld(t)
	w.connect(t)

	// W1: Ada with a deal and an activity, a client with an overdue invoice
	adaContact := w.create(t, w.owner, "contacts", map[string]any{"workspace": w.w1, "first_name": "Ada", "last_name": "Lovelace", "email": "ada@w1.example"})
	deal := w.create(t, w.owner, "deals", map[string]any{"workspace": w.w1, "title": "Website relaunch", "value": "12000.00", "currency": "EUR",
		"stage": w.stage(t, w.w1, "qualified"), "contact": adaContact})
	w.create(t, w.owner, "activities", map[string]any{"workspace": w.w1, "type": "call", "subject": "Kick-off call", "body": "Budget confirmed.", "deal": deal})
	client := w.s.Client(t, w.owner, w.w1, map[string]any{"name": "Lovelace Analytics"})
	invoice := w.overdue(t, w.owner, w.w1, client)

	// W2: a deal, a contact and a client with an overdue invoice, all of
	// which share words with W1's
	zed := w.create(t, w.outsider, "contacts", map[string]any{"workspace": w.w2, "first_name": "Zed", "last_name": "Lovelace", "email": "zed@w2.example"})
	secretDeal := w.create(t, w.outsider, "deals", map[string]any{"workspace": w.w2, "title": "Secret merger", "value": "990000.00", "currency": "EUR",
		"stage": w.stage(t, w.w2, "qualified"), "contact": zed})
	w.create(t, w.outsider, "activities", map[string]any{"workspace": w.w2, "type": "note", "subject": "Board minutes", "body": "Confidential terms.", "deal": secretDeal})
	w2Client := w.s.Client(t, w.outsider, w.w2, map[string]any{"name": "Lovelace Holdings W2", "email": "ap@w2.example"})
	w2Invoice := w.overdue(t, w.outsider, w.w2, w2Client)
	proposalsW2, draftsW2 := w.count(t, "proposals", dbx.HashExp{"workspace": w.w2}), w.count(t, "email_drafts", dbx.HashExp{"workspace": w.w2})

	a := w.start(t, w.member, calls(
		call("summarise_deal", map[string]any{"deal_id": secretDeal}),
		call("search_contacts", map[string]any{"query": "Lovelace"}),
		call("list_overdue_invoices", map[string]any{}),
		call("draft_proposal", map[string]any{"title": "Offer", "client_id": w2Client, "deal_id": secretDeal,
			"lines": []any{map[string]any{"description": "Work", "quantity": "1", "unit_price": "10"}}}),
		call("draft_followup_email", map[string]any{"contact_id": zed, "subject": "Hi", "body": "Following up."}),
		call("summarise_deal", map[string]any{"deal_id": deal}),
	))
	if a.Status != http.StatusOK {
		t.Fatalf("answer: %d %s", a.Status, a.Raw)
	}
	if a.Events[0].Name != "conversation" || a.Events[len(a.Events)-1].Name != "done" {
		t.Fatalf("the stream starts with the conversation and ends with done:\n%s", a.Raw)
	}
	if n := len(a.of("tool_call")); n != 6 {
		t.Fatalf("%d tool calls:\n%s", n, a.Raw)
	}
	results := a.of("tool_result")
	if len(results) != 6 {
		t.Fatalf("%d tool results:\n%s", len(results), a.Raw)
	}
	cardIDs := func(e event) []string {
		var ids []string
		for _, c := range e.Data["cards"].([]any) {
			ids = append(ids, c.(map[string]any)["id"].(string))
		}
		return ids
	}
	wantErr := func(i int, needle string) {
		t.Helper()
		e := results[i]
		if e.Data["is_error"] != true || !strings.Contains(e.Data["error"].(string), needle) || len(cardIDs(e)) != 0 {
			t.Errorf("tool %s: want an error with %q, got %v", e.Data["name"], needle, e.Data)
		}
	}
	wantErr(0, "No deal with id \""+secretDeal+"\" exists in this workspace")
	wantErr(3, "No client with id \""+w2Client+"\" exists in this workspace")
	wantErr(4, "No contact with id \""+zed+"\" exists in this workspace")
	if got := strings.Join(cardIDs(results[1]), ","); got != adaContact+","+client {
		t.Errorf("search found %s, want W1's contact and client only", got)
	}
	if got := strings.Join(cardIDs(results[2]), ","); got != invoice {
		t.Errorf("overdue invoices %s, want W1's %s", got, invoice)
	}
	if got := cardIDs(results[5]); len(got) != 1 || got[0] != deal {
		t.Errorf("W1's deal: %v", results[5].Data)
	} else if c := results[5].Data["cards"].([]any)[0].(map[string]any); c["link"] != "#/deals/"+deal || c["title"] != "Website relaunch" {
		t.Errorf("the deal's card: %v", c)
	}
	if m := a.of("message"); len(m) != 1 || m[0].Data["text"] != "Done." {
		t.Errorf("the answer: %v", m)
	} else {
		// the answer's text came in pieces, each an event of its own,
		// before the message, and the pieces make up the stored text
		var streamed strings.Builder
		deltas := 0
		for _, e := range a.Events {
			if e.Name == "message" {
				break
			}
			if e.Name == "delta" {
				deltas++
				streamed.WriteString(e.Data["text"].(string))
			}
		}
		stored := w.record(t, "assistant_messages", m[0].Data["id"].(string)).GetString("text")
		if deltas < 2 || streamed.String() != stored || stored != "Done." {
			t.Errorf("%d deltas %q before the message, stored %q:\n%s", deltas, streamed.String(), stored, a.Raw)
		}
	}

	// what went to the provider holds W1's data and nothing of W2 but the
	// ids the model itself named
	sent := w.model.sent()
	for _, w1 := range []string{"Website relaunch", "Kick-off call", "Budget confirmed.", "ada@w1.example", "Lovelace Analytics"} {
		if !strings.Contains(sent, w1) {
			t.Errorf("W1's %q was not sent to the model", w1)
		}
	}
	for _, w2 := range []string{"Secret merger", "990000", "Board minutes", "Confidential", "Zed", "zed@w2.example", "Lovelace Holdings", "ap@w2.example", w2Invoice, "Other Ltd"} {
		if strings.Contains(sent, w2) {
			t.Errorf("W2's %q was sent to the model", w2)
		}
	}
	if w.count(t, "proposals", dbx.HashExp{"workspace": w.w2}) != proposalsW2 || w.count(t, "email_drafts", dbx.HashExp{"workspace": w.w2}) != draftsW2 {
		t.Error("a tool wrote in W2")
	}
	if n := w.count(t, "proposals", dbx.HashExp{"workspace": w.w1}) + w.count(t, "email_drafts", dbx.HashExp{"workspace": w.w1}); n != 0 {
		t.Errorf("a refused draft was written in W1 (%d)", n)
	}

	// the access log: every tool call, and every request to the provider
	// (the first message, then the tools' results)
	tools := w.count(t, "access_log", dbx.HashExp{"workspace": w.w1, "action": "assistant_tool", "actor": w.member.ID})
	sentLog := w.count(t, "access_log", dbx.HashExp{"workspace": w.w1, "action": "assistant_sent", "actor": w.member.ID})
	if tools < 6 || sentLog != 2 || w.model.requests() != 2 {
		t.Errorf("access log: %d tool entries, %d sent entries for %d requests", tools, sentLog, w.model.requests())
	}
	if n := w.count(t, "access_log", dbx.HashExp{"workspace": w.w2}); n != 0 {
		t.Errorf("W2's access log has %d entries of the W1 member", n)
	}
	if n := w.count(t, "access_log", dbx.NewExp("action = 'assistant_tool' AND collection = 'deals' AND record_ids LIKE {:d}", dbx.Params{"d": "%" + deal + "%"})); n != 1 {
		t.Errorf("the deal's read is logged %d times", n)
	}
	if n := w.count(t, "access_log", dbx.NewExp("action = 'assistant_sent' AND record_ids LIKE {:d}", dbx.Params{"d": "%" + invoice + "%"})); n != 1 {
		t.Errorf("sending the invoice to the provider is logged %d times", n)
	}

	// the conversation keeps every step: the question, the model's calls,
	// the results with their cards, and the answer
	conv := a.conversation()
	var roles []string
	if err := w.s.App.DB().Select("role").From("assistant_messages").Where(dbx.HashExp{"conversation": conv}).
		OrderBy("created", "rowid").Column(&roles); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(roles, ","); got != "user,assistant,tool,assistant" {
		t.Errorf("stored messages: %s", got)
	}
}

// TestViewersAssistantCannotDraft: a viewer's model may read but its
// drafting tools fail with "your role cannot draft" and write nothing; a
// member's drafts a proposal through the proposals' own hooks (number
// free, totals computed, creator set, audit trail started) and an email,
// both drafts, and nothing is sent.
func TestViewersAssistantCannotDraft(t *testing.T) {
	w := newWorld(t)
	w.connect(t)
	contact := w.create(t, w.owner, "contacts", map[string]any{"workspace": w.w1, "first_name": "Ada", "last_name": "Lovelace", "email": "ada@w1.example"})
	deal := w.create(t, w.owner, "deals", map[string]any{"workspace": w.w1, "title": "Website relaunch", "stage": w.stage(t, w.w1, "proposal"), "contact": contact})
	client := w.s.Client(t, w.owner, w.w1, map[string]any{"name": "Lovelace Analytics"})
	drafting := calls(
		call("draft_proposal", map[string]any{"title": "Website relaunch", "client_id": client, "deal_id": deal, "intro": "As discussed.",
			"lines": []any{map[string]any{"description": "Design", "quantity": "2", "unit_price": "500.00", "vat_rate": "19", "vat_category": "S"}}}),
		call("draft_followup_email", map[string]any{"deal_id": deal, "subject": "Next steps", "body": "Shall we meet on Monday?"}),
	)
	outbox := w.count(t, "outbox", nil)

	a := w.start(t, w.viewer, drafting)
	for _, r := range a.of("tool_result") {
		if r.Data["is_error"] != true || !strings.Contains(r.Data["error"].(string), "Your role cannot draft") {
			t.Errorf("viewer's %s: %v", r.Data["name"], r.Data)
		}
	}
	if len(a.of("tool_result")) != 2 || w.count(t, "proposals", nil) != 0 || w.count(t, "email_drafts", nil) != 0 {
		t.Fatalf("the viewer drafted:\n%s", a.Raw)
	}

	a = w.start(t, w.member, drafting)
	results := a.of("tool_result")
	if len(results) != 2 || results[0].Data["is_error"] != false || results[1].Data["is_error"] != false {
		t.Fatalf("member's drafts:\n%s", a.Raw)
	}
	card := results[0].Data["cards"].([]any)[0].(map[string]any)
	p := w.record(t, "proposals", card["id"].(string))
	var totals struct {
		Gross string `json:"gross"`
	}
	if err := p.UnmarshalJSONField("totals", &totals); err != nil {
		t.Fatal(err)
	}
	if p.GetString("workspace") != w.w1 || p.GetString("status") != "draft" || p.GetString("deal") != deal || p.GetString("client") != client ||
		p.GetString("created_by") != w.member.ID || totals.Gross != "1190.00" || p.GetString("sent_at") != "" {
		t.Errorf("proposal: %v", p.PublicExport())
	}
	if card["link"] != "#/proposals/"+p.Id {
		t.Errorf("proposal card: %v", card)
	}
	if n := w.count(t, "proposal_events", dbx.HashExp{"proposal": p.Id, "type": "created"}); n != 1 {
		t.Errorf("the proposal's audit trail has %d created events", n)
	}
	emailCard := results[1].Data["cards"].([]any)[0].(map[string]any)
	d := w.record(t, "email_drafts", emailCard["id"].(string))
	if d.GetString("workspace") != w.w1 || d.GetString("to") != "ada@w1.example" || d.GetString("contact") != contact ||
		d.GetString("deal") != deal || d.GetString("author") != w.member.ID || d.GetString("body") != "Shall we meet on Monday?" {
		t.Errorf("email draft: %v", d.PublicExport())
	}
	if emailCard["link"] != "#/contacts/"+contact {
		t.Errorf("email card: %v", emailCard)
	}
	if n := w.count(t, "outbox", nil); n != outbox {
		t.Errorf("drafting queued %d outward messages", n-outbox)
	}

	// the draft is W1's: its members read it, W2 does not
	path := "/api/collections/email_drafts/records/" + d.Id
	for _, c := range []struct {
		who  testserver.User
		want int
	}{{w.viewer, 200}, {w.outsider, 404}, {testserver.User{}, 404}} {
		if r := w.s.Do(t, c.who.Token, http.MethodGet, path, nil); r.Status != c.want {
			t.Errorf("%s reads the email draft: %d", c.who.Email, r.Status)
		}
	}
	if r := w.s.Do(t, w.viewer.Token, http.MethodDelete, path, nil); r.Status != 404 && r.Status != 403 {
		t.Errorf("a viewer deletes the email draft: %d", r.Status)
	}
	w.s.Must(t, w.member.Token, http.MethodDelete, path, nil)
}
