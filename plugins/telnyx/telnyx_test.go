package telnyx_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/plugins/sdk/providerapi"
	"github.com/kontor-app/kontor/plugins/telnyx"
)

const (
	apiKey = "KEY0188ABCDEF_test"
	connID = "1494404757140276705"
	cb     = "https://kontor.example/api/kontor/webhooks/calls/telnyx/ws1"
)

type call struct {
	method, path string
	header       http.Header
	body         string
}

type reply struct {
	status int
	body   string
}

// fake speaks Telnyx's Voice API: each call gets the next reply.
type fake struct {
	mu      sync.Mutex
	calls   []call
	replies []reply
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call{r.Method, r.URL.Path, r.Header.Clone(), string(body)})
	rep := reply{500, `{"errors":[{"code":"10007","title":"Unexpected error","detail":"unexpected call"}]}`}
	if len(f.replies) > 0 {
		rep, f.replies = f.replies[0], f.replies[1:]
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rep.status)
	io.WriteString(w, rep.body)
}

func serve(t *testing.T, replies ...reply) (*fake, map[string]string) {
	f := &fake{replies: replies}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, map[string]string{"api_key": apiKey, "connection_id": connID, "base_url": srv.URL}
}

var provider = telnyx.Provider{Retry: providerapi.Retry{Attempts: 3, Wait: time.Millisecond, MaxWait: time.Second}}

// dialed is Telnyx's answer to POST /v2/calls, in its documented shape.
const dialed = `{"data":{"call_control_id":"v3:MdI91X4lWFEs7IgbBEOT9M4AigoY08M0WWZFISt1Yw2axZ_IiE4pqg","call_leg_id":"2dc6fc34-f9e0-11ea-b68e-02420a0f7768",
	"call_session_id":"2dc1b3c8-f9e0-11ea-bc5a-02420a0f7768","is_alive":false,"record_type":"call"}}`

const ok = `{"data":{"result":"ok"}}`

func request(record bool) sdk.CallRequest {
	req := sdk.CallRequest{From: "+4930901820", AgentPhone: "+4915112345678", To: "+4917698765432", StatusCallbackURL: cb, Reference: "act_42"}
	if record {
		req.Record, req.AnnounceRecording = true, "This call is recorded."
	}
	return req
}

func sameJSON(t *testing.T, got, want string) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("body %q: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(g, w)
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestDescribe(t *testing.T) {
	if err := sdk.Check(telnyx.Provider{}); err != nil {
		t.Fatal(err)
	}
	if d := (telnyx.Provider{}).Describe(); d.Kind != sdk.KindTelephony || d.Name != "telnyx" {
		t.Fatalf("%+v", d)
	}
}

// TestCall asserts the exact request Telnyx gets: the user's phone is
// dialled, the rest of the call travels in client_state.
func TestCall(t *testing.T) {
	cases := []struct {
		name   string
		record bool
		state  string
	}{
		{"no recording", false, `{"ref":"act_42","leg":"agent","to":"+4917698765432","from":"+4930901820"}`},
		{"recording", true, `{"ref":"act_42","leg":"agent","to":"+4917698765432","from":"+4930901820","rec":true,"say":"This call is recorded."}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, settings := serve(t, reply{200, dialed})
			req := request(tc.record)
			req.Settings = settings
			res, err := provider.Call(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if res.ProviderCallID != "v3:MdI91X4lWFEs7IgbBEOT9M4AigoY08M0WWZFISt1Yw2axZ_IiE4pqg" || res.Status != sdk.CallInitiated {
				t.Errorf("%+v", res)
			}
			c := f.calls[0]
			if c.method != http.MethodPost || c.path != "/v2/calls" || c.header.Get("Authorization") != "Bearer "+apiKey || c.header.Get("Content-Type") != "application/json" {
				t.Errorf("%s %s %v", c.method, c.path, c.header)
			}
			want := `{"connection_id":"` + connID + `","to":"+4915112345678","from":"+4930901820","client_state":"` + b64(tc.state) + `",
				"webhook_url":"` + cb + `","webhook_url_method":"POST"}`
			if !sameJSON(t, c.body, want) {
				t.Errorf("body\n got %s\nwant %s", c.body, want)
			}
		})
	}
}

func TestCallErrors(t *testing.T) {
	invalid := `{"errors":[{"code":"10015","title":"Invalid value for to","detail":"The 'to' parameter must be a valid E.164 number.","source":{"pointer":"/to"}}]}`
	down := `{"errors":[{"code":"10009","title":"Service unavailable","detail":"Please retry later."}]}`
	cases := []struct {
		name        string
		replies     []reply
		calls       int
		unavailable bool
		errText     string
	}{
		{"rejected", []reply{{422, invalid}}, 1, false, "telnyx rejected the request (HTTP 422 10015): Invalid value for to: The 'to' parameter must be a valid E.164 number."},
		{"outage retried, then answered", []reply{{503, down}, {429, down}, {200, dialed}}, 3, false, ""},
		{"outage throughout", []reply{{503, down}, {503, down}, {503, down}}, 3, true, "telnyx is unavailable, try again later (HTTP 503 10009, 3 attempts): Service unavailable: Please retry later."},
		{"502 is not retried: the call may exist", []reply{{502, down}}, 1, true, "HTTP 502 10009"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, settings := serve(t, tc.replies...)
			req := request(false)
			req.Settings = settings
			res, err := provider.Call(context.Background(), req)
			if len(f.calls) != tc.calls {
				t.Errorf("%d calls, want %d", len(f.calls), tc.calls)
			}
			if tc.errText == "" {
				if err != nil || res.ProviderCallID == "" {
					t.Fatalf("%+v %v", res, err)
				}
				return
			}
			var pe *sdk.ProviderError
			if !errors.As(err, &pe) || pe.Unavailable != tc.unavailable || !strings.Contains(err.Error(), tc.errText) {
				t.Fatalf("got %v, want %q", err, tc.errText)
			}
		})
	}
}

func TestInvalidCalls(t *testing.T) {
	f, settings := serve(t)
	cases := []struct {
		name string
		edit func(*sdk.CallRequest)
		want string
	}{
		{"no key", func(r *sdk.CallRequest) { r.Settings = map[string]string{"connection_id": connID} }, "api_key setting is not set"},
		{"no connection", func(r *sdk.CallRequest) { delete(r.Settings, "connection_id") }, "connection_id setting is not set"},
		{"bad number", func(r *sdk.CallRequest) { r.AgentPhone = "0151 123" }, `agent_phone "0151 123" is not a phone number in E.164`},
		{"recording without announcement", func(r *sdk.CallRequest) { r.Record = true }, "needs the announcement"},
		{"no callback", func(r *sdk.CallRequest) { r.StatusCallbackURL = "" }, "not an http(s) URL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := request(false)
			req.Settings = map[string]string{}
			for k, v := range settings {
				req.Settings[k] = v
			}
			tc.edit(&req)
			if _, err := provider.Call(context.Background(), req); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
	if len(f.calls) != 0 {
		t.Errorf("%d calls for invalid requests", len(f.calls))
	}
}
