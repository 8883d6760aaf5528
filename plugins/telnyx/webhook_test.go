package telnyx_test

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/plugins/telnyx"
)

// keys is the account's key pair (Telnyx keeps the private one) and a
// forger's.
var (
	public, private   = mustKey()
	_, forgersPrivate = mustKey()
)

func mustKey() (ed25519.PublicKey, ed25519.PrivateKey) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		panic(err)
	}
	return pub, priv
}

// signed is a webhook as Telnyx posts it, signed by key at time at.
func signed(body string, key ed25519.PrivateKey, at time.Time, settings map[string]string) sdk.CallWebhookRequest {
	ts := strconv.FormatInt(at.Unix(), 10)
	settings["public_key"] = base64.StdEncoding.EncodeToString(public)
	return sdk.CallWebhookRequest{
		Headers:  map[string][]string{"Telnyx-Signature-Ed25519": {telnyx.Sign(key, ts, []byte(body))}, "Telnyx-Timestamp": {ts}},
		Body:     []byte(body),
		URL:      cb,
		Settings: settings,
	}
}

const agentCC = "v3:MdI91X4lWFEs7IgbBEOT9M4AigoY08M0WWZFISt1Yw2axZ_IiE4pqg"
const contactCC = "v3:Xy7q2lWFEs7IgbBEOT9M4Aig-contact-leg"

var (
	agentState   = `{"ref":"act_42","leg":"agent","to":"+4917698765432","from":"+4930901820","rec":true,"say":"This call is recorded."}`
	contactState = `{"ref":"act_42","leg":"contact","to":"+4917698765432","from":"+4930901820","rec":true,"say":"This call is recorded.","agent":"` + agentCC + `"}`
	plainContact = `{"ref":"act_42","leg":"contact","to":"+4917698765432","from":"+4930901820","agent":"` + agentCC + `"}`
)

// event is a Call Control webhook in Telnyx's documented shape.
func event(typ, id, callControlID, state, extra string) string {
	return `{"data":{"event_type":"` + typ + `","id":"` + id + `","occurred_at":"2026-03-02T10:00:05.123456Z",
		"payload":{"call_control_id":"` + callControlID + `","call_leg_id":"428c31b6-7af4-4bcb-b68e-5013ef9657c1",
		"call_session_id":"428c31b6-abf3-4bcb-b68e-5013ef9657c1","client_state":"` + b64(state) + `",
		"connection_id":"` + connID + `","from":"+4930901820","to":"+4915112345678","direction":"outgoing"` + extra + `},
		"record_type":"event"},"meta":{"attempt":1,"delivered_to":"` + cb + `"}}`
}

