package consent

import (
	"database/sql"
	"errors"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/fielderr"
)

// guardObjectedField refuses a user written through the record API with a
// new value of attribution_objected: it mirrors the objections recorded
// through POST /api/kontor/attribution/objection, and nothing else.
func guardObjectedField(e *core.RecordRequestEvent) error {
	before := !e.Record.IsNew() && e.Record.Original().GetBool("attribution_objected")
	if e.Record.GetBool("attribution_objected") != before {
		return fielderr.New("attribution_objected",
			"Object to the use of your data for attribution in your settings (POST /api/kontor/attribution/objection); this field only shows your last choice.")
	}
	return e.Next()
}

// linkAtSignUp links the visitor's touchpoints to the user created by the
// request, in the transaction that creates the user, and keeps the first
// Google click id and the Google Analytics client id on the user, each only
// when the decision of the visitor's latest touchpoint allows it
// (advertising and analytics). Without a visitor id, or when that decision
// now allows neither, nothing is linked or kept.
func linkAtSignUp(e *core.RecordRequestEvent) error {
	visitorID := requestCookie(e.Request, VisitorCookie)
	if !visitorIDPattern.MatchString(visitorID) {
		return e.Next()
	}
	d, err := visitorDecision(e.App, visitorID)
	if err != nil {
		return err
	}
	analytics, advertising := Allows(d, Analytics), Allows(d, Advertising)
	if !analytics && !advertising {
		return e.Next()
	}
	if gclid := requestCookie(e.Request, FirstGclidCookie); advertising && clickIDPattern.MatchString(gclid) {
		e.Record.Set("first_gclid", gclid)
	}
	if id := GAClientID(requestCookie(e.Request, GACookie)); analytics && id != "" {
		e.Record.Set("ga_client_id", id)
	}

	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if err := e.Next(); err != nil {
			return err
		}
		return linkVisitor(tx, visitorID, e.Record.Id)
	})
}

// visitorDecision is the latest decision of the consent id of the visitor's
// latest touchpoint, nil when there is none.
func visitorDecision(app core.App, visitorID string) (*core.Record, error) {
	var consentID string
	err := app.DB().Select("consent_id").From(Touchpoints).
		Where(dbx.HashExp{"visitor_id": visitorID}).
		OrderBy("created DESC", "rowid DESC").Limit(1).Row(&consentID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return LatestDecision(app, consentID)
}

// linkVisitor sets the user of the visitor's anonymous touchpoints.
func linkVisitor(app core.App, visitorID, userID string) error {
	var records []*core.Record
	err := app.RecordQuery(Touchpoints).
		AndWhere(dbx.HashExp{"visitor_id": visitorID, "user": ""}).
		All(&records)
	if err != nil {
		return err
	}
	for _, t := range records {
		t.Set("user", userID)
		if err := app.Save(t); err != nil {
			return err
		}
	}
	return nil
}

// GAClientID is the client id in a Google Analytics _ga cookie
// ("GA1.1.123456789.1700000000" → "123456789.1700000000"), "" when the
// value is not one.
func GAClientID(cookie string) string {
	parts := strings.Split(cookie, ".")
	if len(parts) < 4 || !strings.HasPrefix(parts[0], "GA") {
		return ""
	}
	random, ts := parts[len(parts)-2], parts[len(parts)-1]
	if !digits(random) || !digits(ts) || len(random)+len(ts) > 40 {
		return ""
	}
	return random + "." + ts
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
