package sequences

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Statuses of an enrolment: active until its last step is sent
// (completed), the contact replies, unsubscribes or wins a deal, or a
// member stops it.
const (
	StatusActive       = "active"
	StatusCompleted    = "completed"
	StatusReplied      = "replied"
	StatusUnsubscribed = "unsubscribed"
	StatusWon          = "won"
	StatusStopped      = "stopped"
)

// stop ends an enrolment with the status and reason.
func stop(app core.App, e *core.Record, status, reason string, now time.Time) error {
	e.Set("status", status)
	e.Set("stop_reason", truncate(reason, 300))
	e.Set("stopped_at", now.UTC())
	e.Set("next_send_at", nil)
	return app.Save(e)
}

// stopContact ends every active enrolment of the contact with the status
// and reason, and returns how many it ended.
func stopContact(app core.App, contact, status, reason string, now time.Time) (int, error) {
	active, err := app.FindRecordsByFilter("sequence_enrollments", "contact = {:c} && status = 'active'", "", 0, 0, dbx.Params{"c": contact})
	if err != nil {
		return 0, err
	}
	for _, e := range active {
		if err := stop(app, e, status, reason, now); err != nil {
			return 0, err
		}
	}
	return len(active), nil
}

// stopOnWonDeal is bound to every save of a deal: once the deal is won
// (its status becomes won), the active enrolments of its contact stop as
// won, in the same transaction.
func (r *Runner) stopOnWonDeal(e *core.RecordEvent) error {
	d := e.Record
	wasWon := !d.IsNew() && d.Original().GetString("status") == "won" && d.Original().GetString("contact") == d.GetString("contact")
	if err := e.Next(); err != nil {
		return err
	}
	if wasWon || d.GetString("status") != "won" || d.GetString("contact") == "" {
		return nil
	}
	_, err := stopContact(e.App, d.GetString("contact"), StatusWon, "the deal "+d.GetString("title")+" was won", r.cfg.Now())
	return err
}
