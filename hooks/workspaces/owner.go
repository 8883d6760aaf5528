package workspaces

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
)

// createWithOwner creates the workspace and makes its creator the owner, in
// one transaction, and fills the defaults a new workspace gets.
func createWithOwner(e *core.RecordRequestEvent, defaultPaymentTermsDays int) error {
	info, err := e.RequestInfo()
	if err != nil {
		return err
	}
	if _, ok := info.Body["payment_terms_days"]; !ok {
		e.Record.Set("payment_terms_days", defaultPaymentTermsDays)
	}
	if e.Record.GetString("language") == "" && e.Auth != nil {
		e.Record.Set("language", e.Auth.GetString("language"))
	}

	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if err := e.Next(); err != nil {
			return err
		}
		if e.Auth == nil || e.Auth.Collection().Name != "users" {
			return nil // a superuser made it from the dashboard and adds members there
		}
		memberships, err := tx.FindCachedCollectionByNameOrId("memberships")
		if err != nil {
			return err
		}
		owner := core.NewRecord(memberships)
		owner.Set("workspace", e.Record.Id)
		owner.Set("user", e.Auth.Id)
		owner.Set("role", string(access.Owner))
		return tx.Save(owner)
	})
}
