package calls_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// twilioCreated is Twilio's answer to a created call.
const twilioCreated = `{"sid":"CA5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c","status":"queued","to":"+4917612345678","from":"+4930901820"}`

func TestTwilioCallRequest(t *testing.T) {
	w := newWorld(t)
	api := newFakeAPI(t, answer{status: http.StatusCreated, body: twilioCreated})
	w.twilioAccount(t, api.URL)

	r := w.call(t, w.owner, w.contact)
	if r.Status != http.StatusOK {
		t.Fatalf("call: %d %s", r.Status, r.Raw)
	}
	id := r.String("id")
	reqs := api.seen()
	if len(reqs) != 1 {
		t.Fatalf("requests to Twilio: %+v", reqs)
	}
	got := reqs[0]
	if got.Method != http.MethodPost || got.Path != "/2010-04-01/Accounts/"+twilioSID+"/Calls.json" {
		t.Errorf("request: %s %s", got.Method, got.Path)
	}
	if want := "Basic " + base64.StdEncoding.EncodeToString([]byte(twilioSID+":"+twilioToken)); got.Authorization != want {
		t.Errorf("authorization %q, want %q", got.Authorization, want)
	}
	if !strings.HasPrefix(got.ContentType, "application/x-www-form-urlencoded") {
		t.Errorf("content type %q", got.ContentType)
	}
	form, err := url.ParseQuery(got.Body)
	if err != nil {
		t.Fatal(err)
	}
	callback := publicURL + "/api/kontor/webhooks/telephony/twilio/" + w.ws
	want := url.Values{
		"To":                   {ownerPhone},
		"From":                 {callerID},
		"StatusCallback":       {callback + "?kontor_ref=" + id},
		"StatusCallbackEvent":  {"initiated", "ringing", "answered", "completed"},
		"StatusCallbackMethod": {"POST"},
		"Twiml": {`<Response><Dial callerId="+4930901820" action="` + callback + `?kontor_ref=` + id +
			`&amp;kontor_step=dial" method="POST"><Number>+34600111222</Number></Dial></Response>`},
	}
	if !reflect.DeepEqual(form, want) {
		t.Errorf("form\n got %v\nwant %v", form, want)
	}

	call := w.record(t, "calls", id)
	for field, want := range map[string]any{"status": "initiated", "provider": "twilio", "provider_call_id": "CA5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c",
		"user": w.owner.ID, "contact": w.contact, "recorded": false} {
		if got := call.Get(field); got != want {
			t.Errorf("call %s = %v, want %v", field, got, want)
		}
	}
	activity := w.record(t, "activities", call.GetString("activity"))
	if activity.GetString("type") != "call" || activity.GetString("subject") != "Call to Ana García" ||
		activity.GetString("body") != "Calling…" || activity.GetString("contact") != w.contact || activity.GetString("author") != w.owner.ID {
		t.Errorf("activity %v", activity.PublicExport())
	}
}

func TestTelnyxCallRequest(t *testing.T) {
	w := newWorld(t)
	api := newFakeAPI(t, answer{status: http.StatusOK, body: `{"data":{"call_control_id":"v3:agent-leg-1","call_leg_id":"2dc6fc34","call_session_id":"428c31b6","is_alive":false,"record_type":"call"}}`})
	pub, _ := keyPair(t)
	w.telnyxAccount(t, api.URL, pub)

	r := w.call(t, w.owner, w.contact)
	if r.Status != http.StatusOK {
		t.Fatalf("call: %d %s", r.Status, r.Raw)
	}
	id := r.String("id")
	reqs := api.seen()
	if len(reqs) != 1 {
		t.Fatalf("requests to Telnyx: %+v", reqs)
	}
	got := reqs[0]
	if got.Method != http.MethodPost || got.Path != "/v2/calls" || got.Authorization != "Bearer "+telnyxKey || got.ContentType != "application/json" {
		t.Errorf("request: %s %s %q %q", got.Method, got.Path, got.Authorization, got.ContentType)
	}
	state := base64.StdEncoding.EncodeToString([]byte(`{"ref":"` + id + `","leg":"agent","to":"+34600111222","from":"+4930901820"}`))
	want := `{"connection_id":"1494404757140276705","to":"+4917612345678","from":"+4930901820","client_state":"` + state +
		`","webhook_url":"https://kontor.example/api/kontor/webhooks/telephony/telnyx/` + w.ws + `","webhook_url_method":"POST"}`
	if got.Body != want {
		t.Errorf("body\n got %s\nwant %s", got.Body, want)
	}
	if call := w.record(t, "calls", id); call.GetString("provider_call_id") != "v3:agent-leg-1" || call.GetString("status") != "initiated" {
		t.Errorf("call %v", call.PublicExport())
	}
}

func TestRecordingIsAskedOnlyWhenEnabled(t *testing.T) {
	cases := []struct {
		name     string
		settings map[string]any
		want     string // the TwiML between <Response> and <Dial
		record   bool
	}{
		{"off by default", nil, "", false},
		{"on with the workspace's notice", map[string]any{"call_recording": true, "call_recording_notice": "Nordlicht records this call for training."},
			"<Say>Nordlicht records this call for training.</Say>", true},
		{"on with the default of the workspace's language", map[string]any{"call_recording": true, "language": "de"},
			"<Say>Dieses Gespräch wird aufgezeichnet.</Say>", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			api := newFakeAPI(t, answer{status: http.StatusCreated, body: twilioCreated})
			w.twilioAccount(t, api.URL)
			if tc.settings != nil {
				w.s.Must(t, w.owner.Token, http.MethodPatch, "/api/collections/workspaces/records/"+w.ws, tc.settings)
			}
			r := w.call(t, w.owner, w.contact)
			if r.Status != http.StatusOK {
				t.Fatalf("call: %d %s", r.Status, r.Raw)
			}
			form, _ := url.ParseQuery(api.seen()[0].Body)
			twiml := form.Get("Twiml")
			before, _, _ := strings.Cut(strings.TrimPrefix(twiml, "<Response>"), "<Dial")
			if before != tc.want {
				t.Errorf("before <Dial: %q, want %q (%s)", before, tc.want, twiml)
			}
			if strings.Contains(twiml, "record=") != tc.record || strings.Contains(twiml, "kontor_step=announce") != tc.record {
				t.Errorf("recording in %s, want %v", twiml, tc.record)
			}
			if w.record(t, "calls", r.String("id")).GetBool("recorded") != tc.record {
				t.Errorf("calls.recorded, want %v", tc.record)
			}
		})
	}
}

