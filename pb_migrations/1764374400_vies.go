package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// VAT number checks against VIES (hooks/vies):
//   - clients.vat_status: unchecked, valid, invalid or pending (VIES was
//     unavailable and the check is retried), and clients.vat_checked_at,
//     when VIES last answered; both written only by the server;
//   - vat_checks: what VIES answered, kept as evidence: read by the members
//     of the workspace, written only by the server, never changed;
//   - invoices.warnings: what to look at before issuing a draft, e.g. a
//     reverse-charge buyer whose VAT number VIES has not confirmed.
func init() {
	m.Register(func(app core.App) error {
		workspaces, err := app.FindCollectionByNameOrId("workspaces")
		if err != nil {
			return err
		}
		clients, err := app.FindCollectionByNameOrId("clients")
		if err != nil {
			return err
		}
		clients.Fields.Add(
			&core.SelectField{Name: "vat_status", MaxSelect: 1, Values: []string{"unchecked", "valid", "invalid", "pending"}},
			&core.DateField{Name: "vat_checked_at"},
		)
		if err := app.Save(clients); err != nil {
			return err
		}
		if _, err := app.DB().NewQuery("UPDATE clients SET vat_status = 'unchecked' WHERE vat_status = ''").Execute(); err != nil {
			return err
		}

		checks := core.NewBaseCollection("vat_checks")
		checks.Fields.Add(
			&core.RelationField{Name: "workspace", CollectionId: workspaces.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			// not required: the evidence outlives a deleted client
			&core.RelationField{Name: "client", CollectionId: clients.Id, MaxSelect: 1},
			&core.TextField{Name: "vat_id", Required: true, Max: 20, Presentable: true},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"valid", "invalid", "unavailable", "error"}},
			&core.TextField{Name: "name", Max: 500},
			&core.TextField{Name: "address", Max: 1000},
			&core.DateField{Name: "request_date"},
			&core.TextField{Name: "consultation_number", Max: 100},
			&core.TextField{Name: "requester", Max: 20},
			&core.TextField{Name: "error_code", Max: 200},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		checks.AddIndex("idx_vat_checks_client", false, "client, created", "")
		checks.AddIndex("idx_vat_checks_workspace", false, "workspace, created", "")
		checks.ListRule = types.Pointer(ruleMember)
		checks.ViewRule = types.Pointer(ruleMember)
		if err := app.Save(checks); err != nil {
			return err
		}

		invoices, err := app.FindCollectionByNameOrId("invoices")
		if err != nil {
			return err
		}
		invoices.Fields.Add(&core.JSONField{Name: "warnings", MaxSize: 16384})
		return app.Save(invoices)
	}, func(app core.App) error {
		invoices, err := app.FindCollectionByNameOrId("invoices")
		if err != nil {
			return err
		}
		invoices.Fields.RemoveByName("warnings")
		if err := app.Save(invoices); err != nil {
			return err
		}
		checks, err := app.FindCollectionByNameOrId("vat_checks")
		if err != nil {
			return err
		}
		if err := app.Delete(checks); err != nil {
			return err
		}
		clients, err := app.FindCollectionByNameOrId("clients")
		if err != nil {
			return err
		}
		clients.Fields.RemoveByName("vat_status")
		clients.Fields.RemoveByName("vat_checked_at")
		return app.Save(clients)
	})
}
