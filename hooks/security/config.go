package security

import (
	"fmt"
	"net/netip"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/kontor-app/kontor/secret"
)

// The rate limiter modes of KONTOR_RATE_LIMIT.
const (
	// RateLimitOn turns PocketBase's rate limiter on with Kontor's rules
	// (DefaultRateLimitRules) at every start.
	RateLimitOn = "on"
	// RateLimitOff turns it off, e.g. for a load benchmark.
	RateLimitOff = "off"
	// RateLimitDashboard leaves it as set in the dashboard.
	RateLimitDashboard = "dashboard"
)

// Config tunes the capability; zero fields take the defaults below.
type Config struct {
	// TrustedProxies are the networks of the reverse proxies whose
	// client-IP headers are believed (KONTOR_TRUSTED_PROXIES); none
	// believes no header, and the client is the TCP peer.
	TrustedProxies []netip.Prefix
	// ProxyHeaders are the headers that carry the client's IP from a
	// trusted proxy, in the order they are read
	// (KONTOR_TRUSTED_PROXY_HEADERS, default X-Forwarded-For).
	ProxyHeaders []string
	// RateLimit is RateLimitOn (default), RateLimitOff or
	// RateLimitDashboard (KONTOR_RATE_LIMIT).
	RateLimit string

	// LockoutFailures failed sign-ins of one account from one IP within
	// LockoutWindow lock that pair for LockoutCoolOff
	// (KONTOR_LOCKOUT_FAILURES, default 5; KONTOR_LOCKOUT_WINDOW and
	// KONTOR_LOCKOUT_COOLOFF, default 15m).
	LockoutFailures int
	LockoutWindow   time.Duration
	LockoutCoolOff  time.Duration
	// IPFailures failed sign-ins from one IP within LockoutWindow, whatever
	// the accounts, lock that IP for LockoutCoolOff
	// (KONTOR_LOCKOUT_IP_FAILURES, default 50).
	IPFailures int

	// AuthTokenTTL is how long a user's auth token lasts; the web UI
	// refreshes it while in use (KONTOR_AUTH_TOKEN_TTL, default 1h).
	AuthTokenTTL time.Duration
	// IdleTimeout is how long the web UI stays signed in without input
	// (KONTOR_IDLE_TIMEOUT, default 30m).
	IdleTimeout time.Duration

	// RetentionSchedule is the cron expression of the daily retention job;
	// empty is DefaultRetentionSchedule.
	RetentionSchedule string

	// Secrets is the key ring sealed fields are re-encrypted with, and
	// Sealed the fields; hooks.Register sets both.
	Secrets *secret.Box
	Sealed  []SealedField
}

// The defaults.
const (
	DefaultLockoutFailures = 5
	DefaultLockoutWindow   = 15 * time.Minute
	DefaultLockoutCoolOff  = 15 * time.Minute
	DefaultIPFailures      = 50
	DefaultAuthTokenTTL    = time.Hour
	DefaultIdleTimeout     = 30 * time.Minute
)

// DefaultProxyHeaders is the header read from a trusted proxy when none is
// configured.
var DefaultProxyHeaders = []string{"X-Forwarded-For"}

// withDefaults fills the zero fields.
func (c Config) withDefaults() Config {
	if len(c.ProxyHeaders) == 0 {
		c.ProxyHeaders = DefaultProxyHeaders
	}
	if c.RateLimit == "" {
		c.RateLimit = RateLimitOn
	}
	if c.LockoutFailures == 0 {
		c.LockoutFailures = DefaultLockoutFailures
	}
	if c.LockoutWindow == 0 {
		c.LockoutWindow = DefaultLockoutWindow
	}
	if c.LockoutCoolOff == 0 {
		c.LockoutCoolOff = DefaultLockoutCoolOff
	}
	if c.IPFailures == 0 {
		c.IPFailures = DefaultIPFailures
	}
	if c.AuthTokenTTL == 0 {
		c.AuthTokenTTL = DefaultAuthTokenTTL
	}
	if c.IdleTimeout == 0 {
		c.IdleTimeout = DefaultIdleTimeout
	}
	if c.RetentionSchedule == "" {
		c.RetentionSchedule = DefaultRetentionSchedule
	}
	return c
}

