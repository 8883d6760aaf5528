package billing

import (
	"database/sql"
	"errors"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/outbox"
)

// The conversion events.
const (
	ConversionRegistration = "registration"
	ConversionFirstPayment = "first_payment"
	ConversionPlanChange   = "plan_change"
	ConversionRefund       = "refund"
)

// Conversion is the payload of a conversion message in the outbox.
type Conversion struct {
	Event     string `json:"event"`
	User      string `json:"user"`
	Workspace string `json:"workspace"`
	// Value is a decimal string in the currency's major unit ("19.00");
	// "0" with no currency for a registration.
	Value    string `json:"value"`
	Currency string `json:"currency"`
	// OccurredAt is when it happened, RFC 3339 in UTC.
	OccurredAt string `json:"occurred_at"`
	// Plan is the new plan of a plan change.
	Plan string `json:"plan,omitempty"`
}

// enqueueConversion writes the conversion into the outbox through tx, once
// per key.
func enqueueConversion(tx core.App, key string, c Conversion, summary string) error {
	_, _, err := outbox.Enqueue(tx, outbox.Message{Kind: ConversionKind, Key: "conversion:" + key, Workspace: c.Workspace,
		Summary: summary, Payload: c})
	return err
}

// registration enqueues the registration conversion of a new user, in the
// transaction that creates the user.
func (b *Billing) registration(e *core.RecordEvent) error {
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if err := e.Next(); err != nil {
			return err
		}
		return enqueueConversion(tx, ConversionRegistration+":"+e.Record.Id, Conversion{
			Event: ConversionRegistration, User: e.Record.Id, Value: "0", OccurredAt: rfc3339(b.now().Unix()),
		}, "Registration of a user")
	})
}

// ownerOf is the user a workspace's conversions are attributed to: its
// first owner.
func ownerOf(app core.App, ws string) (string, error) {
	var user string
	err := app.DB().NewQuery("SELECT user FROM memberships WHERE workspace = {:w} AND role = 'owner' ORDER BY created, id LIMIT 1").
		Bind(dbx.Params{"w": ws}).Row(&user)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return user, err
}

func rfc3339(sec int64) string {
	return time.Unix(sec, 0).UTC().Format(time.RFC3339)
}
