package security

import (
	"encoding/json"
	"slices"

	"github.com/pocketbase/pocketbase/core"
)

// DefaultRateLimitRules are the rules of PocketBase's rate limiter that
// KONTOR_RATE_LIMIT=on sets, each per client IP (e.RealIP(), as the
// trusted-proxy middleware left it): signing in tight, asking for emails
// tighter, creating moderate, the rest of the API generous.
var DefaultRateLimitRules = []core.RateLimitRule{
	{Label: "*:auth", MaxRequests: 10, Duration: 60},
	{Label: "*:requestPasswordReset", MaxRequests: 5, Duration: 300},
	{Label: "*:requestVerification", MaxRequests: 5, Duration: 300},
	{Label: "*:requestOTP", MaxRequests: 5, Duration: 300},
	{Label: "*:requestEmailChange", MaxRequests: 5, Duration: 300},
	{Label: "*:authRefresh", MaxRequests: 60, Duration: 60},
	{Label: "*:create", MaxRequests: 30, Duration: 10},
	{Label: "/api/batch", MaxRequests: 5, Duration: 1},
	{Label: "/api/", MaxRequests: 600, Duration: 10},
}

// applySettings makes the app's settings and the users' token duration
// what the configuration says, saving them when they differ.
func (s *Security) applySettings(app core.App) error {
	settings := app.Settings()
	before, _ := json.Marshal(struct{ A, B any }{settings.RateLimits, settings.TrustedProxy})

	settings.TrustedProxy.Headers = slices.Clone(s.cfg.ProxyHeaders)
	settings.TrustedProxy.UseLeftmostIP = false
	switch s.cfg.RateLimit {
	case RateLimitOn:
		settings.RateLimits.Enabled = true
		settings.RateLimits.Rules = slices.Clone(DefaultRateLimitRules)
	case RateLimitOff:
		settings.RateLimits.Enabled = false
	}

	after, _ := json.Marshal(struct{ A, B any }{settings.RateLimits, settings.TrustedProxy})
	if string(before) != string(after) {
		if err := app.Save(settings); err != nil {
			return err
		}
	}
	return s.applyTokenDuration(app)
}
