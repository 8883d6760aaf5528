package twilio_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/plugins/twilio"
)

var settings = map[string]string{"account_sid": sid, "auth_token": token}

// signed is a callback as Twilio posts it: the form and its signature.
func signed(fullURL string, form url.Values, key string) sdk.CallWebhookRequest {
	return sdk.CallWebhookRequest{
		Headers:  map[string][]string{"X-Twilio-Signature": {twilio.Sign(key, fullURL, form)}},
		Body:     []byte(form.Encode()),
		URL:      fullURL,
		Settings: settings,
	}
}

// TestSign checks Sign against the example of Twilio's security
// documentation (https://www.twilio.com/docs/usage/security#validating-requests).
func TestSign(t *testing.T) {
	form := url.Values{"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+12349013030"}, "Digits": {"1234"}, "From": {"+12349013030"}, "To": {"+18005551212"}}
	if got := twilio.Sign("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", form); got != "0/KCTR6DLpKmkAf8muzZqo1nDgQ=" {
		t.Errorf("got %s", got)
	}
}

func TestParseCallWebhook(t *testing.T) {
	status := cb + "?kontor_ref=act_42"
	completed := url.Values{"AccountSid": {sid}, "CallSid": {"CA5e3b"}, "CallStatus": {"completed"}, "CallDuration": {"94"},
		"From": {"+4930901820"}, "To": {"+4915112345678"}, "Direction": {"outbound-api"}, "SequenceNumber": {"3"},
		"Timestamp": {"Mon, 02 Mar 2026 10:01:34 +0000"}, "ApiVersion": {"2010-04-01"}}
	cases := []struct {
		name string
		url  string
		form url.Values
		want sdk.CallEvent
	}{
		{"user answered", status, url.Values{"CallSid": {"CA5e3b"}, "CallStatus": {"in-progress"}, "SequenceNumber": {"2"}},
			sdk.CallEvent{ID: "CA5e3b:in-progress:2", ProviderCallID: "CA5e3b", Reference: "act_42", Leg: sdk.LegAgent, Status: sdk.CallAnswered}},
		{"user's leg completed", status, completed,
			sdk.CallEvent{ID: "CA5e3b:completed:3", ProviderCallID: "CA5e3b", Reference: "act_42", Leg: sdk.LegAgent, Status: sdk.CallCompleted,
				DurationSeconds: 94, OccurredAt: "2026-03-02T10:01:34Z"}},
		{"user did not answer", status, url.Values{"CallSid": {"CA5e3b"}, "CallStatus": {"no-answer"}, "SequenceNumber": {"1"}},
			sdk.CallEvent{ID: "CA5e3b:no-answer:1", ProviderCallID: "CA5e3b", Reference: "act_42", Leg: sdk.LegAgent, Status: sdk.CallNoAnswer}},
		{"contact talked", cb + "?kontor_ref=act_42&kontor_step=dial",
			url.Values{"CallSid": {"CA5e3b"}, "DialCallSid": {"CA9f0e"}, "DialCallStatus": {"completed"}, "DialCallDuration": {"81"},
				"RecordingUrl": {"https://api.twilio.com/2010-04-01/Accounts/" + sid + "/Recordings/RE1"}},
			sdk.CallEvent{ID: "CA5e3b:dial", ProviderCallID: "CA5e3b", Reference: "act_42", Leg: sdk.LegContact, Status: sdk.CallCompleted,
				DurationSeconds: 81, RecordingURL: "https://api.twilio.com/2010-04-01/Accounts/" + sid + "/Recordings/RE1",
				Reply: []byte("<Response/>"), ReplyContentType: "text/xml"}},
		{"contact busy", cb + "?kontor_ref=act_42&kontor_step=dial", url.Values{"CallSid": {"CA5e3b"}, "DialCallStatus": {"busy"}, "DialCallDuration": {"0"}},
			sdk.CallEvent{ID: "CA5e3b:dial", ProviderCallID: "CA5e3b", Reference: "act_42", Leg: sdk.LegContact, Status: sdk.CallBusy,
				Reply: []byte("<Response/>"), ReplyContentType: "text/xml"}},
		{"contact hears the announcement", cb + "?kontor_ref=act_42&kontor_say=This+call+is+recorded.&kontor_step=announce",
			url.Values{"CallSid": {"CA9f0e"}, "ParentCallSid": {"CA5e3b"}, "CallStatus": {"in-progress"}},
			sdk.CallEvent{ID: "CA5e3b:announce", ProviderCallID: "CA5e3b", Reference: "act_42", Leg: sdk.LegContact, Status: sdk.CallIgnored,
				Reply: []byte("<Response><Say>This call is recorded.</Say></Response>"), ReplyContentType: "text/xml"}},
		{"recording ready", cb + "?kontor_ref=act_42&kontor_step=recording",
			url.Values{"CallSid": {"CA5e3b"}, "RecordingSid": {"RE1"}, "RecordingStatus": {"completed"}, "RecordingDuration": {"80"},
				"RecordingUrl": {"https://api.twilio.com/2010-04-01/Accounts/" + sid + "/Recordings/RE1"}},
			sdk.CallEvent{ID: "RE1", ProviderCallID: "CA5e3b", Reference: "act_42", Leg: sdk.LegContact, Status: sdk.CallRecorded,
				RecordingURL: "https://api.twilio.com/2010-04-01/Accounts/" + sid + "/Recordings/RE1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := twilio.Provider{}.ParseCallWebhook(context.Background(), signed(tc.url, tc.form, token))
			if err != nil {
				t.Fatal(err)
			}
			if ev.ID != tc.want.ID || ev.ProviderCallID != tc.want.ProviderCallID || ev.Reference != tc.want.Reference || ev.Leg != tc.want.Leg ||
				ev.Status != tc.want.Status || ev.DurationSeconds != tc.want.DurationSeconds || ev.RecordingURL != tc.want.RecordingURL ||
				ev.OccurredAt != tc.want.OccurredAt || string(ev.Reply) != string(tc.want.Reply) || ev.ReplyContentType != tc.want.ReplyContentType {
				t.Errorf("got  %+v\nwant %+v", ev, tc.want)
			}
		})
	}
}

