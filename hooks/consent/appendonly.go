package consent

import (
	"fmt"
	"slices"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// changedFields names the fields whose value in r differs from the row
// stored under its id; nil when there is no stored row.
func changedFields(app core.App, r *core.Record) ([]string, *core.Record, error) {
	stored, err := app.FindRecordById(r.Collection().Id, r.Id)
	if err != nil {
		return nil, nil, err
	}
	var changed []string
	for _, f := range r.Collection().Fields {
		name := f.GetName()
		if fmt.Sprint(r.Get(name)) != fmt.Sprint(stored.Get(name)) {
			changed = append(changed, name)
		}
	}
	return changed, stored, nil
}

// refuseConsentUpdate keeps consents append-only: a decision is never
// changed; a new one is recorded instead. The one change allowed is the
// unlinking of a user who is being deleted, which PocketBase makes when the
// account goes: the proof stays, without the account.
func refuseConsentUpdate(e *core.RecordEvent) error {
	changed, stored, err := changedFields(e.App, e.Record)
	if err == nil && slices.Equal(changed, []string{"user"}) && e.Record.GetString("user") == "" {
		if _, err := e.App.FindRecordById("users", stored.GetString("user")); err != nil {
			return e.Next()
		}
	}
	return apis.NewBadRequestError("A stored consent decision is proof and cannot be changed; a new decision is recorded instead (POST /api/kontor/consent).", nil)
}

// refuseObjectionUpdate keeps attribution_objections append-only.
func refuseObjectionUpdate(e *core.RecordEvent) error {
	return apis.NewBadRequestError("A recorded objection cannot be changed; a new one is recorded instead (POST /api/kontor/attribution/objection).", nil)
}

// onlyLinkTouchpoint allows one change of a touchpoint: linking an
// anonymous one to a user, as sign-up does.
func onlyLinkTouchpoint(e *core.RecordEvent) error {
	changed, stored, err := changedFields(e.App, e.Record)
	if err == nil && slices.Equal(changed, []string{"user"}) && stored.GetString("user") == "" {
		return e.Next()
	}
	return apis.NewBadRequestError("A touchpoint cannot be changed, only linked to the user who signed up.", nil)
}