func TestCallRefused(t *testing.T) {
	cases := []struct {
		name    string
		setup   func(t *testing.T, w *world, api *fakeAPI)
		status  int
		field   string // the field named in data, for a 400 of Kontor's
		message string
		written bool // a failed call and its activity are kept
	}{
		{"contact without a phone", func(t *testing.T, w *world, api *fakeAPI) {
			w.twilioAccount(t, api.URL)
			w.s.Must(t, w.owner.Token, http.MethodPatch, "/api/collections/contacts/records/"+w.contact, map[string]any{"phone": ""})
		}, 400, "phone", "This contact has no phone number", false},
		{"user without a phone", func(t *testing.T, w *world, api *fakeAPI) {
			w.twilioAccount(t, api.URL)
			w.s.Must(t, w.owner.Token, http.MethodPatch, "/api/collections/users/records/"+w.owner.ID, map[string]any{"phone": ""})
		}, 400, "user_phone", "Your own phone is not set", false},
		{"no account", func(t *testing.T, w *world, api *fakeAPI) {}, 400, "account", "no enabled telephony account", false},
		{"account disabled", func(t *testing.T, w *world, api *fakeAPI) {
			id := w.twilioAccount(t, api.URL)
			w.s.Must(t, w.owner.Token, http.MethodPatch, "/api/collections/telephony_accounts/records/"+id, map[string]any{"enabled": false})
		}, 400, "account", "no enabled telephony account", false},
		{"provider rejects the number", func(t *testing.T, w *world, api *fakeAPI) {
			w.twilioAccount(t, api.URL)
			api.fallback = answer{status: 400, body: `{"code":21210,"message":"The source phone number provided, +4930901820, is not yet verified for your account.","more_info":"https://www.twilio.com/docs/errors/21210","status":400}`}
		}, 400, "", "twilio refused the call: The source phone number provided, +4930901820, is not yet verified for your account.", true},
		{"provider unavailable", func(t *testing.T, w *world, api *fakeAPI) {
			w.twilioAccount(t, api.URL)
			api.fallback = answer{status: 503, body: `{"code":20503,"message":"Service unavailable","status":503}`, header: map[string]string{"Retry-After": "0"}}
		}, 503, "", "twilio is unavailable right now; try again in a moment. (Service unavailable)", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			api := newFakeAPI(t, answer{status: http.StatusCreated, body: twilioCreated})
			tc.setup(t, w, api)
			r := w.call(t, w.owner, w.contact)
			if r.Status != tc.status || !strings.Contains(r.String("message"), tc.message) {
				t.Fatalf("got %d %s, want %d %q", r.Status, r.Raw, tc.status, tc.message)
			}
			if tc.field != "" && !strings.Contains(r.String("data."+tc.field+".message"), tc.message) {
				t.Errorf("data.%s: %s", tc.field, r.Raw)
			}
			calls, activities := w.count(t, "calls"), w.count(t, "activities")
			if !tc.written {
				if calls != 0 || activities != 0 || len(api.seen()) != 0 {
					t.Errorf("written: %d calls, %d activities, %d provider requests", calls, activities, len(api.seen()))
				}
				return
			}
			if calls != 1 {
				t.Fatalf("%d calls", calls)
			}
			call, err := w.s.App.FindFirstRecordByFilter("calls", "workspace = {:w}", map[string]any{"w": w.ws})
			if err != nil {
				t.Fatal(err)
			}
			activity := w.record(t, "activities", call.GetString("activity"))
			if call.GetString("status") != "failed" || !strings.Contains(call.GetString("error"), tc.message) ||
				activity.GetString("body") != "Failed: "+call.GetString("error") || !activity.GetBool("done") {
				t.Errorf("call %v, activity %v", call.PublicExport(), activity.PublicExport())
			}
		})
	}
}

func TestUserPhone(t *testing.T) {
	w := newWorld(t)
	u := w.users["member"]
	path := "/api/collections/users/records/" + u.ID
	cases := []struct {
		phone  string
		status int
		stored string
	}{
		{"+49 (176) 987-65432", 200, "+4917698765432"},
		{"0176 98765432", 400, "+4917698765432"},
		{"+49 176 call me", 400, "+4917698765432"},
		{"", 200, ""},
	}
	for _, tc := range cases {
		r := w.s.Do(t, u.Token, http.MethodPatch, path, map[string]any{"phone": tc.phone})
		if r.Status != tc.status {
			t.Errorf("%q: %d %s", tc.phone, r.Status, r.Raw)
		}
		if tc.status == 400 && !strings.Contains(r.String("data.phone.message"), "international form") {
			t.Errorf("%q: %s", tc.phone, r.Raw)
		}
		if got := w.record(t, "users", u.ID).GetString("phone"); got != tc.stored {
			t.Errorf("%q: stored %q, want %q", tc.phone, got, tc.stored)
		}
	}
}
