package security

import (
	"net/netip"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// TrustedProxiesPriority runs the trusted-proxy middleware before every
// other, PocketBase's logger and rate limiter included, so that all of
// them, and every e.RealIP() of Kontor, see only headers a trusted proxy
// set.
const TrustedProxiesPriority = apis.DefaultWWWRedirectMiddlewarePriority + 1

// forwardingHeaders are the headers through which a client could pass
// itself off as another address or as HTTPS; they are dropped from a
// request that does not come from a trusted proxy, whatever the settings
// say.
var forwardingHeaders = []string{
	"X-Forwarded-For", "X-Real-Ip", "Cf-Connecting-Ip", "True-Client-Ip", "Fly-Client-Ip",
	"Forwarded", "X-Forwarded-Proto", "X-Forwarded-Host",
}

// trustedProxies drops the client-IP headers of a request whose TCP peer
// is not a trusted proxy, and reduces X-Forwarded-For from a trusted one to
// the client's address: the nearest one, from the right, that is not
// itself a trusted proxy.
func (s *Security) trustedProxies(e *core.RequestEvent) error {
	h := e.Request.Header
	if !s.trusted(e.RemoteIP()) {
		for _, name := range forwardingHeaders {
			h.Del(name)
		}
		for _, name := range e.App.Settings().TrustedProxy.Headers {
			h.Del(name)
		}
		for _, name := range s.cfg.ProxyHeaders {
			h.Del(name)
		}
		return e.Next()
	}
	if values := h.Values("X-Forwarded-For"); len(values) > 0 {
		if client := s.forwardedClient(strings.Join(values, ",")); client != "" {
			h.Set("X-Forwarded-For", client)
		} else {
			h.Del("X-Forwarded-For")
		}
	}
	return e.Next()
}

// trusted reports whether the address is one of a trusted proxy.
func (s *Security) trusted(ip string) bool {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	addr = addr.Unmap().WithZone("")
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// forwardedClient is the client of an X-Forwarded-For list: from the
// right, the first valid address that is not a trusted proxy; the leftmost
// valid one when all are; "" when none is valid.
func (s *Security) forwardedClient(list string) string {
	parts := strings.Split(list, ",")
	leftmost := ""
	for i := len(parts) - 1; i >= 0; i-- {
		addr, err := netip.ParseAddr(strings.TrimSpace(parts[i]))
		if err != nil {
			continue
		}
		leftmost = addr.Unmap().String()
		if !s.trusted(leftmost) {
			return leftmost
		}
	}
	return leftmost
}
