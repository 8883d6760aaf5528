// Package twilio is the first-party telephony plugin "twilio":
// click-to-call through Twilio's Programmable Voice REST API. A call rings
// the user's phone (POST /2010-04-01/Accounts/{AccountSid}/Calls.json)
// with TwiML that, once the user answers, <Dial>s the contact: Twilio
// bridges the two. Status callbacks are verified with X-Twilio-Signature.
//
// Settings, passed with every call:
//
//	account_sid  required: the account's SID (AC…)
//	auth_token   required: the account's auth token; it signs callbacks
//	language     optional: the language of the recording announcement
//	             (<Say language>), e.g. "de-DE"; Twilio's default when empty
//	base_url     optional: another API base URL (tests)
package twilio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/plugins/sdk/providerapi"
)

// Name is the plugin's id.
const Name = "twilio"

// The settings the plugin reads.
const (
	SettingAccountSID = "account_sid"
	SettingAuthToken  = "auth_token"
	SettingLanguage   = "language"
	SettingBaseURL    = "base_url"
)

// DefaultBaseURL is Twilio's REST API.
const DefaultBaseURL = "https://api.twilio.com"

// The query parameters the plugin adds to the status callback URL, to know
// what a callback is about.
const (
	ParamReference = "kontor_ref"  // CallRequest.Reference
	ParamStep      = "kontor_step" // which callback: "" status, StepDial, StepAnnounce, StepRecording
	ParamSay       = "kontor_say"  // the announcement, for StepAnnounce
)

// Steps of a callback.
const (
	StepDial      = "dial"      // <Dial action>: how the contact's leg ended
	StepAnnounce  = "announce"  // <Number url>: what the contact hears on answering
	StepRecording = "recording" // recordingStatusCallback
)

// Privacy is what Describe says about the data sent.
const Privacy = "Twilio receives the phone numbers of the call. Calls are recorded only when the workspace enables it; " +
	"the contact then hears the announcement before being connected, and the recording stays at Twilio under the account's retention settings."

// e164 is a phone number in E.164.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// sidPattern is an account SID: it goes into the URL path.
var sidPattern = regexp.MustCompile(`^AC[0-9a-fA-F]{32}$`)

// Provider places calls through Twilio.
type Provider struct {
	// Retry is how failed calls are retried; zero for providerapi.DefaultRetry.
	Retry providerapi.Retry
}

// Describe says what the plugin is.
func (Provider) Describe() sdk.Description {
	return sdk.Description{Kind: sdk.KindTelephony, Name: Name, Title: "Twilio", Version: "1.0.0", Privacy: Privacy}
}

// Call rings the user's phone (To: AgentPhone, From: the caller id) with
// TwiML that dials the contact once the user answers (see TwiML), and asks
// for status callbacks (initiated, ringing, answered, completed) at the
// status callback URL. Creating a call is not idempotent at Twilio, so
// only 429 and 503 are retried.
func (p Provider) Call(ctx context.Context, req sdk.CallRequest) (*sdk.CallResult, error) {
	c, sid, err := p.client(req.Settings)
	if err != nil {
		return nil, err
	}
	if err := check(req); err != nil {
		return nil, err
	}
	cb, err := callbackURL(req.StatusCallbackURL, req.Reference, "", "")
	if err != nil {
		return nil, err
	}
	twiml, err := TwiML(req, req.Settings[SettingLanguage])
	if err != nil {
		return nil, err
	}
	form := url.Values{
		"To":                   {req.AgentPhone},
		"From":                 {req.From},
		"Twiml":                {twiml},
		"StatusCallback":       {cb},
		"StatusCallbackEvent":  {"initiated", "ringing", "answered", "completed"},
		"StatusCallbackMethod": {http.MethodPost},
	}
	raw, err := c.Do(ctx, providerapi.Request{Method: http.MethodPost, Path: "/2010-04-01/Accounts/" + sid + "/Calls.json", Form: form})
	if err != nil {
		return nil, err
	}
	var call struct {
		SID    string `json:"sid"`
		Status string `json:"status"`
	}
	if err := json.Unmarshal(raw, &call); err != nil || call.SID == "" {
		return nil, &sdk.ProviderError{Provider: Name, HTTPStatus: 201, Message: "the answer is not a call", Unavailable: true, Attempts: 1}
	}
	return &sdk.CallResult{ProviderCallID: call.SID, Status: callStatus(call.Status)}, nil
}

// check refuses a call Kontor should not place.
func check(req sdk.CallRequest) error {
	for _, n := range []struct{ name, value string }{{"from", req.From}, {"agent_phone", req.AgentPhone}, {"to", req.To}} {
		if !e164.MatchString(n.value) {
			return fmt.Errorf("twilio: %s %q is not a phone number in E.164, like +4930123456", n.name, n.value)
		}
	}
	if req.Record && strings.TrimSpace(req.AnnounceRecording) == "" {
		return errors.New("twilio: a recorded call needs the announcement the contact hears (announce_recording)")
	}
	return nil
}

// client reads the settings.
func (p Provider) client(settings map[string]string) (*providerapi.Client, string, error) {
	sid := strings.TrimSpace(settings[SettingAccountSID])
	token := settings[SettingAuthToken]
	if sid == "" || token == "" {
		return nil, "", errors.New("twilio: the account_sid and auth_token settings are not set")
	}
	if !sidPattern.MatchString(sid) {
		return nil, "", errors.New("twilio: the account_sid setting is not an account SID (AC followed by 32 hex digits)")
	}
	base, err := providerapi.BaseURL(Name, SettingBaseURL, settings, DefaultBaseURL)
	if err != nil {
		return nil, "", err
	}
	c := providerapi.New(Name, base, p.Retry, readError)
	c.BasicUser, c.BasicPassword = sid, token
	return c, sid, nil
}

// callbackURL is the status callback URL with the plugin's parameters.
func callbackURL(base, reference, step, say string) (string, error) {
	u, err := url.Parse(base)
	if err != nil || !providerapi.HTTPURL(base) {
		return "", fmt.Errorf("twilio: the status callback URL %q is not an http(s) URL", base)
	}
	q := u.Query()
	if reference != "" {
		q.Set(ParamReference, reference)
	}
	if step != "" {
		q.Set(ParamStep, step)
	}
	if say != "" {
		q.Set(ParamSay, say)
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// readError reads Twilio's error body:
// {"code":21211,"message":"…","more_info":"…","status":400}.
func readError(body []byte) (string, string) {
	var e struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &e) != nil || e.Message == "" {
		return "", ""
	}
	code := ""
	if e.Code != 0 {
		code = strconv.Itoa(e.Code)
	}
	return code, e.Message
}
