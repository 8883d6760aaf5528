package crm

import (
	"encoding/json"
	"sort"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// entry is one thing that happened to a CRM record or a document linked to
// it: an activity, a proposal event, an invoice being created, issued or
// paid.
type entry struct {
	At            time.Time `json:"at"`
	Kind          string    `json:"kind"`
	Title         string    `json:"title"`
	RefCollection string    `json:"ref_collection"`
	RefID         string    `json:"ref_id"`
	Actor         string    `json:"actor"`
}

// sortEntries orders entries oldest first, or newest first.
func sortEntries(entries []entry, newestFirst bool) {
	sort.SliceStable(entries, func(i, j int) bool {
		if newestFirst {
			return entries[i].At.After(entries[j].At)
		}
		return entries[i].At.Before(entries[j].At)
	})
}

// documentTotals are the amounts of a proposal's or an invoice's totals
// JSON that the CRM shows.
type documentTotals struct {
	Gross string `json:"gross"`
	Paid  string `json:"paid"`
	Due   string `json:"due"`
}

func readTotals(raw string) documentTotals {
	var t documentTotals
	_ = json.Unmarshal([]byte(raw), &t)
	return t
}

// proposalEntries are the audit trail events of the proposals.
func proposalEntries(app core.App, proposals []*core.Record) []entry {
	var out []entry
	for _, p := range proposals {
		events, err := app.FindRecordsByFilter("proposal_events", "proposal = {:p}", "seq", 0, 0, dbx.Params{"p": p.Id})
		if err != nil {
			continue
		}
		for _, ev := range events {
			at, _ := time.Parse(time.RFC3339Nano, ev.GetString("at"))
			out = append(out, entry{At: at.UTC(), Kind: ev.GetString("type"), Title: "Proposal " + proposalName(p) + " " + ev.GetString("type"),
				RefCollection: "proposals", RefID: p.Id, Actor: ev.GetString("actor")})
		}
	}
	return out
}

// invoiceEntries are when the invoices were created, issued and paid
// (each payment).
func invoiceEntries(app core.App, invoices []*core.Record) []entry {
	var out []entry
	for _, inv := range invoices {
		name := invoiceName(inv)
		out = append(out, entry{At: inv.GetDateTime("created").Time().UTC(), Kind: "created", Title: name + " created",
			RefCollection: "invoices", RefID: inv.Id})
		if at := inv.GetDateTime("issued_at"); !at.IsZero() {
			out = append(out, entry{At: at.Time().UTC(), Kind: "issued", Title: name + " issued", RefCollection: "invoices", RefID: inv.Id})
		}
		payments, err := app.FindRecordsByFilter("payments", "invoice = {:i}", "created", 0, 0, dbx.Params{"i": inv.Id})
		if err != nil {
			continue
		}
		for _, p := range payments {
			out = append(out, entry{At: p.GetDateTime("created").Time().UTC(), Kind: "paid",
				Title:         "Payment of " + p.GetString("amount") + " " + inv.GetString("currency") + " on " + name,
				RefCollection: "invoices", RefID: inv.Id})
		}
	}
	return out
}

// activityEntries are the activities whose field names the id.
func activityEntries(app core.App, field, id string) []entry {
	activities, err := app.FindRecordsByFilter("activities", field+" = {:id}", "-occurred_at", 500, 0, dbx.Params{"id": id})
	if err != nil {
		return nil
	}
	out := make([]entry, 0, len(activities))
	for _, a := range activities {
		title := a.GetString("subject")
		if title == "" {
			title = a.GetString("type")
		}
		out = append(out, entry{At: a.GetDateTime("occurred_at").Time().UTC(), Kind: a.GetString("type"), Title: title,
			RefCollection: "activities", RefID: a.Id, Actor: a.GetString("author")})
	}
	return out
}

func proposalName(p *core.Record) string {
	if n := p.GetString("number"); n != "" {
		return n
	}
	return "“" + p.GetString("title") + "”"
}

func invoiceName(inv *core.Record) string {
	kind := "Invoice"
	if inv.GetString("document_type") == "credit_note" {
		kind = "Credit note"
	}
	if n := inv.GetString("number"); n != "" {
		return kind + " " + n
	}
	return kind + " (draft)"
}
