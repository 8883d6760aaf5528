package mail

import (
	"context"

	"github.com/pocketbase/pocketbase/core"
)

// Documents produces the files that invoice emails attach, when they are
// sent. hooks.Register gives the PDF renderer, the e-invoice plugins and
// the dunning letters of reminders.
type Documents interface {
	// PDF returns the PDF of an issued invoice or credit note.
	PDF(ctx context.Context, app core.App, invoice *core.Record) (File, error)
	// EInvoice returns an issued invoice's e-invoice in the format of the
	// name. An error that is a *router.ApiError with a status below 500
	// says it cannot be made for this invoice (the invoice lacks data, the
	// format is gone); any other error may pass.
	EInvoice(ctx context.Context, app core.App, invoice *core.Record, format string) (File, error)
	// DunningLetter returns the client's statement of what is owed on the
	// day (YYYY-MM-DD), with late-payment interest and compensation.
	DunningLetter(ctx context.Context, app core.App, client, date string) (File, error)
}
