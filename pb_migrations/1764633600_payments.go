package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Buyers paying invoices through payment-provider plugins (hooks/payments):
//   - payment_accounts: a workspace's account at a provider, managed by its
//     owners and admins; the settings (API keys) are sealed, in a hidden
//     field;
//   - payment_links: what a buyer started paying; read by members, written
//     by the server;
//   - payment_events: every verified provider event, once by its id; read
//     by owners and admins, written by the server;
//   - invoices.public_token_hash and invoices.public_token: the invoice's
//     private link (/i/{token}), its SHA-256 for lookup and the token
//     sealed for printing; both hidden from every API response.
func init() {
	m.Register(func(app core.App) error {
		workspaces, err := app.FindCollectionByNameOrId("workspaces")
		if err != nil {
			return err
		}
		invoices, err := app.FindCollectionByNameOrId("invoices")
		if err != nil {
			return err
		}
		invoices.Fields.Add(
			&core.TextField{Name: "public_token_hash", Max: 64, Hidden: true},
			&core.TextField{Name: "public_token", Max: 200, Hidden: true},
		)
		invoices.AddIndex("idx_invoices_public_token_hash", true, "public_token_hash", "public_token_hash != ''")
		if err := app.Save(invoices); err != nil {
			return err
		}

		accounts := core.NewBaseCollection("payment_accounts")
		accounts.Fields.Add(
			workspaceRelation(workspaces),
			&core.TextField{Name: "provider", Required: true, Max: 64, Pattern: `^[a-z0-9][a-z0-9-]*$`, Presentable: true},
			&core.BoolField{Name: "enabled"},
			&core.TextField{Name: "sealed_settings", Max: 20000, Hidden: true},
			&core.JSONField{Name: "settings_hint", MaxSize: 4096},
			&core.TextField{Name: "webhook_url", Max: 500},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		accounts.AddIndex("idx_payment_accounts_provider", true, "workspace, provider", "")
		accounts.ListRule = types.Pointer(ruleAdmin)
		accounts.ViewRule = types.Pointer(ruleAdmin)
		accounts.CreateRule = types.Pointer(ruleAdmin)
		accounts.UpdateRule = types.Pointer(ruleAdmin)
		accounts.DeleteRule = types.Pointer(ruleAdmin)
		if err := app.Save(accounts); err != nil {
			return err
		}

		links := core.NewBaseCollection("payment_links")
		links.Fields.Add(
			workspaceRelation(workspaces),
			&core.RelationField{Name: "invoice", CollectionId: invoices.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.TextField{Name: "provider", Required: true, Max: 64},
			&core.TextField{Name: "provider_payment_id", Required: true, Max: 255},
			&core.URLField{Name: "url"},
			&core.TextField{Name: "amount", Max: 30},
			&core.TextField{Name: "currency", Max: 3},
			&core.SelectField{Name: "status", MaxSelect: 1, Required: true, Values: []string{"open", "paid", "failed", "expired"}},
			&core.TextField{Name: "expires_at", Max: 40},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		links.AddIndex("idx_payment_links_provider_id", true, "workspace, provider, provider_payment_id", "")
		links.AddIndex("idx_payment_links_invoice", false, "invoice", "")
		links.ListRule = types.Pointer(ruleMember)
		links.ViewRule = types.Pointer(ruleMember)
		if err := app.Save(links); err != nil {
			return err
		}

		events := core.NewBaseCollection("payment_events")
		events.Fields.Add(
			workspaceRelation(workspaces),
			&core.TextField{Name: "provider", Required: true, Max: 64},
			&core.TextField{Name: "event_id", Required: true, Max: 255},
			&core.TextField{Name: "type", Max: 32},
			&core.RelationField{Name: "payment_link", CollectionId: links.Id, MaxSelect: 1},
			&core.RelationField{Name: "invoice", CollectionId: invoices.Id, MaxSelect: 1},
			&core.TextField{Name: "amount", Max: 30},
			&core.TextField{Name: "currency", Max: 3},
			&core.SelectField{Name: "outcome", MaxSelect: 1, Required: true, Values: []string{"recorded", "ignored", "unmatched", "overpaid"}},
			&core.TextField{Name: "occurred_at", Max: 40},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		events.AddIndex("idx_payment_events_event", true, "workspace, provider, event_id", "")
		events.ListRule = types.Pointer(ruleAdmin)
		events.ViewRule = types.Pointer(ruleAdmin)
		return app.Save(events)
	}, func(app core.App) error {
		if err := deleteCollections(app, "payment_events", "payment_links", "payment_accounts"); err != nil {
			return err
		}
		invoices, err := app.FindCollectionByNameOrId("invoices")
		if err != nil {
			return err
		}
		invoices.RemoveIndex("idx_invoices_public_token_hash")
		invoices.Fields.RemoveByName("public_token_hash")
		invoices.Fields.RemoveByName("public_token")
		return app.Save(invoices)
	})
}
