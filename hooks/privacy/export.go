package privacy

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	pbtypes "github.com/pocketbase/pocketbase/tools/types"

	"github.com/kontor-app/kontor/hooks/outbox"
)

// exportPayload is the payload of an ExportKind message.
type exportPayload struct {
	Request string `json:"request"`
}

// buildExport is the outbox handler of ExportKind: it writes the archive
// of the request's user into a temporary file, streaming record by record,
// and attaches it to the request, which becomes ready until ExportExpiry
// has passed. A request no longer processing is left alone.
func (p *privacy) buildExport(ctx context.Context, m outbox.Item) error {
	app := p.app
	var payload exportPayload
	if err := json.Unmarshal(m.Payload, &payload); err != nil || payload.Request == "" {
		return outbox.Permanent(errors.New("the message names no privacy request"))
	}
	r, err := app.FindRecordById(Requests, payload.Request)
	if errors.Is(err, sql.ErrNoRows) {
		return outbox.Permanent(errors.New("privacy request " + payload.Request + " does not exist"))
	}
	if err != nil {
		return err
	}
	if r.GetString("status") != StatusProcessing {
		return outbox.NotSent("the request is " + r.GetString("status"))
	}

	now := p.cfg.Now().UTC()
	tmp, err := os.CreateTemp("", "kontor-export-*.zip")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	man, err := writeArchive(ctx, app, tmp, r.GetString("user"), now, p.cfg.EInvoice)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	file, err := filesystem.NewFileFromPath(tmp.Name())
	if err != nil {
		return err
	}
	file.OriginalName = "kontor-export-" + now.Format("2006-01-02") + ".zip"
	r.Set("export", file)
	r.Set("status", StatusReady)
	r.Set("export_expires", now.Add(p.cfg.ExportExpiry))
	r.Set("result", "Archive of "+itoa(len(man.Files))+" files ready for download.")
	return app.Save(r)
}

// expireExports removes the archives not downloaded before they expired,
// and returns how many.
func (p *privacy) expireExports(app core.App, now time.Time) (int, error) {
	var due []*core.Record
	cutoff, _ := pbtypes.ParseDateTime(now)
	err := app.RecordQuery(Requests).AndWhere(dbx.HashExp{"status": StatusReady}).
		AndWhere(dbx.NewExp("[[export_expires]] != '' AND [[export_expires]] <= {:now}", dbx.Params{"now": cutoff.String()})).
		All(&due)
	if err != nil {
		return 0, err
	}
	for _, r := range due {
		r.Set("export", nil)
		r.Set("status", StatusExpired)
		r.Set("completed", now)
		r.Set("result", "The archive expired before it was downloaded.")
		if err := app.Save(r); err != nil {
			return 0, err
		}
	}
	return len(due), nil
}
