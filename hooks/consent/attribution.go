package consent

import (
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/fielderr"
)

// Attribution is what Kontor keeps about a user's marketing attribution,
// as GET /api/kontor/attribution shows it in their settings.
type Attribution struct {
	// Objected is whether the user objects (users.attribution_objected).
	Objected bool `json:"objected"`
	// Objections are every objection and withdrawal, newest first.
	Objections []*core.Record `json:"objections"`
	// Consents are the user's decisions (see AdvertisingAllowed), newest
	// first.
	Consents []*core.Record `json:"consents"`
	// Touchpoints are the user's visits, newest first.
	Touchpoints []*core.Record `json:"touchpoints"`
	// FirstGclid and GAClientID are kept on the user at sign-up and read
	// only by the server; the user sees them here.
	FirstGclid string `json:"first_gclid"`
	GAClientID string `json:"ga_client_id"`
	// AdvertisingAllowed is whether conversions are sent to advertisers,
	// and Reason why not.
	AdvertisingAllowed bool   `json:"advertising_allowed"`
	Reason             string `json:"reason"`
}

// signedInUser is the user signed in for the request, or the 401 to
// answer.
func signedInUser(e *core.RequestEvent) (*core.Record, error) {
	if e.Auth == nil || e.Auth.Collection().Name != "users" {
		return nil, e.UnauthorizedError("Sign in to see or change your attribution settings.", nil)
	}
	return e.Auth, nil
}

// AttributionOf reads what is kept about the user's attribution.
func AttributionOf(app core.App, userID string) (Attribution, error) {
	a := Attribution{Objections: []*core.Record{}, Consents: []*core.Record{}, Touchpoints: []*core.Record{}}
	user, err := app.FindRecordById("users", userID)
	if err != nil {
		return a, err
	}
	a.Objected = user.GetBool("attribution_objected")
	a.FirstGclid = user.GetString("first_gclid")
	a.GAClientID = user.GetString("ga_client_id")
	if err := app.RecordQuery(Objections).AndWhere(dbx.HashExp{"user": userID}).
		OrderBy("created DESC", "rowid DESC").All(&a.Objections); err != nil {
		return a, err
	}
	if err := app.RecordQuery(Consents).AndWhere(userDecisions(userID)).
		OrderBy("created DESC", "rowid DESC").All(&a.Consents); err != nil {
		return a, err
	}
	if err := app.RecordQuery(Touchpoints).AndWhere(dbx.HashExp{"user": userID}).
		OrderBy("created DESC", "rowid DESC").All(&a.Touchpoints); err != nil {
		return a, err
	}
	a.AdvertisingAllowed, a.Reason, err = AdvertisingAllowed(app, userID)
	return a, err
}

// attributionRoute is GET /api/kontor/attribution: the signed-in user's
// decisions, touchpoints and objection state.
func attributionRoute(e *core.RequestEvent) error {
	user, err := signedInUser(e)
	if err != nil {
		return err
	}
	a, err := AttributionOf(e.App, user.Id)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, a)
}

// objectionBody is what the settings post.
type objectionBody struct {
	Objected *bool `json:"objected"`
}

// objectionRoute is POST /api/kontor/attribution/objection: records the
// signed-in user's objection (or its withdrawal) and mirrors it on the
// user, in one transaction; 201 with the attribution as it now is.
func objectionRoute(e *core.RequestEvent) error {
	user, err := signedInUser(e)
	if err != nil {
		return err
	}
	var body objectionBody
	if err := readJSON(e, &body); err != nil {
		return err
	}
	if body.Objected == nil {
		return fielderr.New("objected", "Say whether you object: objected must be true to object to the use of your data for attribution, false to withdraw the objection.")
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
		collection, err := tx.FindCachedCollectionByNameOrId(Objections)
		if err != nil {
			return err
		}
		o := core.NewRecord(collection)
		o.Set("user", user.Id)
		o.Set("objected", *body.Objected)
		if err := tx.Save(o); err != nil {
			return err
		}
		u, err := tx.FindRecordById("users", user.Id)
		if err != nil {
			return err
		}
		u.Set("attribution_objected", *body.Objected)
		return tx.Save(u)
	})
	if err != nil {
		return apis.NewBadRequestError("The objection could not be recorded.", err)
	}
	a, err := AttributionOf(e.App, user.Id)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusCreated, a)
}
