package privacy

import (
	"database/sql"
	"errors"
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// ReasonRestricted is the reason UnlessRestricted gives for a no.
const ReasonRestricted = "the user restricted the processing of their data (GDPR art. 18)"

// Restricted reports whether the user asked for the restriction of
// processing (GDPR art. 18): their data is then stored, and used for
// nothing beyond what they ask for themselves or the law requires, such as
// marketing attribution. A user that does not exist is not restricted.
func Restricted(app core.App, userID string) (bool, error) {
	var restricted bool
	err := app.DB().NewQuery("SELECT restricted FROM users WHERE id = {:id}").
		Bind(dbx.Params{"id": userID}).Row(&restricted)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return restricted, err
}

// UnlessRestricted wraps a check of whether a user's data may be used
// (such as consent.AdvertisingAllowed for conversions) so that it also
// says no, with ReasonRestricted, for a restricted user.
func UnlessRestricted(allowed func(app core.App, userID string) (bool, string, error)) func(app core.App, userID string) (bool, string, error) {
	return func(app core.App, userID string) (bool, string, error) {
		restricted, err := Restricted(app, userID)
		if err != nil {
			return false, "", err
		}
		if restricted {
			return false, ReasonRestricted, nil
		}
		if allowed == nil {
			return false, "no consent check is configured", nil
		}
		return allowed(app, userID)
	}
}

// restrict marks the user restricted, in the transaction of their request.
func restrict(app core.App, user *core.Record, on bool) error {
	user.Set("restricted", on)
	return app.Save(user)
}

// liftRestrictionRoute is DELETE /api/kontor/privacy/restriction: the
// signed-in user lifts the restriction of processing they asked for.
func (p *privacy) liftRestrictionRoute(e *core.RequestEvent) error {
	user, err := signedInUser(e)
	if err != nil {
		return err
	}
	if !user.GetBool("restricted") {
		return e.BadRequestError("The processing of your data is not restricted.", nil)
	}
	if err := restrict(e.App, user, false); err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"restricted": false})
}
