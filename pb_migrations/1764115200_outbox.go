package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// The outbox: every outward effect (an email, a call to a provider) as a
// record written in the same transaction as the change that causes it, and
// carried out by hooks/outbox's worker after commit. Owners and admins see
// their workspace's messages; messages of no workspace (PocketBase's own
// mails) only superusers. Nobody writes it through the record API: it
// changes through the worker and POST /api/kontor/outbox/{id}/retry.
func init() {
	m.Register(func(app core.App) error {
		workspaces, err := app.FindCollectionByNameOrId("workspaces")
		if err != nil {
			return err
		}
		outbox := core.NewBaseCollection("outbox")
		outbox.Fields.Add(
			&core.RelationField{Name: "workspace", CollectionId: workspaces.Id, MaxSelect: 1, CascadeDelete: true},
			&core.TextField{Name: "kind", Required: true, Max: 50},
			&core.TextField{Name: "idempotency_key", Required: true, Max: 300},
			&core.JSONField{Name: "payload", MaxSize: 1 << 20},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1,
				Values: []string{"pending", "sent", "failed", "not_sent"}},
			&core.NumberField{Name: "attempts", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.DateField{Name: "next_attempt"},
			&core.TextField{Name: "last_error", Max: 2000},
			&core.DateField{Name: "sent_at"},
			&core.TextField{Name: "summary", Max: 300},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		outbox.AddIndex("idx_outbox_key", true, "idempotency_key", "")
		outbox.AddIndex("idx_outbox_due", false, "status, next_attempt", "")
		outbox.AddIndex("idx_outbox_workspace", false, "workspace, created", "")
		outbox.ListRule = types.Pointer(ruleAdmin)
		outbox.ViewRule = types.Pointer(ruleAdmin)
		return app.Save(outbox)
	}, func(app core.App) error {
		outbox, err := app.FindCollectionByNameOrId("outbox")
		if err != nil {
			return err
		}
		return app.Delete(outbox)
	})
}
