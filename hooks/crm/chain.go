package crm

import (
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
)

// chainProposal is a proposal as the deal chain shows it.
type chainProposal struct {
	ID       string `json:"id"`
	Number   string `json:"number"`
	Title    string `json:"title"`
	Status   string `json:"status"`
	Version  int    `json:"version"`
	SignedAt string `json:"signed_at"`
	Total    string `json:"total"`
	Currency string `json:"currency"`
	Invoice  string `json:"converted_invoice"`
}

// chainInvoice is an invoice as the deal chain shows it.
type chainInvoice struct {
	ID           string `json:"id"`
	DocumentType string `json:"document_type"`
	Number       string `json:"number"`
	Status       string `json:"status"`
	Total        string `json:"total"`
	AmountDue    string `json:"amount_due"`
	Paid         string `json:"paid"`
	Currency     string `json:"currency"`
}

// chainRoute is GET /api/kontor/deals/{id}/chain: the deal with its stage,
// contact and company, its proposals and invoices, and everything that
// happened between them, oldest first.
func chainRoute(e *core.RequestEvent) error {
	deal, err := access.RequireRecord(e, "deals", access.Viewer)
	if err != nil {
		return err
	}
	related := []*core.Record{deal}
	var stage, contact, company *core.Record
	for _, ref := range []struct {
		field, collection string
		into              **core.Record
	}{{"stage", "pipeline_stages", &stage}, {"contact", "contacts", &contact}, {"company", "companies", &company}} {
		if id := deal.GetString(ref.field); id != "" {
			if r, err := e.App.FindRecordById(ref.collection, id); err == nil {
				*ref.into = r
				related = append(related, r)
			}
		}
	}
	proposals, err := e.App.FindRecordsByFilter("proposals", "deal = {:d}", "created", 0, 0, dbx.Params{"d": deal.Id})
	if err != nil {
		return err
	}
	invoices, err := e.App.FindRecordsByFilter("invoices", "deal = {:d}", "created", 0, 0, dbx.Params{"d": deal.Id})
	if err != nil {
		return err
	}

	events := []entry{{At: deal.GetDateTime("created").Time().UTC(), Kind: "created", Title: "Deal " + deal.GetString("title") + " created",
		RefCollection: "deals", RefID: deal.Id}}
	if at := deal.GetDateTime("won_at"); !at.IsZero() {
		events = append(events, entry{At: at.Time().UTC(), Kind: "won", Title: "Deal won", RefCollection: "deals", RefID: deal.Id})
	}
	if at := deal.GetDateTime("lost_at"); !at.IsZero() {
		events = append(events, entry{At: at.Time().UTC(), Kind: "lost", Title: "Deal lost", RefCollection: "deals", RefID: deal.Id})
	}
	events = append(events, proposalEntries(e.App, proposals)...)
	events = append(events, invoiceEntries(e.App, invoices)...)
	sortEntries(events, false)

	outProposals := make([]chainProposal, 0, len(proposals))
	for _, p := range proposals {
		cp := chainProposal{ID: p.Id, Number: p.GetString("number"), Title: p.GetString("title"), Status: p.GetString("status"),
			Version: p.GetInt("version"), Total: readTotals(p.GetString("totals")).Gross, Currency: p.GetString("currency"),
			Invoice: p.GetString("converted_invoice")}
		if at := p.GetDateTime("signed_at"); !at.IsZero() {
			cp.SignedAt = at.String()
		}
		outProposals = append(outProposals, cp)
	}
	outInvoices := make([]chainInvoice, 0, len(invoices))
	for _, inv := range invoices {
		t := readTotals(inv.GetString("totals"))
		outInvoices = append(outInvoices, chainInvoice{ID: inv.Id, DocumentType: inv.GetString("document_type"), Number: inv.GetString("number"),
			Status: inv.GetString("status"), Total: t.Gross, AmountDue: t.Due, Paid: t.Paid, Currency: inv.GetString("currency")})
	}
	if err := apis.EnrichRecords(e, related); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{
		"deal": deal, "stage": stage, "contact": contact, "company": company,
		"proposals": outProposals, "invoices": outInvoices, "events": events,
	})
}
