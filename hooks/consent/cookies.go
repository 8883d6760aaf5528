package consent

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"regexp"
	"time"
)

// The cookies this package sets. Both are HttpOnly: only the server reads
// them.
const (
	// VisitorCookie holds the pseudonymous visitor id of a browser that
	// allowed analytics or advertising.
	VisitorCookie = "kontor_vid"
	// FirstGclidCookie holds the first Google click id a browser that
	// allowed advertising arrived with; it is never overwritten.
	FirstGclidCookie = "kontor_first_gclid"
	// GACookie is Google Analytics' own cookie, read at sign-up for the
	// client id.
	GACookie = "_ga"
)

// The lifetimes of the cookies: 13 months for the visitor id (the longest
// the CNIL accepts for an audience measurement cookie, not extended by later
// visits), 90 days for the first click id (Google Ads' click-through window).
const (
	VisitorCookieMaxAge    = 396 * 24 * time.Hour
	FirstGclidCookieMaxAge = 90 * 24 * time.Hour
)

var (
	visitorIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)
	// clickIDPattern is what Kontor accepts as a click id in a cookie:
	// Google's are base64url-like.
	clickIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,512}$`)
)

// newVisitorID returns a random 128-bit id in hex.
func newVisitorID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

// requestCookie is the value of the request's cookie, "" without one.
func requestCookie(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return c.Value
}

// hasCookie reports whether the request carries the cookie at all.
func hasCookie(r *http.Request, name string) bool {
	_, err := r.Cookie(name)
	return err == nil
}

// setCookie sets a first-party cookie that only the server reads.
func setCookie(w http.ResponseWriter, name, value string, maxAge time.Duration, now time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/",
		MaxAge: int(maxAge / time.Second), Expires: now.Add(maxAge).UTC(),
		HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode,
	})
}

// expireCookie tells the browser to drop the cookie now.
func expireCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: "", Path: "/",
		MaxAge: -1, Expires: time.Unix(0, 0).UTC(),
		HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode,
	})
}
