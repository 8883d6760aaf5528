package consent

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/fielderr"
	"github.com/kontor-app/kontor/ipaddr"
)

// maxBody is the most a request body of these routes may hold.
const maxBody = 16 << 10

var (
	consentIDPattern   = regexp.MustCompile(`^[A-Za-z0-9-]{8,64}$`)
	textVersionPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,50}$`)
)

// decisionBody is what the banner posts for each decision.
type decisionBody struct {
	ConsentID   string          `json:"consent_id"`
	Revision    json.RawMessage `json:"revision"`
	Accepted    []string        `json:"accepted"`
	Rejected    []string        `json:"rejected"`
	Language    string          `json:"language"`
	TextVersion *string         `json:"text_version"`
}

// decision is a validated decision.
type decision struct {
	consentID          string
	revision           int64
	accepted, rejected []string // in the order of categories, without repeats
	language           string
	textVersion        string
}

// readJSON decodes the request's JSON body into v; a body that is not JSON
// of that shape is a 400 that says so.
func readJSON(e *core.RequestEvent, v any) error {
	raw, err := io.ReadAll(io.LimitReader(e.Request.Body, maxBody+1))
	if err != nil {
		return e.BadRequestError("The request body could not be read.", err)
	}
	if len(raw) > maxBody {
		return e.BadRequestError("The request body is too large.", nil)
	}
	if err := json.NewDecoder(bytes.NewReader(raw)).Decode(v); err != nil {
		return e.BadRequestError("The request body must be a JSON object of the documented shape (docs/consent.md).", err)
	}
	return nil
}

// validateDecision checks a posted decision; every problem is named by its
// field.
func validateDecision(b decisionBody) (decision, error) {
	errs := fielderr.Errors{}
	d := decision{consentID: b.ConsentID, language: b.Language, textVersion: BannerTextVersion}

	if !consentIDPattern.MatchString(b.ConsentID) {
		errs.Add("consent_id", "The consent id (consent_id) must be the banner's: 8 to 64 letters, digits or hyphens.")
	}

	raw := strings.TrimSpace(string(b.Revision))
	switch n, err := strconv.ParseInt(raw, 10, 32); {
	case raw == "" || raw == "null":
		errs.Add("revision", "The banner's revision is required: a whole number of 0 or more.")
	case err != nil || n < 0:
		errs.Add("revision", "The banner's revision must be a whole number of 0 or more, not "+raw+".")
	default:
		d.revision = n
	}

	for _, c := range append(slices.Clone(b.Accepted), b.Rejected...) {
		if !slices.Contains(categories, c) {
			errs.Add("categories", strconv.Quote(c)+" is not a cookie category; the categories are necessary, analytics and advertising.")
		}
	}
	switch {
	case !slices.Contains(b.Accepted, Necessary):
		errs.Add("accepted", `Strictly necessary cookies are always on: the accepted categories must include "necessary".`)
	case slices.Contains(b.Rejected, Necessary):
		errs.Add("rejected", "Strictly necessary cookies cannot be rejected.")
	}
	for _, c := range categories[1:] {
		in, out := slices.Contains(b.Accepted, c), slices.Contains(b.Rejected, c)
		switch {
		case in && out:
			errs.Add("rejected", strconv.Quote(c)+" cannot be both accepted and rejected.")
		case !in && !out:
			errs.Add("accepted", "Every category needs a decision: "+strconv.Quote(c)+" is neither accepted nor rejected.")
		}
	}
	for _, c := range categories {
		if slices.Contains(b.Accepted, c) {
			d.accepted = append(d.accepted, c)
		} else if slices.Contains(b.Rejected, c) {
			d.rejected = append(d.rejected, c)
		}
	}

	if !slices.Contains(Languages, b.Language) {
		errs.Add("language", "The language must be the banner's: one of "+strings.Join(Languages, ", ")+".")
	}
	if b.TextVersion != nil {
		if !textVersionPattern.MatchString(*b.TextVersion) {
			errs.Add("text_version", "The text version (text_version) must be the version of the banner's texts: 1 to 50 letters, digits, dots, hyphens or underscores.")
		}
		d.textVersion = *b.TextVersion
	}
	return d, errs.Err()
}

// consentRoute is POST /api/kontor/consent: stores one decision of the
// banner as proof (201) and, when it withdraws a category, expires the
// cookies that category allowed.
func consentRoute(e *core.RequestEvent) error {
	var body decisionBody
	if err := readJSON(e, &body); err != nil {
		return err
	}
	d, err := validateDecision(body)
	if err != nil {
		return err
	}
	previous, err := LatestDecision(e.App, d.consentID)
	if err != nil {
		return e.InternalServerError("", err)
	}

	collection, err := e.App.FindCachedCollectionByNameOrId(Consents)
	if err != nil {
		return e.InternalServerError("", err)
	}
	r := core.NewRecord(collection)
	r.Set("consent_id", d.consentID)
	if e.Auth != nil && e.Auth.Collection().Name == "users" {
		r.Set("user", e.Auth.Id)
	}
	r.Set("accepted", d.accepted)
	r.Set("rejected", d.rejected)
	r.Set("revision", d.revision)
	r.Set("text_version", d.textVersion)
	r.Set("language", d.language)
	r.Set("ip", ipaddr.Truncate(e.RealIP()))
	r.Set("user_agent", truncate(e.Request.UserAgent(), 500))
	if err := e.App.Save(r); err != nil {
		return apis.NewBadRequestError("The decision could not be stored.", err)
	}

	// a withdrawal expires the cookies the category allowed, when the
	// browser holds them or the previous decision allowed them
	allowedBefore := func(categories ...string) bool {
		for _, c := range categories {
			if Allows(previous, c) {
				return true
			}
		}
		return false
	}
	if !Allows(r, Advertising) && (hasCookie(e.Request, FirstGclidCookie) || allowedBefore(Advertising)) {
		expireCookie(e.Response, FirstGclidCookie)
	}
	if !Allows(r, Analytics) && !Allows(r, Advertising) && (hasCookie(e.Request, VisitorCookie) || allowedBefore(Analytics, Advertising)) {
		expireCookie(e.Response, VisitorCookie)
	}
	return e.JSON(http.StatusCreated, r)
}

// LatestDecision is the newest stored decision of the consent id, nil when
// there is none.
func LatestDecision(app core.App, consentID string) (*core.Record, error) {
	r := &core.Record{}
	err := app.RecordQuery(Consents).
		AndWhere(dbx.HashExp{"consent_id": consentID}).
		OrderBy("created DESC", "rowid DESC").Limit(1).One(r)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Allows reports whether a stored decision accepted the category.
func Allows(decision *core.Record, category string) bool {
	return decision != nil && slices.Contains(decision.GetStringSlice("accepted"), category) &&
		!slices.Contains(decision.GetStringSlice("rejected"), category)
}

// truncate cuts s to at most max characters.
func truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return string(r[:max])
}
