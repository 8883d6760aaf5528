package providerapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/plugins/sdk/providerapi"
)

// script answers each request with the next reply and records the bodies.
type script struct {
	mu      sync.Mutex
	replies []reply
	bodies  []string
	times   []time.Time
}

type reply struct {
	status     int
	retryAfter string
	body       string
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bodies = append(s.bodies, string(body))
	s.times = append(s.times, time.Now())
	rep := reply{status: 500, body: `{"error":{"type":"script_exhausted","message":"no more replies"}}`}
	if len(s.replies) > 0 {
		rep, s.replies = s.replies[0], s.replies[1:]
	}
	if rep.retryAfter != "" {
		w.Header().Set("Retry-After", rep.retryAfter)
	}
	w.WriteHeader(rep.status)
	io.WriteString(w, rep.body)
}

func readError(body []byte) (string, string) {
	var e struct {
		Error struct{ Type, Message string } `json:"error"`
	}
	_ = json.Unmarshal(body, &e)
	return e.Error.Type, e.Error.Message
}

var fast = providerapi.Retry{Attempts: 3, Wait: time.Millisecond, MaxWait: 2 * time.Second}

func TestDo(t *testing.T) {
	overloaded := reply{status: 529, body: `{"error":{"type":"overloaded_error","message":"Overloaded"}}`}
	limited := reply{status: 429, body: `{"error":{"type":"rate_limit_error","message":"Slow down"}}`}
	cases := []struct {
		name        string
		idempotent  bool
		replies     []reply
		calls       int
		body        string
		unavailable bool
		errText     string
	}{
		{"success after two outages", true, []reply{overloaded, {status: 502, body: "bad gateway"}, {status: 200, body: `{"ok":true}`}}, 3, `{"ok":true}`, false, ""},
		{"outage outlasts the retries", true, []reply{overloaded, overloaded, overloaded}, 3, "", true,
			"acme is unavailable, try again later (HTTP 529 overloaded_error, 3 attempts): Overloaded"},
		{"rate limited", true, []reply{limited, limited, limited}, 3, "", true, "HTTP 429 rate_limit_error, 3 attempts"},
		{"4xx is surfaced at once", true, []reply{{status: 400, body: `{"error":{"type":"invalid_request_error","message":"max_tokens: field required"}}`}}, 1, "", false,
			"acme rejected the request (HTTP 400 invalid_request_error): max_tokens: field required"},
		{"4xx without the provider's shape", true, []reply{{status: 404, body: "<html>nope</html>"}}, 1, "", false, "(HTTP 404): <html>nope</html>"},
		{"not idempotent: 500 is not retried", false, []reply{{status: 500, body: `{"error":{"type":"api_error","message":"boom"}}`}}, 1, "", true, "HTTP 500 api_error"},
		{"not idempotent: 503 is retried", false, []reply{{status: 503}, {status: 201, body: `{}`}}, 2, `{}`, false, ""},
		{"Retry-After longer than Kontor waits", true, []reply{{status: 429, retryAfter: "120", body: `{"error":{"type":"rate_limit_error","message":"Slow down"}}`}}, 1, "", true,
			"Slow down (it asks to wait 120, longer than Kontor waits)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &script{replies: tc.replies}
			srv := httptest.NewServer(s)
			defer srv.Close()
			c := providerapi.New("acme", srv.URL+"/", fast, readError)
			body, err := c.Do(context.Background(), providerapi.Request{Method: http.MethodPost, Path: "/v1/x", JSON: []byte(`{"a":1}`), Idempotent: tc.idempotent})
			if len(s.bodies) != tc.calls {
				t.Errorf("%d calls, want %d", len(s.bodies), tc.calls)
			}
			for _, b := range s.bodies {
				if b != `{"a":1}` {
					t.Errorf("body %q", b)
				}
			}
			if tc.errText == "" {
				if err != nil || string(body) != tc.body {
					t.Fatalf("got %q %v", body, err)
				}
				return
			}
			var pe *sdk.ProviderError
			if !errors.As(err, &pe) || pe.Unavailable != tc.unavailable || !strings.Contains(err.Error(), tc.errText) {
				t.Fatalf("got %v (%+v), want %q unavailable=%v", err, pe, tc.errText, tc.unavailable)
			}
			if pe.Attempts != tc.calls {
				t.Errorf("attempts %d, want %d", pe.Attempts, tc.calls)
			}
		})
	}
}

func TestHonoursRetryAfter(t *testing.T) {
	s := &script{replies: []reply{{status: 429, retryAfter: "1"}, {status: 200, body: "{}"}}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := providerapi.New("acme", srv.URL, fast, readError)
	if _, err := c.Do(context.Background(), providerapi.Request{Method: http.MethodGet, Path: "/", Idempotent: true}); err != nil {
		t.Fatal(err)
	}
	if d := s.times[1].Sub(s.times[0]); d < time.Second {
		t.Errorf("retried after %s despite Retry-After: 1", d)
	}
}

func TestNoAnswer(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	c := providerapi.New("acme", base, fast, readError)
	_, err := c.Do(context.Background(), providerapi.Request{Method: http.MethodPost, Path: "/", JSON: []byte("{}"), Idempotent: true})
	var pe *sdk.ProviderError
	if !errors.As(err, &pe) || !pe.Unavailable || pe.HTTPStatus != 0 || pe.Attempts != 3 || !strings.Contains(err.Error(), "acme is unavailable, try again later (no answer, 3 attempts)") {
		t.Fatalf("got %v %+v", err, pe)
	}
}

func TestDelay(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	r := providerapi.Retry{Attempts: 5, Wait: time.Second, MaxWait: 10 * time.Second}
	cases := []struct {
		attempt    int
		retryAfter string
		want       time.Duration
		ok         bool
	}{
		{1, "", time.Second, true},
		{2, "", 2 * time.Second, true},
		{3, "", 4 * time.Second, true},
		{5, "", 10 * time.Second, true},
		{1, "7", 7 * time.Second, true},
		{1, "11", 0, false},
		{1, "Mon, 02 Mar 2026 10:00:05 GMT", 5 * time.Second, true},
		{1, "Mon, 02 Mar 2026 09:00:00 GMT", 0, true},
		{2, "soon", 2 * time.Second, true},
	}
	for _, tc := range cases {
		got, ok := r.Delay(tc.attempt, tc.retryAfter, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Delay(%d, %q) = %s %v, want %s %v", tc.attempt, tc.retryAfter, got, ok, tc.want, tc.ok)
		}
	}
}
