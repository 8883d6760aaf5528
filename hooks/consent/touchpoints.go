package consent

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/fielderr"
)

// maxURL is the longest landing or referrer URL accepted.
const maxURL = 2000

// The query parameters kept from a landing URL, by the category that
// allows them.
var (
	// UTMParams need analytics consent.
	UTMParams = []string{"utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term"}
	// ClickIDParams need advertising consent.
	ClickIDParams = []string{"gclid", "fbclid", "msclkid", "ttclid", "li_fat_id"}
)

// touchpointBody is what the page posts after consent.
type touchpointBody struct {
	ConsentID  string `json:"consent_id"`
	LandingURL string `json:"landing_url"`
	Referrer   string `json:"referrer"`
}

// touchpointResponse names the fields of the touchpoint that were kept.
type touchpointResponse struct {
	Stored []string `json:"stored"`
}

// parseWebURL parses an absolute http(s) URL of at most maxURL characters.
func parseWebURL(s string) (*url.URL, bool) {
	if len(s) > maxURL {
		return nil, false
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return nil, false
	}
	return u, true
}

// touchpointRoute is POST /api/kontor/touchpoints: re-reads the stored
// decision of the consent id and keeps only what it allows (201), setting
// the visitor id and first-click cookies; without analytics or advertising
// consent it keeps nothing and sets no cookie (204).
func touchpointRoute(e *core.RequestEvent) error {
	var body touchpointBody
	if err := readJSON(e, &body); err != nil {
		return err
	}
	errs := fielderr.Errors{}
	if !consentIDPattern.MatchString(body.ConsentID) {
		errs.Add("consent_id", "The consent id (consent_id) must be the banner's: 8 to 64 letters, digits or hyphens.")
	}
	landing, ok := parseWebURL(body.LandingURL)
	if !ok {
		errs.Add("landing_url", "The landing URL (landing_url) must be the page's http or https address, at most 2000 characters.")
	}
	var referrer *url.URL
	if body.Referrer != "" {
		if referrer, ok = parseWebURL(body.Referrer); !ok {
			errs.Add("referrer", "The referrer must be empty or an http or https address of at most 2000 characters.")
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}

	d, err := LatestDecision(e.App, body.ConsentID)
	if err != nil {
		return e.InternalServerError("", err)
	}
	analytics, advertising := Allows(d, Analytics), Allows(d, Advertising)
	if !analytics && !advertising {
		return e.NoContent(http.StatusNoContent)
	}

	visitorID := requestCookie(e.Request, VisitorCookie)
	newVisitor := !visitorIDPattern.MatchString(visitorID)
	if newVisitor {
		visitorID = newVisitorID()
	}

	collection, err := e.App.FindCachedCollectionByNameOrId(Touchpoints)
	if err != nil {
		return e.InternalServerError("", err)
	}
	t := core.NewRecord(collection)
	t.Set("visitor_id", visitorID)
	t.Set("consent_id", body.ConsentID)
	var stored []string
	set := func(field, value string, max int) {
		if value = truncate(strings.TrimSpace(value), max); value != "" {
			t.Set(field, value)
			stored = append(stored, field)
		}
	}
	query := landing.Query()
	if analytics {
		for _, p := range UTMParams {
			set(p, query.Get(p), 500)
		}
		if referrer != nil {
			ref := *referrer
			ref.Fragment, ref.RawFragment, ref.User = "", "", nil
			set("referrer_url", ref.String(), maxURL)
			set("referrer_host", strings.ToLower(referrer.Hostname()), 255)
		}
		page := *landing
		page.RawQuery, page.ForceQuery, page.Fragment, page.RawFragment, page.User = "", false, "", "", nil
		set("landing_page", page.String(), maxURL)
	}
	gclid := ""
	if advertising {
		for _, p := range ClickIDParams {
			set(p, query.Get(p), 512)
		}
		gclid = t.GetString("gclid")
	}
	if err := e.App.Save(t); err != nil {
		return apis.NewBadRequestError("The visit could not be stored.", err)
	}

	now := time.Now()
	if newVisitor {
		setCookie(e.Response, VisitorCookie, visitorID, VisitorCookieMaxAge, now)
	}
	if gclid != "" && clickIDPattern.MatchString(gclid) && !hasCookie(e.Request, FirstGclidCookie) {
		setCookie(e.Response, FirstGclidCookie, gclid, FirstGclidCookieMaxAge, now)
	}
	if stored == nil {
		stored = []string{}
	}
	return e.JSON(http.StatusCreated, touchpointResponse{Stored: stored})
}
