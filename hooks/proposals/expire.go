package proposals

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// ExpireDue marks expired every sent or viewed proposal whose validity
// ended before the day of now, each in its own transaction with its
// "expired" event, and returns how many. Running it again changes nothing.
func ExpireDue(app core.App, now time.Time) (int, error) {
	today := now.UTC().Format(dateLayout)
	due, err := app.FindRecordsByFilter("proposals",
		`(status = "sent" || status = "viewed") && valid_until != "" && valid_until < {:today}`, "valid_until", 500, 0,
		dbx.Params{"today": today})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range due {
		err := app.RunInTransaction(func(tx core.App) error {
			r, err := tx.FindRecordById("proposals", d.Id)
			if err != nil {
				return err
			}
			if s := r.GetString("status"); (s != StatusSent && s != StatusViewed) || r.GetString("valid_until") >= today {
				return nil
			}
			r.Set("status", StatusExpired)
			r.Set("expired_at", now)
			ev := Event{Type: EventExpired, Actor: systemActor, Version: r.GetInt("version"), DocumentHash: r.GetString("document_hash"),
				Details: map[string]any{"valid_until": r.GetString("valid_until")}}
			if _, err := appendEvent(tx, r, ev, now); err != nil {
				return err
			}
			n++
			return tx.Save(r)
		})
		if err != nil {
			return n, err
		}
	}
	if n > 0 {
		app.Logger().Info("proposals: expired", "count", n)
	}
	return n, nil
}
