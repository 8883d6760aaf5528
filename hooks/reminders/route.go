package reminders

import (
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
)

// letterRoute is GET /api/kontor/clients/{id}/dunning-letter: the dunning
// letter of a client as a PDF, for the members of its workspace who write
// documents (viewers excluded). ?date=YYYY-MM-DD counts interest to that
// day instead of today (not a later one); ?download=1 offers the file as an
// attachment instead of inline.
func letterRoute(now func() time.Time) func(e *core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		client, err := access.RequireRecord(e, "clients", access.Member)
		if err != nil {
			return err
		}
		on := day(now())
		query := e.Request.URL.Query()
		if s := query.Get("date"); s != "" {
			d, ok := parseDate(s)
			if !ok || d.After(on) {
				return e.BadRequestError("Give the date as YYYY-MM-DD, today or earlier.", nil)
			}
			on = d
		}
		data, name, err := LetterPDF(e.App, client.Id, on)
		if err != nil {
			return e.InternalServerError("", err)
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
}
