package assistant

import (
	"encoding/json"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// init adds the tool list_overdue_invoices.
func init() {
	addTool(tool{
		def: toolDef("list_overdue_invoices",
			"List this workspace's issued invoices that are past their due date and not fully paid, most overdue first, with the client, amounts still due and days overdue.",
			`{"type":"object","properties":{
				"limit":{"type":"integer","description":"At most this many invoices (default 20, at most 50)."}}}`),
		collection: "invoices",
		run:        listOverdueInvoices,
	})
}

// overdueInvoice is an invoice past its due date.
type overdueInvoice struct {
	ID          string `json:"id"`
	Number      string `json:"number"`
	Client      string `json:"client"`
	IssueDate   string `json:"issue_date"`
	DueDate     string `json:"due_date"`
	DaysOverdue int    `json:"days_overdue"`
	Currency    string `json:"currency"`
	Gross       string `json:"gross"`
	Due         string `json:"due"`
	Status      string `json:"status"`
}

// listOverdueInvoices is the tool list_overdue_invoices: the workspace's
// invoices issued or partly paid whose due date has passed.
func listOverdueInvoices(tc *toolContext, raw json.RawMessage) (toolOutput, error) {
	var args struct {
		Limit int `json:"limit"`
	}
	if err := decodeArgs(raw, &args); err != nil {
		return toolOutput{}, err
	}
	today := tc.now.UTC().Format(time.DateOnly)
	var records []*core.Record
	err := tc.e.App.RecordQuery("invoices").
		AndWhere(dbx.HashExp{"workspace": tc.workspace, "document_type": "invoice", "status": []any{"issued", "partially_paid"}}).
		AndWhere(dbx.NewExp("[[due_date]] != '' AND [[due_date]] < {:today}", dbx.Params{"today": today})).
		OrderBy("due_date", "number").Limit(int64(clampLimit(args.Limit, 20, 50))).All(&records)
	if err != nil {
		return toolOutput{}, err
	}
	var out toolOutput
	list := []overdueInvoice{}
	for _, r := range records {
		var totals struct {
			Gross string `json:"gross"`
			Due   string `json:"due"`
		}
		_ = json.Unmarshal([]byte(r.GetString("totals")), &totals)
		if totals.Due == "" {
			totals.Due = totals.Gross
		}
		inv := overdueInvoice{ID: r.Id, Number: r.GetString("number"), Client: tc.nameOf("clients", r.GetString("client")),
			IssueDate: r.GetString("issue_date"), DueDate: r.GetString("due_date"), Currency: r.GetString("currency"),
			Gross: totals.Gross, Due: totals.Due, Status: r.GetString("status")}
		if due, err := time.Parse(time.DateOnly, inv.DueDate); err == nil {
			inv.DaysOverdue = int(tc.now.UTC().Truncate(24*time.Hour).Sub(due) / (24 * time.Hour))
		}
		list = append(list, inv)
		out.touched("invoices", r.Id)
		out.cards = append(out.cards, Card{Collection: "invoices", ID: r.Id, Title: inv.Number,
			Subtitle: joinNonEmpty(inv.Client, inv.Due+" "+inv.Currency+" due "+inv.DueDate), Link: "#/invoices/" + r.Id})
	}
	out.result = map[string]any{"today": today, "overdue_invoices": list}
	return out, nil
}
