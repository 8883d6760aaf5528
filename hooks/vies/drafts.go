package vies

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// refreshDrafts saves a client's draft invoices again when the status of
// its VAT number changed, so that their warnings (worked out on every save
// of a draft, e.g. a reverse charge for an unconfirmed buyer) follow it. A
// draft that cannot be saved keeps its warnings until its next save.
func refreshDrafts(e *core.RecordEvent) error {
	if e.Record.GetString("vat_status") == e.Record.Original().GetString("vat_status") {
		return e.Next()
	}
	drafts, err := e.App.FindAllRecords("invoices", dbx.HashExp{"client": e.Record.Id, "status": "draft"})
	if err != nil {
		e.App.Logger().Warn("VIES: reading the client's drafts", "client", e.Record.Id, "error", err)
		return e.Next()
	}
	for _, d := range drafts {
		if err := e.App.Save(d); err != nil {
			e.App.Logger().Warn("VIES: refreshing the warnings of a draft", "invoice", d.Id, "error", err)
		}
	}
	return e.Next()
}
