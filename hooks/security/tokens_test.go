package security_test

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Users' tokens last KONTOR_AUTH_TOKEN_TTL, and the web UI learns the idle
// timeout and the token's life from a public route.
func TestTokensAndClientConfig(t *testing.T) {
	cases := []struct {
		name        string
		env         map[string]string
		idle, token int
	}{
		{"defaults", nil, 1800, 3600},
		{"configured", map[string]string{"KONTOR_IDLE_TIMEOUT": "10m", "KONTOR_AUTH_TOKEN_TTL": "20m"}, 600, 1200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newServer(t, c.env)
			r := s.Do(t, "", http.MethodGet, "/api/kontor/client-config", nil)
			if r.Status != http.StatusOK || r.String("idle_timeout_seconds") != strconv.Itoa(c.idle) ||
				r.String("auth_token_seconds") != strconv.Itoa(c.token) || r.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("%d %s", r.Status, r.Raw)
			}
			u := s.SignUp(t, "ada@example.com")
			parts := strings.Split(u.Token, ".")
			if len(parts) != 3 {
				t.Fatalf("token %q", u.Token)
			}
			raw, err := base64.RawURLEncoding.DecodeString(parts[1])
			if err != nil {
				t.Fatal(err)
			}
			var claims struct {
				Exp float64 `json:"exp"`
			}
			if err := json.Unmarshal(raw, &claims); err != nil {
				t.Fatal(err)
			}
			left := time.Until(time.Unix(int64(claims.Exp), 0)).Seconds()
			if math.Abs(left-float64(c.token)) > 30 {
				t.Errorf("the token lasts %.0f s, want %d", left, c.token)
			}
			if r := s.Do(t, u.Token, http.MethodPost, "/api/collections/users/auth-refresh", nil); r.Status != http.StatusOK {
				t.Errorf("refresh: %d", r.Status)
			}
		})
	}
}
