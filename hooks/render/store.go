package render

import (
	"errors"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
)

// afterIssue queues the PDF of a document that has just been issued; it
// runs after the issuing transaction committed.
func (r *renderer) afterIssue(e *core.RecordEvent) error {
	if isDraft(e.Record.Original()) && !isDraft(e.Record) && !r.queue.add(e.Record.Id) {
		e.App.Logger().Warn("PDF: the queue is full; the PDF will be rendered when requested",
			"invoice", e.Record.Id, "number", e.Record.GetString("number"))
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
// Reading and saving happen in one transaction, so a payment recorded at the
// same time is not overwritten by a stale copy of the record.
func storePDF(app core.App, invoiceID string, data []byte, name string) (*core.Record, error) {
	file, err := filesystem.NewFileFromBytes(data, name)
	if err != nil {
		return nil, err
	}
	var stored *core.Record
	err = app.RunInTransaction(func(tx core.App) error {
		fresh, err := tx.FindRecordById("invoices", invoiceID)
		if err != nil {
			return err
		}
		stored = fresh
		if fresh.GetString("pdf") != "" {
			return nil
		}
		fresh.Set("pdf", file)
		// The file is ours (a PDF, far below the field's size limit) and the
		// rest of the record is unchanged, so there is nothing to validate;
		// the record hooks still run and still guard an issued document.
		return tx.SaveNoValidate(fresh)
	})
	return stored, err
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
	if stored := invoice.GetString("pdf"); stored != "" {
		data, err := readRecordFile(app, invoice, stored, maxStoredPDF)
		if err == nil {
			return data, name, nil
		}
		app.Logger().Warn("PDF: the stored file cannot be read; rendering it again", "invoice", invoice.Id, "error", err)
	}
	doc, err := DocumentFromRecord(app, invoice)
	if err != nil {
		return nil, "", err
	}
	data, err := Invoice(doc)
	if err != nil {
		return nil, "", err
	}
	if _, err := storePDF(app, invoice.Id, data, name); err != nil {
		app.Logger().Warn("PDF: rendered but not stored", "invoice", invoice.Id, "error", err)
	}
	return data, name, nil
}
