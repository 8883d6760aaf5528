package security_test

import (
	"net/http"
	"testing"
)

// The client's IP comes from X-Forwarded-For (or the configured header)
// only when the request's TCP peer is a trusted proxy: the nearest address
// that is not itself a proxy. From anyone else the header is dropped.
func TestRealIP(t *testing.T) {
	noProxy := newServer(t, nil)
	otherProxy := newServer(t, map[string]string{"KONTOR_TRUSTED_PROXIES": "10.0.0.0/8", "KONTOR_TRUSTED_PROXY_HEADERS": "CF-Connecting-IP, X-Forwarded-For"})
	proxy := newServer(t, map[string]string{"KONTOR_TRUSTED_PROXIES": "127.0.0.1"})
	chain := newServer(t, map[string]string{"KONTOR_TRUSTED_PROXIES": "127.0.0.0/8, 10.0.0.0/8", "KONTOR_TRUSTED_PROXY_HEADERS": "CF-Connecting-IP, X-Forwarded-For"})

	cases := []struct {
		name    string
		s       *server
		headers map[string]string
		want    string
	}{
		{"no proxy configured: spoofed header ignored", noProxy, map[string]string{"X-Forwarded-For": "203.0.113.9"}, "127.0.0.1"},
		{"peer not a trusted proxy: X-Forwarded-For ignored", otherProxy, map[string]string{"X-Forwarded-For": "203.0.113.9"}, "127.0.0.1"},
		{"peer not a trusted proxy: CF-Connecting-IP ignored", otherProxy, map[string]string{"CF-Connecting-IP": "203.0.113.9"}, "127.0.0.1"},
		{"trusted proxy", proxy, map[string]string{"X-Forwarded-For": "203.0.113.9"}, "203.0.113.9"},
		{"trusted proxy, the client prepends a lie", proxy, map[string]string{"X-Forwarded-For": "198.51.100.1, 203.0.113.9"}, "203.0.113.9"},
		{"trusted proxy, garbage", proxy, map[string]string{"X-Forwarded-For": "not-an-ip"}, "127.0.0.1"},
		{"a header not configured is ignored even from a proxy", proxy, map[string]string{"CF-Connecting-IP": "203.0.113.9"}, "127.0.0.1"},
		{"two trusted proxies in a row", chain, map[string]string{"X-Forwarded-For": "198.51.100.1, 203.0.113.9, 10.1.2.3"}, "203.0.113.9"},
		{"the configured header first", chain, map[string]string{"CF-Connecting-IP": "2001:db8::7", "X-Forwarded-For": "203.0.113.9"},
			"2001:0db8:0000:0000:0000:0000:0000:0007"},
	}
	roots := map[*server]string{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if roots[c.s] == "" {
				roots[c.s] = c.s.superuser(t, "root@example.com")
			}
			headers := map[string]string{"Authorization": roots[c.s]}
			for k, v := range c.headers {
				headers[k] = v
			}
			r := c.s.request(t, http.MethodGet, "/api/health", nil, headers)
			if r.Status != http.StatusOK || r.String("data.realIP") != c.want {
				t.Errorf("realIP %q, want %q (%d %s)", r.String("data.realIP"), c.want, r.Status, r.Raw)
			}
		})
	}
}
