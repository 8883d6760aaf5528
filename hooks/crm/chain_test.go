package crm_test

import (
	"net/http"
	"testing"
	"time"
)

// TestDealChain follows one deal end to end: a proposal of the deal is
// signed, which wins the deal; the proposal becomes an invoice that
// inherits the deal; the invoice is issued; the chain shows it all, in
// order.
func TestDealChain(t *testing.T) {
	w := newWorld(t)
	contact := w.contact(t, map[string]any{"email": "ana@acme.example"})
	deal := w.deal(t, "proposal", map[string]any{"contact": contact})

	proposal := w.signedProposal(t, deal)
	d := w.record(t, "deals", deal)
	if d.GetString("stage") != w.stage(t, "won") || d.GetString("status") != "won" || d.GetDateTime("won_at").IsZero() {
		t.Fatalf("after signing, the deal is in %s (%s), won_at %v", d.GetString("stage"), d.GetString("status"), d.GetDateTime("won_at"))
	}
	if d.GetString("close_reason") == "" {
		t.Error("the signature left no close reason")
	}

	invoice := w.s.Must(t, w.owner.Token, http.MethodPost, "/api/kontor/proposals/"+proposal+"/invoice", nil)
	if invoice.String("deal") != deal {
		t.Fatalf("the invoice of the proposal has deal %q, want %q", invoice.String("deal"), deal)
	}
	if r := w.s.Issue(t, w.owner, invoice.String("id")); r.Status != 200 {
		t.Fatalf("issue: %d %s", r.Status, r.Raw)
	}

	chain := w.s.Must(t, w.user("viewer").Token, http.MethodGet, "/api/kontor/deals/"+deal+"/chain", nil)
	for path, want := range map[string]string{
		"deal.id": deal, "stage.kind": "won", "contact.id": contact,
		"proposals.0.id": proposal, "proposals.0.status": "signed", "proposals.0.total": "1190.00",
		"invoices.0.id": invoice.String("id"), "invoices.0.status": "issued", "invoices.0.total": "1190.00",
		"invoices.0.amount_due": "1190.00",
	} {
		if got := chain.String(path); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	var kinds []string
	var last time.Time
	for _, ev := range chain.Body["events"].([]any) {
		e := ev.(map[string]any)
		at, err := time.Parse(time.RFC3339Nano, e["at"].(string))
		if err != nil || at.Before(last) {
			t.Errorf("events out of order at %v", e)
		}
		last = at
		kinds = append(kinds, e["ref_collection"].(string)+":"+e["kind"].(string))
	}
	// the deal, its proposal's trail, the invoice made from it (then the
	// proposal's converted event), the issue
	order := []string{"deals:created", "proposals:created", "proposals:sent", "proposals:signed", "deals:won",
		"invoices:created", "proposals:converted", "invoices:issued"}
	i := 0
	for _, k := range kinds {
		if i < len(order) && k == order[i] {
			i++
		}
	}
	if i != len(order) {
		t.Errorf("events %v do not contain %v in order", kinds, order)
	}
}

// TestSignatureWinsOnlyWhenOn: with deal_won_on_signature off, a signature
// leaves the deal where it is; a deal already lost stays lost either way.
func TestSignatureWinsOnlyWhenOn(t *testing.T) {
	w := newWorld(t)
	w.s.Must(t, w.owner.Token, http.MethodPatch, "/api/collections/workspaces/records/"+w.ws, map[string]any{"deal_won_on_signature": false})
	deal := w.deal(t, "negotiation", nil)
	w.signedProposal(t, deal)
	if d := w.record(t, "deals", deal); d.GetString("status") != "open" || d.GetString("stage") != w.stage(t, "negotiation") {
		t.Errorf("with the setting off, the deal moved to %s (%s)", d.GetString("stage"), d.GetString("status"))
	}

	w.s.Must(t, w.owner.Token, http.MethodPatch, "/api/collections/workspaces/records/"+w.ws, map[string]any{"deal_won_on_signature": true})
	lost := w.deal(t, "lost", nil)
	w.signedProposal(t, lost)
	if d := w.record(t, "deals", lost); d.GetString("status") != "lost" {
		t.Errorf("a lost deal became %s on signature", d.GetString("status"))
	}
}

// TestDealLinkOfDocuments: a draft invoice takes a deal of its workspace,
// not another's; an issued invoice keeps its deal frozen; a proposal
// cannot name another workspace's deal.
func TestDealLinkOfDocuments(t *testing.T) {
	w := newWorld(t)
	deal := w.deal(t, "new", nil)
	theirs := w.s.Create(t, w.outsider, "deals", map[string]any{"workspace": w.w2, "title": "Theirs", "stage": w.stageOf(t, w.w2, "new")}).String("id")
	client := w.s.Client(t, w.owner, w.ws, nil)
	draft := w.s.Draft(t, w.owner, w.ws, client, map[string]any{"description": "Work", "quantity": "1", "unit_price": "100", "vat_category": "S", "vat_rate": "19"})
	path := "/api/collections/invoices/records/" + draft

	if r := w.s.Do(t, w.owner.Token, http.MethodPatch, path, map[string]any{"deal": theirs}); r.Status != 400 || r.String("data.deal.message") == "" {
		t.Errorf("another workspace's deal on a draft: %d %s", r.Status, r.Raw)
	}
	if r := w.s.Do(t, w.owner.Token, http.MethodPatch, path, map[string]any{"deal": deal}); r.Status != 200 || r.String("deal") != deal {
		t.Fatalf("a deal on a draft: %d %s", r.Status, r.Raw)
	}
	if r := w.s.Issue(t, w.owner, draft); r.Status != 200 {
		t.Fatalf("issue: %s", r.Raw)
	}
	other := w.deal(t, "new", map[string]any{"title": "Other"})
	if r := w.s.Do(t, w.owner.Token, http.MethodPatch, path, map[string]any{"deal": other}); r.Status < 400 || r.Status >= 500 {
		t.Errorf("the deal of an issued invoice changed: %d %s", r.Status, r.Raw)
	}
	if got := w.record(t, "invoices", draft).GetString("deal"); got != deal {
		t.Errorf("the issued invoice's deal is %q", got)
	}

	r := w.s.Do(t, w.owner.Token, http.MethodPost, "/api/collections/proposals/records", map[string]any{"workspace": w.ws, "client": client,
		"deal": theirs, "title": "Offer"})
	if r.Status != 400 || r.String("data.deal.message") == "" {
		t.Errorf("a proposal with another workspace's deal: %d %s", r.Status, r.Raw)
	}
}
