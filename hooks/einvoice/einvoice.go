// Package einvoice turns issued invoices and credit notes into e-invoices:
// it maps the record's frozen snapshot to the canonical invoice of
// plugins/sdk and has a format plugin render it, through the plugin host.
//
// Routes:
//
//	GET /api/kontor/formats                          the formats loaded
//	GET /api/kontor/invoices/{id}/einvoice/{format}  the document of an issued invoice
package einvoice

import (
	"context"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/plugins/host"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// Renderer is what e-invoicing needs of the plugin host.
type Renderer interface {
	// Formats lists the loaded format plugins.
	Formats() []host.Info
	// Render renders the invoice with the format of the name.
	Render(ctx context.Context, format string, inv *sdk.Invoice) (*sdk.Document, error)
}

// Allowance says whether a workspace may download e-invoices of a format
// (its plan, hooks/billing): nil, or an error to answer with.
type Allowance func(app core.App, workspaceID, format string) error

// Register binds the e-invoice routes and the check of a client's
// preferred format; formats come from r (a *host.Host), and allow (nil for
// every format) says which a workspace may download.
func Register(app core.App, r Renderer, allow Allowance) {
	app.OnRecordCreate("clients").BindFunc(checkPreferredFormat(r))
	app.OnRecordUpdate("clients").BindFunc(checkPreferredFormat(r))
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/kontor/formats", formatsRoute(r)).Bind(apis.RequireAuth("users"))
		se.Router.GET("/api/kontor/invoices/{id}/einvoice/{format}", documentRoute(r, allow))
		return se.Next()
	})
}
