package assistant

import (
	"encoding/json"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// init adds the tool summarise_deal.
func init() {
	addTool(tool{
		def: toolDef("summarise_deal",
			"Read a deal of this workspace with its stage, value, contact and company, its latest activities (notes, calls, emails, meetings, tasks) and its proposals, to summarise it.",
			`{"type":"object","properties":{
				"deal_id":{"type":"string","description":"The deal's id."}},
			"required":["deal_id"]}`),
		collection: "deals",
		run:        summariseDeal,
	})
}

// dealActivity is an activity of a deal, for the model.
type dealActivity struct {
	Type       string `json:"type"`
	Subject    string `json:"subject,omitempty"`
	Body       string `json:"body,omitempty"`
	OccurredAt string `json:"occurred_at,omitempty"`
	Due        string `json:"due,omitempty"`
	Done       bool   `json:"done"`
}

// dealProposal is a proposal of a deal, for the model.
type dealProposal struct {
	ID     string `json:"id"`
	Number string `json:"number,omitempty"`
	Title  string `json:"title"`
	Status string `json:"status"`
	Gross  string `json:"gross,omitempty"`
}

// maxDealActivities is how many of a deal's latest activities the tool
// reads.
const maxDealActivities = 20

// summariseDeal is the tool summarise_deal: a deal of the workspace with
// its activities and proposals.
func summariseDeal(tc *toolContext, raw json.RawMessage) (toolOutput, error) {
	var args struct {
		DealID string `json:"deal_id"`
	}
	if err := decodeArgs(raw, &args); err != nil {
		return toolOutput{}, err
	}
	deal, err := tc.find("deals", "deal", args.DealID)
	if err != nil {
		return toolOutput{}, err
	}
	var out toolOutput
	out.touched("deals", deal.Id)
	stage := ""
	if s, err := tc.e.App.FindRecordById("pipeline_stages", deal.GetString("stage")); err == nil && s.GetString("workspace") == tc.workspace {
		stage = s.GetString("name")
	}
	summary := map[string]any{
		"id": deal.Id, "title": deal.GetString("title"), "value": deal.GetString("value"), "currency": deal.GetString("currency"),
		"stage": stage, "status": deal.GetString("status"), "expected_close": deal.GetString("expected_close"),
		"close_reason": deal.GetString("close_reason"), "created": deal.GetString("created"),
	}
	if id := deal.GetString("contact"); id != "" {
		if c, err := tc.find("contacts", "contact", id); err == nil {
			summary["contact"] = map[string]any{"id": c.Id, "name": contactName(c), "email": c.GetString("email"), "job_title": c.GetString("job_title")}
			out.touched("contacts", c.Id)
		}
	}
	if name := tc.nameOf("companies", deal.GetString("company")); name != "" {
		summary["company"] = name
	}

	var activities []*core.Record
	if err := tc.e.App.RecordQuery("activities").AndWhere(dbx.HashExp{"workspace": tc.workspace, "deal": deal.Id}).
		OrderBy("occurred_at DESC", "created DESC").Limit(maxDealActivities).All(&activities); err != nil {
		return out, err
	}
	acts := []dealActivity{}
	for _, r := range activities {
		acts = append(acts, dealActivity{Type: r.GetString("type"), Subject: r.GetString("subject"), Body: clip(r.GetString("body"), 1000),
			OccurredAt: r.GetString("occurred_at"), Due: r.GetString("due"), Done: r.GetBool("done")})
		out.touched("activities", r.Id)
	}
	summary["activities"] = acts

	var proposals []*core.Record
	if err := tc.e.App.RecordQuery("proposals").AndWhere(dbx.HashExp{"workspace": tc.workspace, "deal": deal.Id}).
		OrderBy("created DESC").Limit(20).All(&proposals); err != nil {
		return out, err
	}
	props := []dealProposal{}
	cards := []Card{{Collection: "deals", ID: deal.Id, Title: deal.GetString("title"),
		Subtitle: joinNonEmpty(stage, joinValue(deal.GetString("value"), deal.GetString("currency"))), Link: "#/deals/" + deal.Id}}
	for _, r := range proposals {
		var totals struct {
			Gross string `json:"gross"`
		}
		_ = json.Unmarshal([]byte(r.GetString("totals")), &totals)
		p := dealProposal{ID: r.Id, Number: r.GetString("number"), Title: r.GetString("title"), Status: r.GetString("status"), Gross: totals.Gross}
		props = append(props, p)
		out.touched("proposals", r.Id)
		cards = append(cards, Card{Collection: "proposals", ID: r.Id, Title: joinNonEmpty(p.Number, p.Title), Subtitle: p.Status, Link: "#/proposals/" + r.Id})
	}
	summary["proposals"] = props
	out.result = summary
	out.cards = cards
	return out, nil
}

// joinValue is an amount with its currency, or "" without an amount.
func joinValue(value, currency string) string {
	if value == "" {
		return ""
	}
	if currency == "" {
		return value
	}
	return value + " " + currency
}
