package security_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/kontor-app/kontor/hooks/security"
)

func TestConfigFromEnv(t *testing.T) {
	cases := []struct {
		name    string
		env     map[string]string
		check   func(c security.Config) string // "" when right
		wantErr bool
	}{
		{"defaults", nil, func(c security.Config) string {
			return want(len(c.TrustedProxies) == 0 && c.ProxyHeaders[0] == "X-Forwarded-For" && c.RateLimit == "on" &&
				c.LockoutFailures == 5 && c.IPFailures == 50 && c.LockoutWindow == 15*time.Minute && c.LockoutCoolOff == 15*time.Minute &&
				c.AuthTokenTTL == time.Hour && c.IdleTimeout == 30*time.Minute, c)
		}, false},
		{"proxies", map[string]string{"KONTOR_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.7 ,::1,2001:db8::/32", "KONTOR_TRUSTED_PROXY_HEADERS": "cf-connecting-ip"},
			func(c security.Config) string {
				return want(fmt.Sprint(c.TrustedProxies) == "[10.0.0.0/8 192.168.1.7/32 ::1/128 2001:db8::/32]" &&
					fmt.Sprint(c.ProxyHeaders) == "[Cf-Connecting-Ip]", c)
			}, false},
		{"set", map[string]string{"KONTOR_RATE_LIMIT": " OFF ", "KONTOR_LOCKOUT_FAILURES": "3", "KONTOR_LOCKOUT_IP_FAILURES": "20",
			"KONTOR_LOCKOUT_WINDOW": "1h", "KONTOR_LOCKOUT_COOLOFF": "5m", "KONTOR_AUTH_TOKEN_TTL": "15m", "KONTOR_IDLE_TIMEOUT": "10m"},
			func(c security.Config) string {
				return want(c.RateLimit == "off" && c.LockoutFailures == 3 && c.IPFailures == 20 && c.LockoutWindow == time.Hour &&
					c.LockoutCoolOff == 5*time.Minute && c.AuthTokenTTL == 15*time.Minute && c.IdleTimeout == 10*time.Minute, c)
			}, false},
		{"dashboard", map[string]string{"KONTOR_RATE_LIMIT": "dashboard"}, func(c security.Config) string { return want(c.RateLimit == "dashboard", c) }, false},
		{"proxy not an address", map[string]string{"KONTOR_TRUSTED_PROXIES": "proxy.local"}, nil, true},
		{"header with a colon", map[string]string{"KONTOR_TRUSTED_PROXY_HEADERS": "X-Real-IP: 1"}, nil, true},
		{"rate limit unknown", map[string]string{"KONTOR_RATE_LIMIT": "sometimes"}, nil, true},
		{"failures zero", map[string]string{"KONTOR_LOCKOUT_FAILURES": "0"}, nil, true},
		{"failures not a number", map[string]string{"KONTOR_LOCKOUT_FAILURES": "five"}, nil, true},
		{"IP limit below the account limit", map[string]string{"KONTOR_LOCKOUT_FAILURES": "10", "KONTOR_LOCKOUT_IP_FAILURES": "5"}, nil, true},
		{"window not a duration", map[string]string{"KONTOR_LOCKOUT_WINDOW": "15"}, nil, true},
		{"idle too short", map[string]string{"KONTOR_IDLE_TIMEOUT": "10s"}, nil, true},
		{"token too long", map[string]string{"KONTOR_AUTH_TOKEN_TTL": "365d"}, nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := security.ConfigFromEnv(func(k string) string { return c.env[k] })
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v", err)
			}
			if c.check != nil {
				if msg := c.check(got); msg != "" {
					t.Error(msg)
				}
			}
		})
	}
}

func want(ok bool, c security.Config) string {
	if ok {
		return ""
	}
	return fmt.Sprintf("got %+v", c)
}
