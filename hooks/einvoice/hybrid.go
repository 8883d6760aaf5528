package einvoice

import (
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/render"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// hybrid turns the XML of a hybrid format (sdk.CapabilityPDFAttachment) into
// the invoice's PDF/A-3 with the XML embedded: the Factur-X invoice a
// person reads and a machine books.
func hybrid(app core.App, record *core.Record, format string, doc *sdk.Document) (*sdk.Document, error) {
	pdfDoc, err := render.DocumentFromRecord(app, record)
	if err != nil {
		return nil, apis.NewInternalServerError("", err)
	}
	if err := render.FacturX(&pdfDoc, doc.Content, doc.FileName); err != nil {
		app.Logger().Error("e-invoice not rendered", "format", format, "error", err.Error())
		return nil, apis.NewApiError(http.StatusBadGateway, "The e-invoice could not be produced: the "+format+" plugin's XML cannot be embedded in the PDF ("+err.Error()+").", nil)
	}
	out, err := render.Invoice(pdfDoc)
	if err != nil {
		return nil, apis.NewInternalServerError("", err)
	}
	return &sdk.Document{Content: out, MediaType: "application/pdf", FileName: sdk.FileName(record.GetString("number"), ".pdf"),
		Issues: doc.Issues}, nil
}
