package providerapi_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/plugins/sdk/providerapi"
)

// TestStream retries what fails before the answer, as Do does, and hands
// over the 2xx answer's body unread.
func TestStream(t *testing.T) {
	overloaded := reply{status: 529, body: `{"error":{"type":"overloaded_error","message":"Overloaded"}}`}
	events := "event: ping\ndata: {\"type\":\"ping\"}\n\n"
	cases := []struct {
		name    string
		replies []reply
		calls   int
		body    string
		errText string
	}{
		{"answered after an outage", []reply{overloaded, {status: 200, body: events}}, 2, events, ""},
		{"outage outlasts the retries", []reply{overloaded, overloaded, overloaded}, 3, "",
			"acme is unavailable, try again later (HTTP 529 overloaded_error, 3 attempts): Overloaded"},
		{"rejected", []reply{{status: 400, body: `{"error":{"type":"invalid_request_error","message":"stream: bad"}}`}}, 1, "",
			"acme rejected the request (HTTP 400 invalid_request_error): stream: bad"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &script{replies: tc.replies}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
				s.ServeHTTP(w, r)
			}))
			defer srv.Close()
			c := providerapi.New("acme", srv.URL, fast, readError)
			body, mediaType, err := c.Stream(context.Background(), providerapi.Request{Method: "POST", Path: "/v1/stream", JSON: []byte(`{"stream":true}`), Idempotent: true})
			if len(s.bodies) != tc.calls {
				t.Errorf("%d calls, want %d", len(s.bodies), tc.calls)
			}
			if tc.errText != "" {
				var pe *sdk.ProviderError
				if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.errText) {
					t.Fatalf("got %v, want %q", err, tc.errText)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer body.Close()
			got, _ := io.ReadAll(body)
			if string(got) != tc.body || s.bodies[0] != `{"stream":true}` || mediaType != "text/event-stream" {
				t.Fatalf("body %q (%s), sent %q", got, mediaType, s.bodies)
			}
		})
	}
}
