package privacy

import (
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	pbtypes "github.com/pocketbase/pocketbase/tools/types"
)

// downloadRoute is GET /api/kontor/privacy/requests/{id}/export: the
// user who asked for the archive downloads it, once. The first download
// claims it (so two at once get it once), streams it, then deletes it;
// later ones, and one after it expired, get a 410 that says to ask again.
// Another user's request is a 404, a guest gets a 401.
func (p *privacy) downloadRoute(e *core.RequestEvent) error {
	r, err := ownRequest(e)
	if err != nil {
		return err
	}
	if r.GetString("type") != TypeAccess {
		return e.NotFoundError("", nil)
	}
	now := p.cfg.Now().UTC()
	switch r.GetString("status") {
	case StatusProcessing:
		return e.Error(http.StatusConflict, "Your archive is still being prepared; try again in a few minutes.", nil)
	case StatusReady:
	default:
		return e.Error(http.StatusGone, "This archive was already downloaded or has expired; ask for a new export.", nil)
	}
	if expires := r.GetDateTime("export_expires"); !expires.IsZero() && !now.Before(expires.Time()) {
		return e.Error(http.StatusGone, "This archive has expired; ask for a new export.", nil)
	}
	stamp, _ := pbtypes.ParseDateTime(now)
	res, err := e.App.DB().NewQuery(`UPDATE privacy_requests SET downloaded_at = {:now}
		WHERE id = {:id} AND status = 'ready' AND (downloaded_at = '' OR downloaded_at IS NULL)`).
		Bind(dbx.Params{"now": stamp.String(), "id": r.Id}).Execute()
	if err != nil {
		return e.InternalServerError("", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return e.Error(http.StatusGone, "This archive was already downloaded; ask for a new export.", nil)
	}

	fsys, err := e.App.NewFilesystem()
	if err != nil {
		return e.InternalServerError("", err)
	}
	defer fsys.Close()
	name := "kontor-export-" + r.GetDateTime("received").Time().Format("2006-01-02") + ".zip"
	logExport(e, r.GetString("user"), r.Id)
	h := e.Response.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	serveErr := fsys.Serve(e.Response, e.Request, r.BaseFilesPath()+"/"+r.GetString("export"), name)

	// served or not, the archive is gone: downloadable once
	fresh, err := e.App.FindRecordById(Requests, r.Id)
	if err != nil {
		return err
	}
	fresh.Set("export", nil)
	fresh.Set("status", StatusCompleted)
	fresh.Set("completed", now)
	fresh.Set("result", "Archive downloaded and deleted from the server.")
	if err := e.App.Save(fresh); err != nil {
		e.App.Logger().Error("Privacy: could not delete a downloaded archive", "request", r.Id, "error", err.Error())
	}
	return serveErr
}