func TestParseCallWebhook(t *testing.T) {
	recURL := "https://s3.amazonaws.com/telephony-recorder-prod/recording.mp3"
	cases := []struct {
		name     string
		body     string
		replies  []reply
		want     sdk.CallEvent
		commands []string // path and JSON body of each command sent
	}{
		{"user's phone initiated", event("call.initiated", "ev-1", agentCC, agentState, `,"state":"bridging"`), nil,
			sdk.CallEvent{ID: "ev-1", ProviderCallID: agentCC, Reference: "act_42", Leg: sdk.LegAgent, Status: sdk.CallInitiated, OccurredAt: "2026-03-02T10:00:05Z"}, nil},
		{"user answered: bridge to the contact", event("call.answered", "ev-2", agentCC, agentState, `,"state":"answered"`), []reply{{200, ok}},
			sdk.CallEvent{ID: "ev-2", ProviderCallID: agentCC, Reference: "act_42", Leg: sdk.LegAgent, Status: sdk.CallAnswered, OccurredAt: "2026-03-02T10:00:05Z"},
			[]string{"/v2/calls/" + agentCC + "/actions/transfer", `{"to":"+4917698765432","from":"+4930901820","client_state":"` + b64(contactState) + `",
				"command_id":"ev-2","webhook_url":"` + cb + `","webhook_url_method":"POST"}`}},
		{"contact answered, recorded: record and announce", event("call.answered", "ev-3", contactCC, contactState, ``), []reply{{200, ok}, {200, ok}},
			sdk.CallEvent{ID: "ev-3", ProviderCallID: agentCC, Reference: "act_42", Leg: sdk.LegContact, Status: sdk.CallAnswered, OccurredAt: "2026-03-02T10:00:05Z"},
			[]string{"/v2/calls/" + contactCC + "/actions/record_start", `{"format":"mp3","channels":"dual","command_id":"ev-3-record"}`,
				"/v2/calls/" + contactCC + "/actions/speak", `{"payload":"This call is recorded.","voice":"female","language":"de-DE","command_id":"ev-3-speak"}`}},
		{"contact answered, not recorded: nothing to send", event("call.answered", "ev-4", contactCC, plainContact, ``), nil,
			sdk.CallEvent{ID: "ev-4", ProviderCallID: agentCC, Reference: "act_42", Leg: sdk.LegContact, Status: sdk.CallAnswered, OccurredAt: "2026-03-02T10:00:05Z"}, nil},
		{"contact hung up after talking", event("call.hangup", "ev-5", contactCC, plainContact,
			`,"hangup_cause":"normal_clearing","hangup_source":"callee","start_time":"2026-03-02T10:00:05.000000Z","end_time":"2026-03-02T10:01:26.600000Z"`), nil,
			sdk.CallEvent{ID: "ev-5", ProviderCallID: agentCC, Reference: "act_42", Leg: sdk.LegContact, Status: sdk.CallCompleted, DurationSeconds: 82, OccurredAt: "2026-03-02T10:00:05Z"}, nil},
		{"contact busy", event("call.hangup", "ev-6", contactCC, plainContact, `,"hangup_cause":"user_busy"`), nil,
			sdk.CallEvent{ID: "ev-6", ProviderCallID: agentCC, Reference: "act_42", Leg: sdk.LegContact, Status: sdk.CallBusy, OccurredAt: "2026-03-02T10:00:05Z"}, nil},
		{"user did not answer", event("call.hangup", "ev-7", agentCC, agentState, `,"hangup_cause":"timeout"`), nil,
			sdk.CallEvent{ID: "ev-7", ProviderCallID: agentCC, Reference: "act_42", Leg: sdk.LegAgent, Status: sdk.CallNoAnswer, OccurredAt: "2026-03-02T10:00:05Z"}, nil},
		{"recording saved", event("call.recording.saved", "ev-8", contactCC, contactState,
			`,"channels":"dual","recording_started_at":"2026-03-02T10:00:06Z","recording_ended_at":"2026-03-02T10:01:26Z","recording_urls":{"mp3":"`+recURL+`"}`), nil,
			sdk.CallEvent{ID: "ev-8", ProviderCallID: agentCC, Reference: "act_42", Leg: sdk.LegContact, Status: sdk.CallRecorded, RecordingURL: recURL, OccurredAt: "2026-03-02T10:00:05Z"}, nil},
		{"not one of Kontor's calls", event("call.answered", "ev-9", "v3:other", `other app's state`, ``), nil,
			sdk.CallEvent{ID: "ev-9", ProviderCallID: "v3:other", Status: sdk.CallIgnored, OccurredAt: "2026-03-02T10:00:05Z"}, nil},
		{"the user hung up before the bridge", event("call.answered", "ev-10", agentCC, agentState, ``),
			[]reply{{422, `{"errors":[{"code":"90018","title":"Call has already ended","detail":"This call is no longer active and can't receive commands."}]}`}},
			sdk.CallEvent{ID: "ev-10", ProviderCallID: agentCC, Reference: "act_42", Leg: sdk.LegAgent, Status: sdk.CallFailed, OccurredAt: "2026-03-02T10:00:05Z"},
			[]string{"/v2/calls/" + agentCC + "/actions/transfer", `{"to":"+4917698765432","from":"+4930901820","client_state":"` + b64(contactState) + `",
				"command_id":"ev-10","webhook_url":"` + cb + `","webhook_url_method":"POST"}`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, settings := serve(t, tc.replies...)
			settings["language"] = "de-DE"
			ev, err := provider.ParseCallWebhook(context.Background(), signed(tc.body, private, time.Now(), settings))
			if err != nil {
				t.Fatal(err)
			}
			if ev.ID != tc.want.ID || ev.ProviderCallID != tc.want.ProviderCallID || ev.Reference != tc.want.Reference || ev.Leg != tc.want.Leg ||
				ev.Status != tc.want.Status || ev.DurationSeconds != tc.want.DurationSeconds || ev.RecordingURL != tc.want.RecordingURL || ev.OccurredAt != tc.want.OccurredAt {
				t.Errorf("got  %+v\nwant %+v", ev, tc.want)
			}
			if len(f.calls)*2 != len(tc.commands) {
				t.Fatalf("%d commands sent, want %d", len(f.calls), len(tc.commands)/2)
			}
			for i, c := range f.calls {
				if c.method != "POST" || c.path != tc.commands[2*i] || c.header.Get("Authorization") != "Bearer "+apiKey {
					t.Errorf("command %d: %s %s", i, c.method, c.path)
				}
				if !sameJSON(t, c.body, tc.commands[2*i+1]) {
					t.Errorf("command %d body\n got %s\nwant %s", i, c.body, tc.commands[2*i+1])
				}
			}
		})
	}
}

