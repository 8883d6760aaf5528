// Package render makes the PDFs of invoices and credit notes: natively in
// Go by default (PDF/A-3b, fonts embedded, EPC QR code, a few milliseconds
// a page), or from the HTML template through a Gotenberg server when one is
// configured and asked for.
//
// An issued document's PDF is rendered from its frozen snapshot in the
// background after the issuing transaction commits, and stored in the
// invoice's protected pdf field; GET /api/kontor/invoices/{id}/pdf serves it (rendering it then if
// it is missing) and renders drafts on the fly as marked previews.
package render

import (
	"github.com/pocketbase/pocketbase/core"
)

// Config holds the renderer's settings.
type Config struct {
	// GotenbergURL is the base URL of a Gotenberg server, e.g.
	// "http://gotenberg:3000" (KONTOR_GOTENBERG_URL). Empty turns the
	// Gotenberg renderer off; the native renderer needs nothing.
	GotenbergURL string
	// PayURL returns the public page of an issued document, where its
	// buyer pays online (hooks/payments); nil prints none.
	PayURL func(app core.App, invoice *core.Record) string
}

// payURLKey keeps Config.PayURL in the app's store, where
// DocumentFromRecord finds it.
const payURLKey = "kontor.render.payURL"

// registeredKey holds the renderer an app is bound to, so that a second
// Register of the same app binds nothing twice.
const registeredKey = "kontor.render.registered"

// Register binds the storing of issued documents' PDFs and the PDF route.
// Registering the same app again does nothing.
func Register(app core.App, cfg Config) {
	if app.Store().Has(registeredKey) {
		return
	}
	if cfg.PayURL != nil {
		app.Store().Set(payURLKey, cfg.PayURL)
	}

	r := &renderer{queue: newPDFQueue(app)}
	app.Store().Set(registeredKey, r)
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		r.queue.stop()
		return e.Next()
	})
	if cfg.GotenbergURL != "" {
		r.gotenberg = NewGotenberg(cfg.GotenbergURL)
	}

	app.OnRecordAfterUpdateSuccess("invoices").BindFunc(r.afterIssue)
	app.OnRecordUpdate(PDFCollection).BindFunc(keepStoredPDF)

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/kontor/invoices/{id}/pdf", r.pdfRoute)
		// documents issued before the last stop may still lack their PDF
		r.queue.catchUp()
		if r.gotenberg == nil {
			se.App.Logger().Info("PDF: native renderer; Gotenberg is off (set KONTOR_GOTENBERG_URL to offer ?renderer=gotenberg)")
		} else {
			se.App.Logger().Info("PDF: native renderer; Gotenberg on request (?renderer=gotenberg)", "url", cfg.GotenbergURL)
		}
		return se.Next()
	})
}

// renderer holds what the hooks and the route share.
type renderer struct {
	gotenberg *Gotenberg // nil when not configured
	queue     *pdfQueue  // issued documents waiting for their PDF
}
