package crm

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
)

// guardDealDelete refuses to delete a deal that an issued invoice or a
// signed proposal names: those documents are frozen, and the deal is part
// of their chain.
func guardDealDelete(e *core.RecordRequestEvent) error {
	var number string
	_ = e.App.DB().NewQuery(`SELECT number FROM invoices WHERE deal = {:d} AND status != 'draft'
		UNION ALL SELECT number FROM proposals WHERE deal = {:d} AND status = 'signed' LIMIT 1`).
		Bind(dbx.Params{"d": e.Record.Id}).Row(&number)
	if number != "" {
		return apis.NewBadRequestError("Deal "+e.Record.GetString("title")+" is part of the chain of "+number+", which can no longer change; it is kept.", nil)
	}
	return e.Next()
}

// unlinkWhenWorkspaceGone lets a deal go with its workspace: PocketBase
// deletes the workspace's row before its records, so the proposals and
// invoices of the deal, deleted next, would otherwise be saved without it
// first to drop the link, and refuse.
func unlinkWhenWorkspaceGone(e *core.RecordEvent) error {
	if access.WorkspaceGone(e.App, e.Record) {
		for _, table := range []string{"proposals", "invoices"} {
			if _, err := e.App.DB().NewQuery("UPDATE " + table + " SET deal = '' WHERE deal = {:d}").
				Bind(dbx.Params{"d": e.Record.Id}).Execute(); err != nil {
				return err
			}
		}
	}
	return e.Next()
}
