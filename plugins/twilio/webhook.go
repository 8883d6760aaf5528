package twilio

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// SignatureHeader is the header Twilio signs its callbacks in.
const SignatureHeader = "X-Twilio-Signature"

// ParseCallWebhook verifies the X-Twilio-Signature of a callback with the
// auth_token setting, in constant time, and reads it:
//
//	status callback (the user's leg)  CallStatus: initiated, ringing, answered
//	                                  (in-progress), completed with CallDuration,
//	                                  busy, no_answer, failed, canceled
//	<Dial action> (the contact's leg) DialCallStatus: completed with
//	                                  DialCallDuration, busy, no_answer, failed,
//	                                  canceled; answered with <Response/>
//	<Number url> (announce)           ignored; answered with the <Say> of the
//	                                  announcement, which the contact hears
//	recording status callback         recorded, with the RecordingUrl
func (Provider) ParseCallWebhook(_ context.Context, req sdk.CallWebhookRequest) (*sdk.CallEvent, error) {
	token := req.Settings[SettingAuthToken]
	if token == "" {
		return nil, errors.New("twilio webhook: the auth_token setting is not set, so the signature cannot be verified")
	}
	sig := strings.TrimSpace(sdk.Header(req.Headers, SignatureHeader))
	if sig == "" {
		return nil, errors.New("twilio webhook: missing X-Twilio-Signature header; the request is not signed by Twilio")
	}
	form, err := url.ParseQuery(string(req.Body))
	if err != nil {
		return nil, fmt.Errorf("twilio webhook: the body is not a form: %v", err)
	}
	if !Verify(token, req.URL, form, sig) {
		return nil, errors.New("twilio webhook: invalid signature: X-Twilio-Signature does not match the URL and parameters with this auth_token")
	}
	u, err := url.Parse(req.URL)
	if err != nil {
		return nil, fmt.Errorf("twilio webhook: the URL is not a URL: %v", err)
	}
	q := u.Query()
	ev := &sdk.CallEvent{Reference: q.Get(ParamReference), ProviderCallID: form.Get("CallSid"), Leg: sdk.LegContact}
	if t, err := time.Parse(time.RFC1123Z, form.Get("Timestamp")); err == nil {
		ev.OccurredAt = t.UTC().Format(time.RFC3339)
	}
	switch q.Get(ParamStep) {
	case StepAnnounce:
		if parent := form.Get("ParentCallSid"); parent != "" {
			ev.ProviderCallID = parent
		}
		ev.ID, ev.Status = ev.ProviderCallID+":announce", sdk.CallIgnored
		var b strings.Builder
		b.WriteString("<Response>")
		say(&b, q.Get(ParamSay), req.Settings[SettingLanguage])
		b.WriteString("</Response>")
		ev.Reply, ev.ReplyContentType = []byte(b.String()), "text/xml"
	case StepDial:
		ev.ID, ev.Status = ev.ProviderCallID+":dial", dialStatus(form.Get("DialCallStatus"))
		ev.DurationSeconds, _ = strconv.Atoi(form.Get("DialCallDuration"))
		ev.RecordingURL = form.Get("RecordingUrl")
		ev.Reply, ev.ReplyContentType = []byte("<Response/>"), "text/xml"
	case StepRecording:
		ev.ID, ev.Status = form.Get("RecordingSid"), sdk.CallIgnored
		if form.Get("RecordingStatus") == "completed" {
			ev.Status, ev.RecordingURL = sdk.CallRecorded, form.Get("RecordingUrl")
		}
	default:
		ev.Leg = sdk.LegAgent
		ev.Status = callStatus(form.Get("CallStatus"))
		ev.ID = ev.ProviderCallID + ":" + form.Get("CallStatus") + ":" + form.Get("SequenceNumber")
		ev.DurationSeconds, _ = strconv.Atoi(form.Get("CallDuration"))
	}
	return ev, nil
}

// callStatus maps Twilio's CallStatus.
func callStatus(s string) string {
	switch s {
	case "queued", "initiated":
		return sdk.CallInitiated
	case "ringing":
		return sdk.CallRinging
	case "in-progress":
		return sdk.CallAnswered
	case "completed":
		return sdk.CallCompleted
	case "busy":
		return sdk.CallBusy
	case "no-answer":
		return sdk.CallNoAnswer
	case "failed":
		return sdk.CallFailed
	case "canceled":
		return sdk.CallCanceled
	}
	return sdk.CallIgnored
}

// dialStatus maps Twilio's DialCallStatus.
func dialStatus(s string) string {
	if s == "answered" {
		return sdk.CallCompleted
	}
	return callStatus(s)
}

// Sign returns the X-Twilio-Signature of a POST to fullURL with the form,
// as Twilio computes it: the Base64 HMAC-SHA1, keyed with the auth token,
// of the URL followed by each parameter's name and value, sorted by name.
func Sign(authToken, fullURL string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(fullURL)
	for _, k := range keys {
		values := append([]string(nil), form[k]...)
		sort.Strings(values)
		for _, v := range values {
			b.WriteString(k + v)
		}
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Verify reports whether sig is the X-Twilio-Signature of the callback.
func Verify(authToken, fullURL string, form url.Values, sig string) bool {
	got, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return false
	}
	want, _ := base64.StdEncoding.DecodeString(Sign(authToken, fullURL, form))
	return hmac.Equal(got, want)
}
