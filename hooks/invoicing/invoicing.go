// Package invoicing binds the rules of invoices and credit notes: totals and
// VAT by the EN 16931 engine on every draft save, gapless numbering on issue,
// immutability once issued, credit notes and payments.
package invoicing

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// Register binds the invoicing hooks and routes.
func Register(app core.App) {
	now := time.Now
	app.Store().Set(batcherKey, &issueBatcher{})

	app.OnRecordCreate("workspaces").BindFunc(createDefaultSeries)
	app.OnRecordCreate("series").BindFunc(saveSeries)
	app.OnRecordUpdate("series").BindFunc(saveSeries)
	app.OnRecordDelete("series").BindFunc(deleteSeries)

	app.OnRecordCreateRequest("invoices").BindFunc(guardInvoiceRequest)
	app.OnRecordUpdateRequest("invoices").BindFunc(guardInvoiceRequest)
	app.OnRecordCreate("invoices").BindFunc(saveInvoice)
	app.OnRecordUpdate("invoices").BindFunc(saveInvoice)
	app.OnRecordDelete("invoices").BindFunc(guardInvoiceDelete)

	app.OnRecordCreate("payments").BindFunc(recordPayment(now))
	app.OnRecordUpdate("payments").BindFunc(refusePaymentChange)
	app.OnRecordDelete("payments").BindFunc(deletePayment)

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/kontor/invoices")
		g.POST("/preview", previewRoute)
		g.POST("/{id}/issue", issueRoute(now))
		g.POST("/{id}/credit-note", creditNoteRoute)
		return se.Next()
	})
}