// summary says in a line how the capability is set, for the log at start.
func (c Config) summary() string {
	proxies := "no trusted proxy (client IP = TCP peer)"
	if len(c.TrustedProxies) > 0 {
		var list []string
		for _, p := range c.TrustedProxies {
			list = append(list, p.String())
		}
		proxies = "client IP from " + strings.Join(c.ProxyHeaders, ", ") + " of " + strings.Join(list, ", ")
	}
	return fmt.Sprintf("%s; rate limiter %s; lockout after %d failures per account+IP (%d per IP) in %s for %s; auth tokens %s, idle sign-out %s",
		proxies, c.RateLimit, c.LockoutFailures, c.IPFailures, c.LockoutWindow, c.LockoutCoolOff, c.AuthTokenTTL, c.IdleTimeout)
}

// ConfigFromEnv reads the KONTOR_* variables of the capability through
// getenv. A malformed value is an error rather than a silent default.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{}.withDefaults()

	for _, item := range strings.Split(getenv("KONTOR_TRUSTED_PROXIES"), ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		p, err := netip.ParsePrefix(item)
		if err != nil {
			addr, aerr := netip.ParseAddr(item)
			if aerr != nil {
				return c, fmt.Errorf("KONTOR_TRUSTED_PROXIES must be IP addresses or CIDR ranges such as 10.0.0.0/8, separated by commas; %q is neither", item)
			}
			p = netip.PrefixFrom(addr.Unmap(), addr.Unmap().BitLen())
		}
		c.TrustedProxies = append(c.TrustedProxies, p.Masked())
	}

	if v := strings.TrimSpace(getenv("KONTOR_TRUSTED_PROXY_HEADERS")); v != "" {
		c.ProxyHeaders = nil
		for _, h := range strings.Split(v, ",") {
			h = strings.TrimSpace(h)
			if h == "" {
				continue
			}
			if strings.ContainsAny(h, " :\t\"") {
				return c, fmt.Errorf("KONTOR_TRUSTED_PROXY_HEADERS must be header names such as X-Forwarded-For or CF-Connecting-IP, got %q", h)
			}
			c.ProxyHeaders = append(c.ProxyHeaders, textproto.CanonicalMIMEHeaderKey(h))
		}
	}

	switch v := strings.ToLower(strings.TrimSpace(getenv("KONTOR_RATE_LIMIT"))); v {
	case "":
	case RateLimitOn, RateLimitOff, RateLimitDashboard:
		c.RateLimit = v
	default:
		return c, fmt.Errorf("KONTOR_RATE_LIMIT must be on, off or dashboard, got %q", v)
	}

	counts := []struct {
		name     string
		target   *int
		min, max int
	}{
		{"KONTOR_LOCKOUT_FAILURES", &c.LockoutFailures, 1, 100},
		{"KONTOR_LOCKOUT_IP_FAILURES", &c.IPFailures, 1, 10000},
	}
	for _, n := range counts {
		v := strings.TrimSpace(getenv(n.name))
		if v == "" {
			continue
		}
		i, err := strconv.Atoi(v)
		if err != nil || i < n.min || i > n.max {
			return c, fmt.Errorf("%s must be a whole number from %d to %d, got %q", n.name, n.min, n.max, v)
		}
		*n.target = i
	}

	durations := []struct {
		name     string
		target   *time.Duration
		min, max time.Duration
	}{
		{"KONTOR_LOCKOUT_WINDOW", &c.LockoutWindow, time.Minute, 24 * time.Hour},
		{"KONTOR_LOCKOUT_COOLOFF", &c.LockoutCoolOff, time.Minute, 24 * time.Hour},
		{"KONTOR_AUTH_TOKEN_TTL", &c.AuthTokenTTL, 5 * time.Minute, 30 * 24 * time.Hour},
		{"KONTOR_IDLE_TIMEOUT", &c.IdleTimeout, time.Minute, 24 * time.Hour},
	}
	for _, d := range durations {
		v := strings.TrimSpace(getenv(d.name))
		if v == "" {
			continue
		}
		x, err := time.ParseDuration(v)
		if err != nil || x < d.min || x > d.max {
			return c, fmt.Errorf("%s must be a duration from %s to %s such as 15m or 1h, got %q", d.name, d.min, d.max, v)
		}
		*d.target = x
	}
	if c.LockoutFailures > c.IPFailures {
		return c, fmt.Errorf("KONTOR_LOCKOUT_IP_FAILURES (%d) must be at least KONTOR_LOCKOUT_FAILURES (%d)", c.IPFailures, c.LockoutFailures)
	}
	return c, nil
}
