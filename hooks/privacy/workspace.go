package privacy

import (
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
	"github.com/kontor-app/kontor/hooks/fielderr"
)

// WorkspaceGrace is how long a deleted workspace keeps its data before
// the retention job removes it: the window in which a superuser can still
// restore a workspace deleted by mistake.
const WorkspaceGrace = 30 * 24 * time.Hour

// deletedName replaces the name of a purged workspace.
const deletedName = "Deleted workspace"

// workspacePersonalFields are cleared from a purged workspace; its issued
// invoices keep the seller as it was, in their snapshot.
var workspacePersonalFields = []string{"address_line", "city", "postal_code", "vat_id", "tax_id", "iban", "bic",
	"email", "phone", "contact_name", "electronic_address", "electronic_address_scheme", "logo"}

// deleteWorkspaceRoute is POST /api/kontor/privacy/workspaces/{id}/delete
// with {"confirm": "<the workspace's name>"}: an owner deletes the
// workspace. At once it leaves everybody's lists (its memberships go) and
// stops its reminders and recurring invoices; after WorkspaceGrace the
// retention job removes its drafts and personal data, and the workspace
// itself once no issued invoice remains under legal hold.
func (p *privacy) deleteWorkspaceRoute(e *core.RequestEvent) error {
	if err := access.Require(e, e.Request.PathValue("id"), access.Owner); err != nil {
		return err
	}
	ws, err := e.App.FindRecordById("workspaces", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	var body struct {
		Confirm string `json:"confirm"`
	}
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("The request body is not valid JSON.", err)
	}
	if strings.TrimSpace(body.Confirm) != ws.GetString("name") {
		return fielderr.New("confirm", "Type the workspace's name, "+ws.GetString("name")+", to confirm its deletion.")
	}
	now := p.cfg.Now().UTC()
	if err := e.App.RunInTransaction(func(tx core.App) error {
		return cancelWorkspace(tx, ws.Id, now)
	}); err != nil {
		return e.InternalServerError("", err)
	}
	issued, err := issuedCount(e.App, ws.Id)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{
		"id": ws.Id, "deleted_at": now.Format(time.RFC3339), "purge_after": now.Add(WorkspaceGrace).Format(time.RFC3339),
		"issued_invoices_kept": issued,
	})
}

// cancelWorkspace marks the workspace deleted, removes its memberships
// (so that its issued invoices are readable only by superusers) and stops
// what it would still do by itself: reminders and recurring invoices.
func cancelWorkspace(app core.App, workspaceID string, now time.Time) error {
	ws, err := app.FindRecordById("workspaces", workspaceID)
	if err != nil {
		return err
	}
	if ws.GetString("deleted_at") != "" {
		return nil
	}
	ws.Set("deleted_at", now)
	if ws.Collection().Fields.GetByName("reminders_enabled") != nil {
		ws.Set("reminders_enabled", false)
	}
	if err := app.Save(ws); err != nil {
		return err
	}
	if _, err := app.DB().NewQuery("UPDATE recurring_invoices SET active = FALSE WHERE workspace = {:w}").
		Bind(dbx.Params{"w": workspaceID}).Execute(); err != nil {
		return err
	}
	var members []*core.Record
	if err := app.RecordQuery("memberships").AndWhere(dbx.HashExp{"workspace": workspaceID}).All(&members); err != nil {
		return err
	}
	for _, m := range members {
		if err := app.Delete(m); err != nil {
			return err
		}
	}
	return nil
}

// purgeWorkspace removes what a deleted workspace keeps beyond its issued
// invoices: drafts, proposals with their audit trails, recurring invoices,
// clients, payment accounts and the workspace's own personal data. Issued
// invoices, with their payments and snapshots, stay; a workspace without
// any is deleted. legal_hold_until says until when the others are kept.
func (p *privacy) purgeWorkspace(app core.App, ws *core.Record, now time.Time) error {
	id := ws.Id
	fsys, err := app.NewFilesystem()
	if err != nil {
		return err
	}
	defer fsys.Close()

	// proposals and their evidence: the audit trail of a sent proposal
	// refuses deletion through its hooks, so it goes row by row, with
	// its files
	var proposals []*core.Record
	if err := app.RecordQuery("proposals").AndWhere(dbx.HashExp{"workspace": id}).All(&proposals); err != nil {
		return err
	}
	for _, q := range []string{
		"DELETE FROM proposal_events WHERE workspace = {:w}",
		"DELETE FROM proposal_versions WHERE workspace = {:w}",
		"DELETE FROM proposals WHERE workspace = {:w}",
		// links kept on issued invoices to what goes now; the invoices keep
		// the buyer in their snapshot
		"UPDATE invoices SET client = '' WHERE workspace = {:w} AND status != 'draft'",
		"UPDATE invoices SET recurring = '' WHERE workspace = {:w} AND status != 'draft'",
		"UPDATE vat_checks SET client = '' WHERE workspace = {:w}",
		"DELETE FROM recurring_invoices WHERE workspace = {:w}",
	} {
		if _, err := app.DB().NewQuery(q).Bind(dbx.Params{"w": id}).Execute(); err != nil {
			return err
		}
	}
	for _, q := range proposals {
		fsys.DeletePrefix(q.BaseFilesPath())
	}

	for _, c := range []struct{ collection, where string }{
		{"invoices", "workspace = {:w} AND status = 'draft'"},
		{"clients", "workspace = {:w}"},
		{"payment_accounts", "workspace = {:w}"},
	} {
		var records []*core.Record
		if err := app.RecordQuery(c.collection).AndWhere(dbx.NewExp(c.where, dbx.Params{"w": id})).All(&records); err != nil {
			return err
		}
		for _, r := range records {
			if err := app.Delete(r); err != nil {
				return err
			}
		}
	}

	issued, err := issuedCount(app, id)
	if err != nil {
		return err
	}
	if issued == 0 {
		return deleteTombstone(app, ws)
	}
	for _, f := range workspacePersonalFields {
		if ws.Collection().Fields.GetByName(f) != nil {
			ws.Set(f, nil)
		}
	}
	ws.Set("name", deletedName)
	ws.Set("purged_at", now)
	until, err := p.legalHoldUntil(app, id)
	if err != nil {
		return err
	}
	ws.Set("legal_hold_until", until)
	return app.Save(ws)
}

// legalHoldUntil is when the retention of the workspace's last issued
// invoice ends.
func (p *privacy) legalHoldUntil(app core.App, workspaceID string) (time.Time, error) {
	var last string
	err := app.DB().NewQuery("SELECT COALESCE(MAX(issue_date), '') FROM invoices WHERE workspace = {:w} AND status != 'draft'").
		Bind(dbx.Params{"w": workspaceID}).Row(&last)
	if err != nil || last == "" {
		return time.Time{}, err
	}
	return RetainedUntil(last, p.cfg.InvoiceRetentionYears)
}

// deleteTombstone deletes a deleted workspace that no longer holds an
// issued invoice, with everything that still refers to it. The counters
// of its series go first: they only prove numbers of documents that are
// gone.
func deleteTombstone(app core.App, ws *core.Record) error {
	if _, err := app.DB().NewQuery("DELETE FROM series_counters WHERE series IN (SELECT id FROM series WHERE workspace = {:w})").
		Bind(dbx.Params{"w": ws.Id}).Execute(); err != nil {
		return err
	}
	return app.Delete(ws)
}
