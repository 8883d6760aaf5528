package sequences

import (
	"bytes"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/mail"
	"github.com/kontor-app/kontor/hooks/publicpage"
)

// The unsubscribe page, /u/{token}: templates/public/unsubscribe.html with
// its texts in unsubscribe_messages.json and its style, unsubscribe.css,
// served under /u-assets/ beside the shared base.css.
var (
	pageTexts  = publicpage.MustCatalogue("public/unsubscribe_messages.json")
	pageAssets = publicpage.MustAssets("/u-assets/", "public", "unsubscribe.css")
	page       = publicpage.MustPage("public/unsubscribe.html", pageTexts, pageAssets,
		// the shared parts are parsed with every page and call it; this
		// page shows no lines
		template.FuncMap{"discounted": func() bool { return false }})
)

// pageCSP lets the page load its own style and post its form, nothing
// else.
const pageCSP = "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// unsubscribeView is what the page shows.
type unsubscribeView struct {
	State  string // "confirm" (asks), "done" (unsubscribed), "gone" (unknown link)
	Lang   string
	Token  string
	Sender string // the workspace's name
	Email  string // the contact's address
}

// findByToken reads the enrolment of an unsubscribe link's secret, by its
// hash, and its contact and workspace.
func findByToken(app core.App, token string) (en, contact, workspace *core.Record, ok bool) {
	if token == "" || len(token) > 200 {
		return nil, nil, nil, false
	}
	en, err := app.FindFirstRecordByData("sequence_enrollments", "token_hash", hashToken(token))
	if err != nil {
		return nil, nil, nil, false
	}
	contact, err1 := app.FindRecordById("contacts", en.GetString("contact"))
	workspace, err2 := app.FindRecordById("workspaces", en.GetString("workspace"))
	if err1 != nil || err2 != nil {
		return nil, nil, nil, false
	}
	return en, contact, workspace, true
}

// unsubscribePage answers GET /u/{token}: the question, or that the
// contact is unsubscribed already; it changes nothing.
func (r *Runner) unsubscribePage(e *core.RequestEvent) error {
	token := e.Request.PathValue("token")
	_, contact, workspace, ok := findByToken(e.App, token)
	if !ok {
		return r.writePage(e, http.StatusNotFound, unsubscribeView{State: "gone", Lang: pageTexts.Lang(acceptedLanguage(e))})
	}
	v := view(contact, workspace)
	v.Token = token
	if contact.GetBool("unsubscribed") {
		v.State = "done"
	}
	return r.writePage(e, http.StatusOK, v)
}

// unsubscribePost answers POST /u/{token}: the page's button, or a mail
// client's one-click unsubscribe (RFC 8058, the body
// List-Unsubscribe=One-Click): the contact is unsubscribed and every
// active enrolment of theirs stops. Posting again changes nothing more.
func (r *Runner) unsubscribePost(e *core.RequestEvent) error {
	token := e.Request.PathValue("token")
	en, contact, workspace, ok := findByToken(e.App, token)
	if !ok {
		return r.writePage(e, http.StatusNotFound, unsubscribeView{State: "gone", Lang: pageTexts.Lang(acceptedLanguage(e))})
	}
	err := e.App.RunInTransaction(func(tx core.App) error {
		return unsubscribeContact(tx, en.GetString("contact"), r.cfg.Now())
	})
	if err != nil {
		return e.InternalServerError("", err)
	}
	v := view(contact, workspace)
	v.State = "done"
	return r.writePage(e, http.StatusOK, v)
}

// view is the page of the contact of the workspace, in the contact's
// language.
func view(contact, workspace *core.Record) unsubscribeView {
	return unsubscribeView{
		State:  "confirm",
		Lang:   pageTexts.Lang(mail.Language(contact.GetString("language"), workspace.GetString("language"))),
		Sender: workspace.GetString("name"),
		Email:  contact.GetString("email"),
	}
}

// acceptedLanguage is the first language of the request's
// Accept-Language, for the page of an unknown link.
func acceptedLanguage(e *core.RequestEvent) string {
	first, _, _ := strings.Cut(e.Request.Header.Get("Accept-Language"), ",")
	first, _, _ = strings.Cut(first, ";")
	first, _, _ = strings.Cut(strings.TrimSpace(first), "-")
	return strings.ToLower(first)
}

// writePage renders the page with publicpage's headers.
func (r *Runner) writePage(e *core.RequestEvent, status int, v unsubscribeView) error {
	var buf bytes.Buffer
	if err := page.Render(&buf, v.Lang, v, nil); err != nil {
		return e.InternalServerError("", err)
	}
	return publicpage.Write(e, status, buf.Bytes(), pageCSP)
}

// unsubscribeContact marks the contact unsubscribed, stops every active
// enrolment of theirs (unsubscribed) and notes it on the contact; a
// contact unsubscribed already is left as is.
func unsubscribeContact(app core.App, contactID string, now time.Time) error {
	contact, err := app.FindRecordById("contacts", contactID)
	if err != nil {
		return err
	}
	if contact.GetBool("unsubscribed") {
		_, err := stopContact(app, contactID, StatusUnsubscribed, "the contact unsubscribed", now)
		return err
	}
	contact.Set("unsubscribed", true)
	contact.Set("unsubscribed_at", now.UTC())
	if err := app.Save(contact); err != nil {
		return err
	}
	if _, err := stopContact(app, contactID, StatusUnsubscribed, "the contact unsubscribed", now); err != nil {
		return err
	}
	note := core.NewRecord(mustCollection(app, "activities"))
	note.Load(map[string]any{"workspace": contact.GetString("workspace"), "type": "note", "contact": contactID,
		"subject": "Unsubscribed from sequence emails", "occurred_at": now.UTC()})
	return app.Save(note)
}
