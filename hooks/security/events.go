package security

import (
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// Event is an entry of the security log (security_events).
type Event struct {
	// Type is one of the Event* constants.
	Type string
	// User is the user it concerns, if any; they can read it.
	User string
	// Account and Identity are the account key and what was typed to sign
	// in, for locks.
	Account, Identity string
	// IP is the client's full address (truncated after Retention), and
	// UserAgent its browser.
	IP, UserAgent string
	// Details are the event's facts: the lock, how many failures, until
	// when, who lifted it.
	Details map[string]any
}

// LogEvent writes an event to the security log through app, which should
// be the transaction of what it records.
func LogEvent(app core.App, ev Event) error {
	col, err := app.FindCachedCollectionByNameOrId(Events)
	if err != nil {
		return err
	}
	r := core.NewRecord(col)
	r.Set("type", ev.Type)
	r.Set("user", ev.User)
	r.Set("account", ev.Account)
	r.Set("identity", ev.Identity)
	r.Set("ip", ev.IP)
	r.Set("user_agent", ev.UserAgent)
	if ev.Details == nil {
		ev.Details = map[string]any{}
	}
	r.Set("details", ev.Details)
	return app.Save(r)
}

// refuseEventUpdate keeps the security log append-only: only the
// retention job changes it, truncating IPs in place.
func refuseEventUpdate(e *core.RecordEvent) error {
	return apis.NewBadRequestError("The security log cannot be changed.", nil)
}
