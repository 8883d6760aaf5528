package security

import (
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// HeadersPriority runs the security headers middleware right after
// PocketBase's own (whose X-Frame-Options it replaces) and before its rate
// limiter, so that refusals carry the headers too. A handler that sets a
// header of its own, such as the buyer pages' stricter
// Content-Security-Policy (hooks/publicpage), overrides it.
const HeadersPriority = apis.DefaultSecurityHeadersMiddlewarePriority + 1

// The Content-Security-Policies.
const (
	// UIPolicy is the web UI's: scripts only from the server's own files,
	// never inline, no eval. Styles may be inline because the UI's views
	// set style attributes; a style cannot run code.
	UIPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
		"font-src 'self'; connect-src 'self'; frame-src 'self' blob:; worker-src 'self' blob:; object-src 'none'; " +
		"base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
	// APIPolicy is the API's: a JSON answer loads nothing and is never
	// framed.
	APIPolicy = "default-src 'none'; frame-ancestors 'none'"
)

// HSTS is the Strict-Transport-Security of an HTTPS answer: one year,
// without includeSubDomains or preload, which the host decides.
const HSTS = "max-age=31536000"

// securityHeaders sets the security headers of every answer.
func (s *Security) securityHeaders(e *core.RequestEvent) error {
	h := e.Response.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	path := e.Request.URL.Path
	switch {
	case path == "/_" || strings.HasPrefix(path, "/_/"), strings.HasPrefix(path, "/api/files/"):
		// PocketBase's dashboard and file downloads set their own policy
		// when none is set: the dashboard's (script-src 'self',
		// frame-ancestors 'none') and the files' (default-src 'none',
		// sandbox), both tested by PocketBase
	case strings.HasPrefix(path, "/api/"):
		h.Set("Content-Security-Policy", APIPolicy)
		h.Set("X-Frame-Options", "DENY")
	default:
		h.Set("Content-Security-Policy", UIPolicy)
		h.Set("X-Frame-Options", "DENY")
	}
	if isHTTPS(e) {
		h.Set("Strict-Transport-Security", HSTS)
	}
	return e.Next()
}

// isHTTPS reports whether the client reached Kontor over HTTPS: TLS to
// Kontor itself, or X-Forwarded-Proto from a trusted proxy (from anyone
// else the header was dropped).
func isHTTPS(e *core.RequestEvent) bool {
	if e.Request.TLS != nil {
		return true
	}
	proto, _, _ := strings.Cut(e.Request.Header.Get("X-Forwarded-Proto"), ",")
	return strings.EqualFold(strings.TrimSpace(proto), "https")
}
