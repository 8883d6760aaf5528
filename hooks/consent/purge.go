package consent

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Retention is how long an anonymous touchpoint (one never linked to a
// user) is kept.
const Retention = 90 * 24 * time.Hour

// PurgeTouchpoints deletes the anonymous touchpoints created more than
// Retention before now and returns how many it deleted. Running it again
// deletes nothing more.
func PurgeTouchpoints(app core.App, now time.Time) (int, error) {
	cutoff, err := types.ParseDateTime(now.Add(-Retention))
	if err != nil {
		return 0, err
	}
	res, err := app.DB().Delete(Touchpoints, dbx.NewExp("([[user]] = '' OR [[user]] IS NULL) AND [[created]] < {:cutoff}",
		dbx.Params{"cutoff": cutoff.String()})).Execute()
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// purgeAndLog runs the purge now and logs what it did.
func purgeAndLog(app core.App) {
	n, err := PurgeTouchpoints(app, time.Now())
	if err != nil {
		app.Logger().Error("Purge of anonymous touchpoints failed", "error", err.Error())
		return
	}
	app.Logger().Info("Purged anonymous touchpoints older than 90 days", "deleted", n)
}