// TestForgedCallbacks refuses every callback Twilio did not sign as it is.
func TestForgedCallbacks(t *testing.T) {
	status := cb + "?kontor_ref=act_42"
	form := url.Values{"CallSid": {"CA5e3b"}, "CallStatus": {"completed"}, "CallDuration": {"94"}}
	cases := []struct {
		name string
		req  func() sdk.CallWebhookRequest
		want string
	}{
		{"signed with another token", func() sdk.CallWebhookRequest { return signed(status, form, "forged-token") }, "invalid signature"},
		{"body changed after signing", func() sdk.CallWebhookRequest {
			r := signed(status, form, token)
			r.Body = []byte(strings.Replace(string(r.Body), "CallDuration=94", "CallDuration=9400", 1))
			return r
		}, "invalid signature"},
		{"URL changed after signing", func() sdk.CallWebhookRequest {
			r := signed(status, form, token)
			r.URL = cb + "?kontor_ref=act_43"
			return r
		}, "invalid signature"},
		{"not base64", func() sdk.CallWebhookRequest {
			r := signed(status, form, token)
			r.Headers["X-Twilio-Signature"] = []string{"not base64!"}
			return r
		}, "invalid signature"},
		{"unsigned", func() sdk.CallWebhookRequest {
			r := signed(status, form, token)
			r.Headers = nil
			return r
		}, "missing X-Twilio-Signature"},
		{"no token to check with", func() sdk.CallWebhookRequest {
			r := signed(status, form, token)
			r.Settings = map[string]string{"account_sid": sid}
			return r
		}, "auth_token setting is not set"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := twilio.Provider{}.ParseCallWebhook(context.Background(), tc.req())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %+v %v, want %q", ev, err, tc.want)
			}
		})
	}
}