// TestCommandOutage fails the webhook when Telnyx cannot take the bridge
// command, so that Telnyx delivers it again.
func TestCommandOutage(t *testing.T) {
	down := reply{503, `{"errors":[{"code":"10009","title":"Service unavailable"}]}`}
	f, settings := serve(t, down, down, down)
	_, err := provider.ParseCallWebhook(context.Background(), signed(event("call.answered", "ev-2", agentCC, agentState, ``), private, time.Now(), settings))
	var pe *sdk.ProviderError
	if !errors.As(err, &pe) || !pe.Unavailable || len(f.calls) != 3 {
		t.Fatalf("got %v after %d calls", err, len(f.calls))
	}
}

// TestForgedWebhooks refuses every webhook Telnyx did not sign as it is,
// and sends no command for it.
func TestForgedWebhooks(t *testing.T) {
	body := event("call.answered", "ev-2", agentCC, agentState, ``)
	cases := []struct {
		name string
		req  func(map[string]string) sdk.CallWebhookRequest
		want string
	}{
		{"signed by another key", func(s map[string]string) sdk.CallWebhookRequest { return signed(body, forgersPrivate, time.Now(), s) }, "invalid signature"},
		{"body changed after signing", func(s map[string]string) sdk.CallWebhookRequest {
			r := signed(body, private, time.Now(), s)
			r.Body = []byte(strings.Replace(body, "ev-2", "ev-3", 1))
			return r
		}, "invalid signature"},
		{"timestamp changed after signing", func(s map[string]string) sdk.CallWebhookRequest {
			r := signed(body, private, time.Now(), s)
			r.Headers["Telnyx-Timestamp"] = []string{strconv.FormatInt(time.Now().Unix()+1, 10)}
			return r
		}, "invalid signature"},
		{"replayed after 10 minutes", func(s map[string]string) sdk.CallWebhookRequest {
			return signed(body, private, time.Now().Add(-10*time.Minute), s)
		},
			"more than 5m0s: a replayed or delayed webhook"},
		{"unsigned", func(s map[string]string) sdk.CallWebhookRequest {
			r := signed(body, private, time.Now(), s)
			delete(r.Headers, "Telnyx-Signature-Ed25519")
			return r
		}, "missing telnyx-signature-ed25519"},
		{"no public key", func(s map[string]string) sdk.CallWebhookRequest {
			r := signed(body, private, time.Now(), s)
			delete(r.Settings, "public_key")
			return r
		}, "public_key setting is not set"},
		{"public key not a key", func(s map[string]string) sdk.CallWebhookRequest {
			r := signed(body, private, time.Now(), s)
			r.Settings["public_key"] = "c2hvcnQ="
			return r
		}, "not a base64 Ed25519 public key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, settings := serve(t, reply{200, ok})
			ev, err := provider.ParseCallWebhook(context.Background(), tc.req(settings))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %+v %v, want %q", ev, err, tc.want)
			}
			if len(f.calls) != 0 {
				t.Errorf("a forged webhook sent %d commands", len(f.calls))
			}
		})
	}
}
