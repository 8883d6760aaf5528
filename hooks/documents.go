package hooks

import (
	"context"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/einvoice"
	"github.com/kontor-app/kontor/hooks/mail"
	"github.com/kontor-app/kontor/hooks/reminders"
	"github.com/kontor-app/kontor/hooks/render"
)

// documents gives mail the files invoice emails attach: the stored PDF of
// an issued document (render), its e-invoice (einvoice, through the format
// plugins) and a client's dunning letter (reminders).
type documents struct {
	plugins einvoice.Renderer
}

// PDF implements mail.Documents.
func (d documents) PDF(_ context.Context, app core.App, invoice *core.Record) (mail.File, error) {
	data, name, err := render.StoredPDF(app, invoice)
	return mail.File{Name: name, ContentType: "application/pdf", Content: data}, err
}

// EInvoice implements mail.Documents.
func (d documents) EInvoice(ctx context.Context, app core.App, invoice *core.Record, format string) (mail.File, error) {
	doc, err := einvoice.Document(ctx, app, d.plugins, invoice, format)
	if err != nil {
		return mail.File{}, err
	}
	return mail.File{Name: doc.FileName, ContentType: doc.MediaType, Content: doc.Content}, nil
}

// DunningLetter implements mail.Documents.
func (d documents) DunningLetter(_ context.Context, app core.App, client, date string) (mail.File, error) {
	on, err := time.Parse("2006-01-02", date)
	if err != nil {
		return mail.File{}, err
	}
	data, name, err := reminders.LetterPDF(app, client, on)
	return mail.File{Name: name, ContentType: "application/pdf", Content: data}, err
}
