package einvoice

import (
	"context"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// Document produces the e-invoice of an issued invoice or credit note in
// the format of the name, with the plugins of r: the file that
// GET /api/kontor/invoices/{id}/einvoice/{format} serves and that an
// invoice email attaches. A hybrid format (sdk.CapabilityPDFAttachment)
// gives the invoice's PDF with its XML embedded.
//
// Its errors are API errors: 400 for a draft or a credit note the format
// does not take, 404 for an unknown format, 422 naming what the invoice
// lacks for the format, 502 or 504 when the plugin failed or timed out.
func Document(ctx context.Context, app core.App, r Renderer, record *core.Record, name string) (*sdk.Document, error) {
	if record.GetString("status") == statusDraft {
		return nil, apis.NewBadRequestError("This document is a draft: issue it first, then download its e-invoice.", nil)
	}
	format, available := find(r.Formats(), name)
	if format == nil {
		return nil, apis.NewNotFoundError(notFound(name, available), nil)
	}
	if record.GetString("document_type") == documentCreditNote && !format.Has(sdk.CapabilityCreditNote) {
		return nil, apis.NewBadRequestError(format.Title+" does not render credit notes.", nil)
	}

	issued, err := FromRecord(app, record)
	if err != nil {
		return nil, apis.NewInternalServerError("", err)
	}
	inv, err := Canonical(issued)
	if err != nil {
		return nil, apis.NewInternalServerError("", err)
	}
	doc, err := r.Render(ctx, name, inv)
	if err != nil {
		return nil, renderError(app, err)
	}
	if issues := doc.Errors(); len(issues) > 0 {
		return nil, issuesError(format.Title, issues)
	}
	if format.Has(sdk.CapabilityPDFAttachment) {
		return hybrid(app, record, name, doc)
	}
	return doc, nil
}
