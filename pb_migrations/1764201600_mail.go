package pb_migrations

import (
	"errors"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Sending invoices by email: an issued invoice emailed to its client
// (POST /api/kontor/invoices/{id}/send) becomes "sent" until a payment
// makes it partially paid or paid, and sent_at records when it was last
// sent. Both are written by the server only.
func init() {
	m.Register(func(app core.App) error {
		invoices, err := app.FindCollectionByNameOrId("invoices")
		if err != nil {
			return err
		}
		status, ok := invoices.Fields.GetByName("status").(*core.SelectField)
		if !ok {
			return errNoStatusField
		}
		status.Values = []string{"draft", "issued", "sent", "partially_paid", "paid", "cancelled"}
		invoices.Fields.Add(&core.DateField{Name: "sent_at"})
		return app.Save(invoices)
	}, func(app core.App) error {
		invoices, err := app.FindCollectionByNameOrId("invoices")
		if err != nil {
			return err
		}
		if _, err := app.DB().NewQuery("UPDATE invoices SET status = 'issued' WHERE status = 'sent'").Execute(); err != nil {
			return err
		}
		status, ok := invoices.Fields.GetByName("status").(*core.SelectField)
		if !ok {
			return errNoStatusField
		}
		status.Values = []string{"draft", "issued", "partially_paid", "paid", "cancelled"}
		invoices.Fields.RemoveByName("sent_at")
		return app.Save(invoices)
	})
}

// errNoStatusField is returned when the invoices collection lacks its
// status select, which the first migration creates.
var errNoStatusField = errors.New("the invoices collection has no status select field")
