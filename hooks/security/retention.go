package security

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/ipaddr"
)

// Retention is how long full client IPs are kept in the security log, the
// failed sign-ins and the locks.
const Retention = 14 * 24 * time.Hour

// Retained is what one run of the retention job did.
type Retained struct {
	// Truncated is how many security events older than Retention had
	// their IP truncated; they are kept, without the full address.
	Truncated int `json:"truncated"`
	// Failures and Locks are how many failed sign-ins and locks older than
	// Retention were deleted.
	Failures int `json:"failures"`
	Locks    int `json:"locks"`
}

// Retain truncates the IPs of the security events created more than
// Retention before now and deletes the failed sign-ins and locks as old.
// Running it again changes nothing more.
func Retain(app core.App, now time.Time) (Retained, error) {
	var out Retained
	cutoff := dbTime(now.Add(-Retention))
	err := app.RunInTransaction(func(tx core.App) error {
		var rows []struct {
			ID string `db:"id"`
			IP string `db:"ip"`
		}
		if err := tx.DB().Select("id", "ip").From(Events).AndWhere(dbx.NewExp(
			"[[created]] < {:cutoff} AND [[ip_truncated]] = FALSE", dbx.Params{"cutoff": cutoff})).All(&rows); err != nil {
			return err
		}
		for _, r := range rows {
			if _, err := tx.DB().Update(Events, dbx.Params{"ip": ipaddr.Truncate(r.IP), "ip_truncated": true},
				dbx.HashExp{"id": r.ID}).Execute(); err != nil {
				return err
			}
		}
		out.Truncated = len(rows)

		res, err := tx.DB().Delete(Failures, dbx.NewExp("[[created]] < {:cutoff}", dbx.Params{"cutoff": cutoff})).Execute()
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		out.Failures = int(n)

		// a lock is kept while it holds, however old
		res, err = tx.DB().Delete(Locks, dbx.NewExp("[[created]] < {:cutoff} AND [[until]] < {:now}",
			dbx.Params{"cutoff": cutoff, "now": dbTime(now)})).Execute()
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		out.Locks = int(n)
		return nil
	})
	return out, err
}

// retainAndLog runs the retention job now and logs what it did.
func retainAndLog(app core.App) {
	r, err := Retain(app, time.Now())
	if err != nil {
		app.Logger().Error("Security log retention failed", "error", err.Error())
		return
	}
	app.Logger().Info("Security log retention: IPs older than 14 days truncated, old failed sign-ins and locks deleted",
		"truncated", r.Truncated, "failures_deleted", r.Failures, "locks_deleted", r.Locks)
}
