package pb_migrations

import (
	"io"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/filesystem"
)

// The PDF of an issued invoice or credit note moves from the invoice's own
// pdf field into invoice_pdfs, one record per document: storing it then
// writes no invoice row, and saving an invoice reads no file field. Only
// the server reads and writes it (no API rules); members download the PDF
// through GET /api/kontor/invoices/{id}/pdf. Stored PDFs are copied over.
func init() {
	m.Register(func(app core.App) error {
		invoices, err := app.FindCollectionByNameOrId("invoices")
		if err != nil {
			return err
		}
		workspaces, err := app.FindCollectionByNameOrId("workspaces")
		if err != nil {
			return err
		}
		pdfs := core.NewBaseCollection("invoice_pdfs")
		pdfs.Fields.Add(
			&core.RelationField{Name: "invoice", CollectionId: invoices.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.RelationField{Name: "workspace", CollectionId: workspaces.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.FileField{Name: "file", MaxSelect: 1, MaxSize: 20 << 20, MimeTypes: []string{"application/pdf"}, Protected: true, Required: true},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		pdfs.AddIndex("idx_invoice_pdfs_invoice", true, "invoice", "")
		if err := app.Save(pdfs); err != nil {
			return err
		}
		if err := copyInvoicePDFs(app, invoices, pdfs); err != nil {
			return err
		}
		invoices.Fields.RemoveByName("pdf")
		return app.Save(invoices)
	}, func(app core.App) error {
		invoices, err := app.FindCollectionByNameOrId("invoices")
		if err != nil {
			return err
		}
		invoices.Fields.Add(&core.FileField{Name: "pdf", MaxSelect: 1, MaxSize: 20 << 20, MimeTypes: []string{"application/pdf"}, Protected: true})
		if err := app.Save(invoices); err != nil {
			return err
		}
		pdfs, err := app.FindCollectionByNameOrId("invoice_pdfs")
		if err != nil {
			return err
		}
		return app.Delete(pdfs)
	})
}

// copyInvoicePDFs copies every invoice's stored PDF into invoice_pdfs.
func copyInvoicePDFs(app core.App, invoices, pdfs *core.Collection) error {
	stored, err := app.FindRecordsByFilter(invoices, "pdf != ''", "", 0, 0)
	if err != nil || len(stored) == 0 {
		return err
	}
	fsys, err := app.NewFilesystem()
	if err != nil {
		return err
	}
	defer fsys.Close()
	for _, invoice := range stored {
		name := invoice.GetString("pdf")
		reader, err := fsys.GetReader(invoice.BaseFilesPath() + "/" + name)
		if err != nil {
			return err
		}
		data, err := io.ReadAll(reader)
		reader.Close()
		if err != nil {
			return err
		}
		file, err := filesystem.NewFileFromBytes(data, name)
		if err != nil {
			return err
		}
		r := core.NewRecord(pdfs)
		r.Set("invoice", invoice.Id)
		r.Set("workspace", invoice.GetString("workspace"))
		r.Set("file", file)
		if err := app.SaveNoValidate(r); err != nil {
			return err
		}
	}
	return nil
}
