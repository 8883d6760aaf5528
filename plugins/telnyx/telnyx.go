// Package telnyx is the first-party telephony plugin "telnyx":
// click-to-call through Telnyx's Call Control (Voice API v2). A call rings
// the user's phone (POST /v2/calls); when the user answers, the plugin
// transfers the call to the contact (POST
// /v2/calls/{call_control_id}/actions/transfer), which bridges the two.
// What each webhook calls for is carried in the call's client_state, so the
// plugin keeps no state of its own. Webhooks are verified with Ed25519
// (telnyx-signature-ed25519 over "{telnyx-timestamp}|{body}").
//
// Settings, passed with every call:
//
//	api_key        required: a Telnyx API key (KEY…)
//	connection_id  required: the Call Control application (connection) id
//	public_key     required for webhooks: the account's public key
//	               (Mission Control → Keys & Credentials → Public Key, base64)
//	voice          optional: the voice of the recording announcement
//	               (speak's voice), "female" when empty
//	language       optional: its language, "en-US" when empty
//	base_url       optional: another API base URL (tests)
package telnyx

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/plugins/sdk/providerapi"
)

// Name is the plugin's id.
const Name = "telnyx"

// The settings the plugin reads.
const (
	SettingAPIKey       = "api_key"
	SettingConnectionID = "connection_id"
	SettingPublicKey    = "public_key"
	SettingVoice        = "voice"
	SettingLanguage     = "language"
	SettingBaseURL      = "base_url"
)

// Defaults of the settings.
const (
	DefaultBaseURL  = "https://api.telnyx.com"
	DefaultVoice    = "female"
	DefaultLanguage = "en-US"
)

// Privacy is what Describe says about the data sent.
const Privacy = "Telnyx receives the phone numbers of the call. Calls are recorded only when the workspace enables it; " +
	"the contact then hears the announcement as the recording starts, and the recording stays at Telnyx under the account's retention settings."

// e164 is a phone number in E.164.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// Provider places calls through Telnyx.
type Provider struct {
	// Retry is how failed calls are retried; zero for providerapi.DefaultRetry.
	Retry providerapi.Retry
}

// Describe says what the plugin is.
func (Provider) Describe() sdk.Description {
	return sdk.Description{Kind: sdk.KindTelephony, Name: Name, Title: "Telnyx", Version: "1.0.0", Privacy: Privacy}
}

// State is the client_state of the plugin's calls: what the webhooks of a
// leg call for. Telnyx echoes it, base64, in every webhook of the leg.
type State struct {
	Reference string `json:"ref,omitempty"`
	Leg       string `json:"leg"`             // sdk.LegAgent or sdk.LegContact
	To        string `json:"to"`              // the contact, dialled when the user answers
	From      string `json:"from"`            // the caller id
	Record    bool   `json:"rec,omitempty"`   // record from the contact's answer
	Say       string `json:"say,omitempty"`   // the recording announcement
	Agent     string `json:"agent,omitempty"` // the user's leg's call_control_id, on the contact's leg
}

// encode is the state as client_state.
func (s State) encode() string {
	raw, _ := json.Marshal(s)
	return base64.StdEncoding.EncodeToString(raw)
}

// decodeState reads a client_state; ok is false when it is not the
// plugin's.
func decodeState(s string) (State, bool) {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return State{}, false
	}
	var st State
	if json.Unmarshal(raw, &st) != nil || (st.Leg != sdk.LegAgent && st.Leg != sdk.LegContact) {
		return State{}, false
	}
	return st, true
}

// dial is the body of POST /v2/calls.
type dial struct {
	ConnectionID     string `json:"connection_id"`
	To               string `json:"to"`
	From             string `json:"from"`
	ClientState      string `json:"client_state"`
	WebhookURL       string `json:"webhook_url"`
	WebhookURLMethod string `json:"webhook_url_method"`
}

