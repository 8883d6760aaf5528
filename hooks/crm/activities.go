package crm

import (
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/kontor-app/kontor/hooks/fielderr"
)

// setAuthor makes the signed-in user the author of the activity they
// create.
func setAuthor(e *core.RecordRequestEvent) error {
	if e.Auth != nil && e.Auth.Collection().Name == "users" {
		e.Record.Set("author", e.Auth.Id)
	}
	return e.Next()
}

// saveActivity checks an activity on every save, from any route, stamps
// done_at when it is done, and moves its contact's last_activity_at.
func (c *crm) saveActivity(e *core.RecordEvent) error {
	r := e.Record
	now, _ := types.ParseDateTime(c.now().UTC())
	errs := prepareActivity(e.App, r)
	if err := errs.Err(); err != nil {
		return err
	}
	if r.GetDateTime("occurred_at").IsZero() {
		r.Set("occurred_at", now)
	}
	switch {
	case !r.GetBool("done"):
		r.Set("done_at", "")
	case r.IsNew() || !r.Original().GetBool("done"):
		r.Set("done_at", now)
	}
	if err := e.Next(); err != nil {
		return err
	}
	return touchContact(e.App, r)
}

// prepareActivity returns what is wrong with an activity: it is about a
// contact, a company or a deal of its workspace, and a due date is a date.
func prepareActivity(app core.App, r *core.Record) fielderr.Errors {
	errs := fielderr.Errors{}
	r.Set("subject", strings.TrimSpace(r.GetString("subject")))
	if r.GetString("contact") == "" && r.GetString("company") == "" && r.GetString("deal") == "" {
		errs.Add("contact", "Say which contact, company or deal the activity is about.")
	}
	checkRef(app, r, "contact", "contacts", "This contact does not exist in the workspace.", errs)
	checkRef(app, r, "company", "companies", "This company does not exist in the workspace.", errs)
	checkRef(app, r, "deal", "deals", "This deal does not exist in the workspace.", errs)
	if v := strings.TrimSpace(r.GetString("due")); v != "" {
		r.Set("due", v)
		if _, err := time.Parse(dateLayout, v); err != nil {
			errs.Add("due", "Write the due date as YYYY-MM-DD.")
		}
	}
	return errs
}

// touchContact moves the last_activity_at of the activity's contact (or
// its deal's contact) forward to the activity's time.
func touchContact(app core.App, activity *core.Record) error {
	id := activity.GetString("contact")
	if id == "" && activity.GetString("deal") != "" {
		if deal, err := app.FindRecordById("deals", activity.GetString("deal")); err == nil {
			id = deal.GetString("contact")
		}
	}
	if id == "" {
		return nil
	}
	contact, err := app.FindRecordById("contacts", id)
	if err != nil {
		return nil
	}
	at := activity.GetDateTime("occurred_at")
	if !contact.GetDateTime("last_activity_at").Before(at) {
		return nil
	}
	contact.Set("last_activity_at", at)
	return app.Save(contact)
}
