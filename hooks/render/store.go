package render

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
)

// afterIssue renders and stores the PDF of a document that has just been
// issued. It runs after the issuing transaction committed, from the frozen
// record, so the write lock is not held while rendering. A failure is
// logged and leaves the pdf field empty: the PDF route renders it then.
func (r *renderer) afterIssue(e *core.RecordEvent) error {
	if isDraft(e.Record.Original()) && !isDraft(e.Record) {
		stored, err := renderAndStore(e.App, e.Record)
		if err != nil {
			e.App.Logger().Error("PDF: could not render and store the PDF of an issued document; it will be rendered when requested",
				"invoice", e.Record.Id, "number", e.Record.GetString("number"), "error", err)
		} else {
			// whoever issued it (e.g. the issue route's answer) sees the
			// record as it now is, with its PDF
			for _, field := range []string{"pdf", "updated"} {
				e.Record.SetRaw(field, stored.GetRaw(field))
			}
		}
	}
	return e.Next()
}

// renderAndStore renders an issued document natively, stores the PDF in
// its pdf field, and returns the stored record.
func renderAndStore(app core.App, invoice *core.Record) (*core.Record, error) {
	doc, err := DocumentFromRecord(app, invoice)
	if err != nil {
		return nil, err
	}
	data, err := Invoice(doc)
	if err != nil {
		return nil, err
	}
	return storePDF(app, invoice.Id, data, fileName(doc.Draft, doc.Number, invoice.Id))
}

// storePDF saves the PDF in the invoice's pdf field and returns the saved
// record. The field is written once: an invoice that has a PDF keeps it.
func storePDF(app core.App, invoiceID string, data []byte, name string) (*core.Record, error) {
	fresh, err := app.FindRecordById("invoices", invoiceID)
	if err != nil {
		return nil, err
	}
	if fresh.GetString("pdf") != "" {
		return fresh, nil
	}
	file, err := filesystem.NewFileFromBytes(data, name)
	if err != nil {
		return nil, err
	}
	fresh.Set("pdf", file)
	// The file is ours (a PDF, far below the field's size limit) and the rest
	// of the record is unchanged, so there is nothing to validate; the
	// record hooks still run and still guard an issued document.
	if err := app.SaveNoValidate(fresh); err != nil {
		return nil, err
	}
	return fresh, nil
}