// Call rings the user's phone with the caller id, the contact, recording
// choice and announcement in its client_state, and the status callback
// URL as its webhook_url. Placing a call is not idempotent, so only 429
// and 503 are retried.
func (p Provider) Call(ctx context.Context, req sdk.CallRequest) (*sdk.CallResult, error) {
	c, err := p.client(req.Settings)
	if err != nil {
		return nil, err
	}
	conn := strings.TrimSpace(req.Settings[SettingConnectionID])
	if conn == "" {
		return nil, errors.New("telnyx: the connection_id setting is not set")
	}
	for _, n := range []struct{ name, value string }{{"from", req.From}, {"agent_phone", req.AgentPhone}, {"to", req.To}} {
		if !e164.MatchString(n.value) {
			return nil, fmt.Errorf("telnyx: %s %q is not a phone number in E.164, like +4930123456", n.name, n.value)
		}
	}
	if req.Record && strings.TrimSpace(req.AnnounceRecording) == "" {
		return nil, errors.New("telnyx: a recorded call needs the announcement the contact hears (announce_recording)")
	}
	if !providerapi.HTTPURL(req.StatusCallbackURL) {
		return nil, fmt.Errorf("telnyx: the status callback URL %q is not an http(s) URL", req.StatusCallbackURL)
	}
	st := State{Reference: req.Reference, Leg: sdk.LegAgent, To: req.To, From: req.From, Record: req.Record}
	if req.Record {
		st.Say = req.AnnounceRecording
	}
	body, err := json.Marshal(dial{ConnectionID: conn, To: req.AgentPhone, From: req.From, ClientState: st.encode(),
		WebhookURL: req.StatusCallbackURL, WebhookURLMethod: http.MethodPost})
	if err != nil {
		return nil, err
	}
	raw, err := c.Do(ctx, providerapi.Request{Method: http.MethodPost, Path: "/v2/calls", JSON: body})
	if err != nil {
		return nil, err
	}
	var res struct {
		Data struct {
			CallControlID string `json:"call_control_id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &res); err != nil || res.Data.CallControlID == "" {
		return nil, &sdk.ProviderError{Provider: Name, HTTPStatus: 200, Message: "the answer is not a call", Unavailable: true, Attempts: 1}
	}
	return &sdk.CallResult{ProviderCallID: res.Data.CallControlID, Status: sdk.CallInitiated}, nil
}

// client reads the settings.
func (p Provider) client(settings map[string]string) (*providerapi.Client, error) {
	key := strings.TrimSpace(settings[SettingAPIKey])
	if key == "" {
		return nil, errors.New("telnyx: the api_key setting is not set")
	}
	base, err := providerapi.BaseURL(Name, SettingBaseURL, settings, DefaultBaseURL)
	if err != nil {
		return nil, err
	}
	c := providerapi.New(Name, base, p.Retry, readError)
	c.Header["Authorization"] = "Bearer " + key
	return c, nil
}

// command sends a Call Control command to a leg; commandID makes a
// repeated command (a webhook delivered twice) a no-op at Telnyx, so it is
// retried like an idempotent call.
func command(ctx context.Context, c *providerapi.Client, callControlID, action string, body map[string]any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	_, err = c.Do(ctx, providerapi.Request{Method: http.MethodPost,
		Path: "/v2/calls/" + url.PathEscape(callControlID) + "/actions/" + action, JSON: raw, Idempotent: true})
	return err
}

// readError reads Telnyx's error body:
// {"errors":[{"code":"90018","title":"…","detail":"…"}]}.
func readError(body []byte) (string, string) {
	var e struct {
		Errors []struct {
			Code   string `json:"code"`
			Title  string `json:"title"`
			Detail string `json:"detail"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &e) != nil || len(e.Errors) == 0 {
		return "", ""
	}
	first := e.Errors[0]
	msg := first.Title
	if first.Detail != "" && first.Detail != first.Title {
		msg += ": " + first.Detail
	}
	return first.Code, msg
}
