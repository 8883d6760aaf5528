package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The PDF of an issued invoice or credit note, rendered once from its frozen
// snapshot after it is issued. Protected: it is downloaded with a file
// token or through GET /api/kontor/invoices/{id}/pdf, by members of the
// invoice's workspace.
func init() {
	m.Register(func(app core.App) error {
		invoices, err := app.FindCollectionByNameOrId("invoices")
		if err != nil {
			return err
		}
		invoices.Fields.Add(&core.FileField{
			Name:      "pdf",
			MaxSelect: 1,
			MaxSize:   20 << 20,
			MimeTypes: []string{"application/pdf"},
			Protected: true,
		})
		return app.Save(invoices)
	}, func(app core.App) error {
		invoices, err := app.FindCollectionByNameOrId("invoices")
		if err != nil {
			return err
		}
		invoices.Fields.RemoveByName("pdf")
		return app.Save(invoices)
	})
}
