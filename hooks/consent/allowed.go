package consent

import (
	"database/sql"
	"errors"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// The reasons AdvertisingAllowed gives for a no.
const (
	ReasonNoUser     = "the user does not exist"
	ReasonObjected   = "the user objected to the use of their data for attribution (GDPR art. 21)"
	ReasonNoDecision = "no decision about advertising cookies is recorded for the user"
	ReasonRejected   = "the user's latest decision rejected advertising cookies"
)

// AdvertisingAllowed reports whether the user's latest advertising decision
// is "accepted" and they have not objected; reason says why not.
//
// The latest decision is the newest consents row whose user is the user, or
// that was made without signing in (no user) by a browser whose touchpoints
// were linked to the user at sign-up: a decision made by someone else signed
// in on the same browser never decides for this user.
func AdvertisingAllowed(app core.App, userID string) (ok bool, reason string, err error) {
	user, err := app.FindRecordById("users", userID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, ReasonNoUser, nil
	}
	if err != nil {
		return false, "", err
	}
	if user.GetBool("attribution_objected") {
		return false, ReasonObjected, nil
	}
	d, err := LatestUserDecision(app, userID)
	if err != nil {
		return false, "", err
	}
	switch {
	case d == nil:
		return false, ReasonNoDecision, nil
	case !Allows(d, Advertising):
		return false, ReasonRejected, nil
	}
	return true, "", nil
}

// userDecisions selects the decisions that are the user's: made signed in
// as them, or anonymously by a browser whose touchpoints are theirs.
func userDecisions(userID string) dbx.Expression {
	return dbx.NewExp(`[[consents.user]] = {:user} OR ([[consents.user]] = '' AND [[consents.consent_id]] IN
		(SELECT [[consent_id]] FROM {{touchpoints}} WHERE [[user]] = {:user}))`, dbx.Params{"user": userID})
}

// LatestUserDecision is the user's newest decision, nil when there is none.
func LatestUserDecision(app core.App, userID string) (*core.Record, error) {
	r := &core.Record{}
	err := app.RecordQuery(Consents).AndWhere(userDecisions(userID)).
		OrderBy("created DESC", "rowid DESC").Limit(1).One(r)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}
