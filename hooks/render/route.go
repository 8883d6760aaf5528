package render

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
)

// maxStoredPDF is the largest stored PDF served (the file field's limit).
const maxStoredPDF = 20 << 20

// pdfRoute is GET /api/kontor/invoices/{id}/pdf: the PDF of an invoice or
// credit note, for any member of its workspace (viewers included).
//
// An issued document's stored PDF is served as it is; one not stored yet
// is rendered from the frozen record and stored. A draft is rendered on
// the fly, marked as a draft, and never stored. ?download=1 offers the file
// as an attachment instead of inline; ?renderer=gotenberg renders through
// Gotenberg instead (when configured; never stored).
func (r *renderer) pdfRoute(e *core.RequestEvent) error {
	invoice, err := access.RequireRecord(e, "invoices", access.Viewer)
	if err != nil {
		return err
	}

	query := e.Request.URL.Query()
	useGotenberg := false
	switch query.Get("renderer") {
	case "", "native":
	case "gotenberg":
		if r.gotenberg == nil {
			return e.BadRequestError("The Gotenberg renderer is not configured on this server (KONTOR_GOTENBERG_URL); leave out renderer to get the built-in PDF.", nil)
		}
		useGotenberg = true
	default:
		return e.BadRequestError(`Unknown renderer; use "native" or "gotenberg".`, nil)
	}

	draft := isDraft(invoice)
	name := fileName(draft, invoice.GetString("number"), invoice.Id)

	var data []byte
	switch {
	case useGotenberg:
		doc, err := DocumentFromRecord(e.App, invoice)
		if err != nil {
			return e.InternalServerError("", err)
		}
		if data, err = r.gotenberg.Invoice(e.Request.Context(), doc); err != nil {
			e.App.Logger().Warn("PDF: Gotenberg failed", "invoice", invoice.Id, "error", err)
			return e.Error(http.StatusBadGateway, "The Gotenberg renderer did not answer with a PDF; try again, or leave out renderer to get the built-in PDF.", nil)
		}
	case draft:
		doc, err := DocumentFromRecord(e.App, invoice)
		if err != nil {
			return e.InternalServerError("", err)
		}
		if data, err = Invoice(doc); err != nil {
			return e.InternalServerError("", err)
		}
	default:
		if data, _, err = StoredPDF(e.App, invoice); err != nil {
			return e.InternalServerError("", err)
		}
	}

	disposition := "inline"
	if query.Get("download") == "1" {
		disposition = "attachment"
	}
	h := e.Response.Header()
	h.Set("Content-Disposition", disposition+`; filename="`+name+`"`)
	h.Set("Cache-Control", "private, no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	return e.Blob(http.StatusOK, "application/pdf", data)
}
