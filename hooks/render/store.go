package render

import (
	"database/sql"
	"errors"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
)

// PDFCollection holds the stored PDF of every issued document, one record
// per invoice or credit note. The PDF lives beside the invoice rather than
// in it: storing it then writes no invoice row and runs no invoice hook,
// and saving an invoice reads no file field.
const PDFCollection = "invoice_pdfs"

// afterIssue queues the PDF of a document that has just been issued; it
// runs after the issuing transaction committed.
func (r *renderer) afterIssue(e *core.RecordEvent) error {
	if isDraft(e.Record.Original()) && !isDraft(e.Record) {
		r.queue.add(e.Record.Id)
	}
	return e.Next()
}

// keepStoredPDF refuses any change to a stored PDF: it is written once.
func keepStoredPDF(e *core.RecordEvent) error {
	return errors.New("render: a stored PDF never changes")
}

// StoredPDFRecord returns the record holding the stored PDF of an invoice,
// or nil when none is stored yet.
func StoredPDFRecord(app core.App, invoiceID string) (*core.Record, error) {
	r, err := app.FindFirstRecordByFilter(PDFCollection, "invoice = {:id}", dbx.Params{"id": invoiceID})
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		return nil, err
	}
	return r, nil
}

// readStoredPDF returns the stored PDF of an invoice; nil when none is
// stored (or it cannot be read, which is logged).
func readStoredPDF(app core.App, invoiceID string) []byte {
	r, err := StoredPDFRecord(app, invoiceID)
	if err == nil && r != nil {
		var data []byte
		if data, err = readRecordFile(app, r, r.GetString("file"), maxStoredPDF); err == nil {
			return data
		}
	}
	if err != nil {
		app.Logger().Warn("PDF: the stored file cannot be read; rendering it again", "invoice", invoiceID, "error", err)
	}
	return nil
}

// renderAndStore renders an issued document natively and stores the PDF.
func renderAndStore(app core.App, invoice *core.Record) error {
	doc, err := DocumentFromRecord(app, invoice)
	if err != nil {
		return err
	}
	data, err := Invoice(doc)
	if err != nil {
		return err
	}
	return storePDF(app, invoice, data, fileName(doc.Draft, doc.Number, invoice.Id))
}

// storePDF stores the PDF of an issued document, unless one is stored:
// the first stored is the one kept (the unique index on invoice decides
// between two at once).
func storePDF(app core.App, invoice *core.Record, data []byte, name string) error {
	file, err := filesystem.NewFileFromBytes(data, name)
	if err != nil {
		return err
	}
	collection, err := app.FindCachedCollectionByNameOrId(PDFCollection)
	if err != nil {
		return err
	}
	if stored, err := StoredPDFRecord(app, invoice.Id); err != nil || stored != nil {
		return err
	}
	r := core.NewRecord(collection)
	r.Set("invoice", invoice.Id)
	r.Set("workspace", invoice.GetString("workspace"))
	r.Set("file", file)
	// The file is ours (a PDF, far below the field's size limit) and the
	// invoice is the one just read, so there is nothing to validate.
	if err := app.SaveNoValidate(r); err != nil {
		if stored, _ := StoredPDFRecord(app, invoice.Id); stored != nil {
			return nil // stored at the same time by another request
		}
		return err
	}
	return nil
}

// StoredPDF returns the PDF of an issued document and its file name: the
// stored file, or, when none is stored yet (or it cannot be read), one
// rendered from the frozen record, which is stored for next time. A stored
// file never changes, so an email that attaches it again on a retry sends
// the same bytes.
func StoredPDF(app core.App, invoice *core.Record) ([]byte, string, error) {
	if isDraft(invoice) {
		return nil, "", errors.New("render: a draft has no stored PDF")
	}
	name := fileName(false, invoice.GetString("number"), invoice.Id)
	if data := readStoredPDF(app, invoice.Id); data != nil {
		return data, name, nil
	}
	doc, err := DocumentFromRecord(app, invoice)
	if err != nil {
		return nil, "", err
	}
	data, err := Invoice(doc)
	if err != nil {
		return nil, "", err
	}
	if err := storePDF(app, invoice, data, name); err != nil {
		app.Logger().Warn("PDF: rendered but not stored", "invoice", invoice.Id, "error", err)
	}
	return data, name, nil
}
