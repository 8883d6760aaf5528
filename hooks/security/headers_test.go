package security_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/hooks/security"
)

// Every answer carries the security headers, with the policy of its part
// of the site; HSTS only over HTTPS, which only a trusted proxy can
// vouch for.
func TestSecurityHeaders(t *testing.T) {
	direct := newServer(t, nil)
	proxied := newServer(t, behindProxy)
	https := map[string]string{"X-Forwarded-Proto": "https"}

	cases := []struct {
		name    string
		s       *server
		path    string
		headers map[string]string
		csp     string
		frame   string
		hsts    bool
	}{
		{"API", direct, "/api/health", nil, security.APIPolicy, "DENY", false},
		{"API error", direct, "/api/collections/nosuch/records", nil, security.APIPolicy, "DENY", false},
		// PocketBase's dashboard sets its own policy when none is set
		// (apis.Serve serves it; this in-process server does not)
		{"dashboard: left to PocketBase", direct, "/_/", nil, "", "SAMEORIGIN", false},
		{"client config", direct, "/api/kontor/client-config", nil, security.APIPolicy, "DENY", false},
		{"HTTPS claimed by a client", direct, "/api/health", https, security.APIPolicy, "DENY", false},
		{"HTTPS through the trusted proxy", proxied, "/api/health", https, security.APIPolicy, "DENY", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.s.request(t, http.MethodGet, c.path, nil, c.headers)
			h := r.Header
			if h.Get("Content-Security-Policy") != c.csp || h.Get("X-Frame-Options") != c.frame ||
				h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "same-origin" {
				t.Errorf("%d headers %v", r.Status, h)
			}
			if got := h.Get("Strict-Transport-Security"); (got == security.HSTS) != c.hsts || (!c.hsts && got != "") {
				t.Errorf("HSTS %q", got)
			}
		})
	}

	for _, p := range []string{security.UIPolicy, security.APIPolicy} {
		if strings.Contains(p, "unsafe-inline' 'unsafe-eval") || strings.Contains(strings.Split(p, "style-src")[0], "unsafe") {
			t.Errorf("the policy allows inline scripts: %s", p)
		}
	}
}
