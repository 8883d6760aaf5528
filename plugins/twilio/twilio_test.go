package twilio_test

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/plugins/sdk/providerapi"
	"github.com/kontor-app/kontor/plugins/twilio"
)

const (
	sid   = "AC3f8a1b2c3d4e5f60718293a4b5c6d7e8"
	token = "9f2e7d8c6b5a4f3e2d1c0b9a8f7e6d5c"
	cb    = "https://kontor.example/api/kontor/webhooks/calls/twilio/ws1"
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

// fake speaks Twilio's REST API: each call gets the next reply.
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
	rep := reply{500, `{"code": 20500, "message": "unexpected call", "status": 500}`}
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
	return f, map[string]string{"account_sid": sid, "auth_token": token, "base_url": srv.URL}
}

var provider = twilio.Provider{Retry: providerapi.Retry{Attempts: 3, Wait: time.Millisecond, MaxWait: time.Second}}

// created is Twilio's answer to a new call (201), in its documented shape.
const created = `{"account_sid": "` + sid + `", "annotation": null, "answered_by": null, "api_version": "2010-04-01",
	"caller_name": null, "date_created": null, "date_updated": null, "direction": "outbound-api", "duration": null,
	"end_time": null, "forwarded_from": null, "from": "+4930901820", "from_formatted": "+4930901820", "group_sid": null,
	"parent_call_sid": null, "phone_number_sid": "PN7a1b", "price": null, "price_unit": "USD",
	"sid": "CA5e3b2f0c9d8e7f6a5b4c3d2e1f0a9b8c", "start_time": null, "status": "queued",
	"to": "+4915112345678", "to_formatted": "+4915112345678", "uri": "/2010-04-01/Accounts/` + sid + `/Calls/CA5e3b2f0c9d8e7f6a5b4c3d2e1f0a9b8c.json"}`

func request(record bool) sdk.CallRequest {
	req := sdk.CallRequest{From: "+4930901820", AgentPhone: "+4915112345678", To: "+4917698765432",
		StatusCallbackURL: cb, Reference: "act_42"}
	if record {
		req.Record, req.AnnounceRecording = true, "This call is recorded & kept for 30 days."
	}
	return req
}

func TestDescribe(t *testing.T) {
	if err := sdk.Check(twilio.Provider{}); err != nil {
		t.Fatal(err)
	}
	if d := (twilio.Provider{}).Describe(); d.Kind != sdk.KindTelephony || d.Name != "twilio" {
		t.Fatalf("%+v", d)
	}
}

// TestCall asserts the exact request Twilio gets, with and without
// recording: the user's phone is called and the TwiML dials the contact.
func TestCall(t *testing.T) {
	const status = cb + "?kontor_ref=act_42"
	cases := []struct {
		name   string
		record bool
		twiml  string
	}{
		{"no recording", false, `<Response><Dial callerId="+4930901820" action="` + cb + `?kontor_ref=act_42&amp;kontor_step=dial" method="POST">` +
			`<Number>+4917698765432</Number></Dial></Response>`},
		{"recording", true, `<Response><Say language="de-DE">This call is recorded &amp; kept for 30 days.</Say>` +
			`<Dial callerId="+4930901820" action="` + cb + `?kontor_ref=act_42&amp;kontor_step=dial" method="POST" record="record-from-answer-dual" ` +
			`recordingStatusCallback="` + cb + `?kontor_ref=act_42&amp;kontor_step=recording" recordingStatusCallbackMethod="POST" recordingStatusCallbackEvent="completed">` +
			`<Number url="` + cb + `?kontor_ref=act_42&amp;kontor_say=This+call+is+recorded+%26+kept+for+30+days.&amp;kontor_step=announce" method="POST">+4917698765432</Number></Dial></Response>`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, settings := serve(t, reply{201, created})
			settings["language"] = "de-DE"
			req := request(tc.record)
			req.Settings = settings
			res, err := provider.Call(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if res.ProviderCallID != "CA5e3b2f0c9d8e7f6a5b4c3d2e1f0a9b8c" || res.Status != sdk.CallInitiated {
				t.Errorf("%+v", res)
			}
			if len(f.calls) != 1 {
				t.Fatalf("%d calls", len(f.calls))
			}
			c := f.calls[0]
			if c.method != http.MethodPost || c.path != "/2010-04-01/Accounts/"+sid+"/Calls.json" {
				t.Errorf("%s %s", c.method, c.path)
			}
			if got := c.header.Get("Authorization"); got != "Basic "+base64.StdEncoding.EncodeToString([]byte(sid+":"+token)) {
				t.Errorf("Authorization %q", got)
			}
			if got := c.header.Get("Content-Type"); got != "application/x-www-form-urlencoded" {
				t.Errorf("Content-Type %q", got)
			}
			form, err := url.ParseQuery(c.body)
			if err != nil {
				t.Fatal(err)
			}
			want := url.Values{
				"To": {"+4915112345678"}, "From": {"+4930901820"}, "Twiml": {tc.twiml},
				"StatusCallback": {status}, "StatusCallbackEvent": {"initiated", "ringing", "answered", "completed"},
				"StatusCallbackMethod": {"POST"},
			}
			if !reflect.DeepEqual(form, want) {
				t.Errorf("form\n got %v\nwant %v", form, want)
			}
			if c.body != want.Encode() {
				t.Errorf("body %s", c.body)
			}
			if !tc.record && strings.Contains(c.body, "record") {
				t.Errorf("a call without recording mentions recording: %s", c.body)
			}
		})
	}
}

func TestCallErrors(t *testing.T) {
	invalidTo := `{"code": 21211, "message": "The 'To' number +4915112345678 is not a valid phone number.", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}`
	busy := `{"code": 20503, "message": "Service unavailable", "more_info": "https://www.twilio.com/docs/errors/20503", "status": 503}`
	cases := []struct {
		name        string
		replies     []reply
		calls       int
		unavailable bool
		errText     string
	}{
		{"rejected number", []reply{{400, invalidTo}}, 1, false, "twilio rejected the request (HTTP 400 21211): The 'To' number +4915112345678 is not a valid phone number."},
		{"outage retried, then answered", []reply{{503, busy}, {201, created}}, 2, false, ""},
		{"outage throughout", []reply{{503, busy}, {503, busy}, {503, busy}}, 3, true, "twilio is unavailable, try again later (HTTP 503 20503, 3 attempts): Service unavailable"},
		{"500 is not retried: the call may exist", []reply{{500, `{"code": 20500, "message": "Internal Server Error", "status": 500}`}}, 1, true, "HTTP 500 20500"},
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
		{"no token", func(r *sdk.CallRequest) { r.Settings = map[string]string{"account_sid": sid} }, "auth_token settings are not set"},
		{"bad sid", func(r *sdk.CallRequest) { r.Settings = map[string]string{"account_sid": "../x", "auth_token": token} }, "not an account SID"},
		{"bad number", func(r *sdk.CallRequest) { r.To = "030 1234" }, `to "030 1234" is not a phone number in E.164`},
		{"no caller id", func(r *sdk.CallRequest) { r.From = "" }, "from"},
		{"recording without announcement", func(r *sdk.CallRequest) { r.Record = true }, "needs the announcement"},
		{"bad callback", func(r *sdk.CallRequest) { r.StatusCallbackURL = "kontor.example/cb" }, "not an http(s) URL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := request(false)
			req.Settings = settings
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
