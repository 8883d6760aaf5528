package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// taxRegimes are the Italian regimi fiscali of FatturaPA 1.2.2 (RF03 was
// withdrawn): RF01 is the ordinary regime, RF19 the flat-rate one.
var taxRegimes = []string{"RF01", "RF02", "RF04", "RF05", "RF06", "RF07", "RF08", "RF09", "RF10",
	"RF11", "RF12", "RF13", "RF14", "RF15", "RF16", "RF17", "RF18", "RF19"}

// What national e-invoice formats ask beyond EN 16931, and a client's
// preferred e-invoice format:
//   - workspaces.tax_regime: the seller's Italian regime fiscale (FatturaPA);
//   - clients.tax_id: the buyer's national tax code, e.g. the Italian
//     codice fiscale of a private person;
//   - clients.preferred_format: the format id (GET /api/kontor/formats)
//     the web UI offers first for the client's invoices.
func init() {
	m.Register(func(app core.App) error {
		workspaces, err := app.FindCollectionByNameOrId("workspaces")
		if err != nil {
			return err
		}
		workspaces.Fields.Add(&core.SelectField{Name: "tax_regime", Values: taxRegimes, MaxSelect: 1})
		if err := app.Save(workspaces); err != nil {
			return err
		}
		clients, err := app.FindCollectionByNameOrId("clients")
		if err != nil {
			return err
		}
		clients.Fields.Add(
			&core.TextField{Name: "tax_id", Max: 30},
			&core.TextField{Name: "preferred_format", Max: 50},
		)
		return app.Save(clients)
	}, func(app core.App) error {
		workspaces, err := app.FindCollectionByNameOrId("workspaces")
		if err != nil {
			return err
		}
		workspaces.Fields.RemoveByName("tax_regime")
		if err := app.Save(workspaces); err != nil {
			return err
		}
		clients, err := app.FindCollectionByNameOrId("clients")
		if err != nil {
			return err
		}
		clients.Fields.RemoveByName("tax_id")
		clients.Fields.RemoveByName("preferred_format")
		return app.Save(clients)
	})
}
