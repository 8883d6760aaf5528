package telnyx

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/plugins/sdk/providerapi"
)

// The headers Telnyx signs its webhooks in.
const (
	SignatureHeader = "Telnyx-Signature-Ed25519"
	TimestampHeader = "Telnyx-Timestamp"
)

// Tolerance is how far a webhook's timestamp may be from now.
const Tolerance = 5 * time.Minute

// webhook is a Call Control webhook.
type webhook struct {
	Data struct {
		EventType  string  `json:"event_type"`
		ID         string  `json:"id"`
		OccurredAt string  `json:"occurred_at"`
		Payload    payload `json:"payload"`
	} `json:"data"`
}

type payload struct {
	CallControlID string `json:"call_control_id"`
	ClientState   string `json:"client_state"`
	HangupCause   string `json:"hangup_cause"`
	StartTime     string `json:"start_time"`
	EndTime       string `json:"end_time"`
	RecordingURLs struct {
		MP3 string `json:"mp3"`
	} `json:"recording_urls"`
}

// ParseCallWebhook verifies the webhook's Ed25519 signature with the
// public_key setting and its timestamp (within Tolerance), then reads it
// and sends the commands it calls for:
//
//	call.initiated           initiated
//	call.answered, user      answered; transfers the call to the contact
//	call.answered, contact   answered; when recording, starts the recording
//	                         (mp3, dual channel) and speaks the announcement
//	call.hangup              completed (normal_clearing) with the leg's
//	                         duration, busy, no_answer, canceled or failed
//	call.recording.saved     recorded, with the mp3 URL
//	anything else            ignored
//
// A command Telnyx rejects (the call ended meanwhile) makes the event
// failed; a command Telnyx could not take (outage) is an error, so that
// Kontor answers 5xx and Telnyx delivers the webhook again (each command
// carries the event id as command_id, so none runs twice).
func (p Provider) ParseCallWebhook(ctx context.Context, req sdk.CallWebhookRequest) (*sdk.CallEvent, error) {
	if err := Verify(req.Settings[SettingPublicKey], req.Headers, req.Body, time.Now()); err != nil {
		return nil, err
	}
	var w webhook
	if err := json.Unmarshal(req.Body, &w); err != nil {
		return nil, fmt.Errorf("telnyx webhook: signature valid but the body is not a Telnyx webhook: %v", err)
	}
	d := w.Data
	ev := &sdk.CallEvent{ID: d.ID, ProviderCallID: d.Payload.CallControlID, Status: sdk.CallIgnored}
	if t, err := time.Parse(time.RFC3339Nano, d.OccurredAt); err == nil {
		ev.OccurredAt = t.UTC().Format(time.RFC3339)
	}
	st, ours := decodeState(d.Payload.ClientState)
	if !ours {
		return ev, nil
	}
	ev.Reference, ev.Leg = st.Reference, st.Leg
	if st.Agent != "" {
		ev.ProviderCallID = st.Agent
	}
	switch d.EventType {
	case "call.initiated":
		ev.Status = sdk.CallInitiated
	case "call.answered":
		ev.Status = sdk.CallAnswered
		if err := p.answered(ctx, req, d.ID, d.Payload.CallControlID, st); err != nil {
			var pe *sdk.ProviderError
			if errors.As(err, &pe) && !pe.Unavailable {
				ev.Status = sdk.CallFailed
				return ev, nil
			}
			return nil, err
		}
	case "call.hangup":
		ev.Status = hangupStatus(d.Payload.HangupCause)
		if ev.Status == sdk.CallCompleted {
			ev.DurationSeconds = duration(d.Payload.StartTime, d.Payload.EndTime)
		}
	case "call.recording.saved":
		ev.Status, ev.RecordingURL = sdk.CallRecorded, d.Payload.RecordingURLs.MP3
	}
	return ev, nil
}

// answered sends the commands an answered leg calls for.
func (p Provider) answered(ctx context.Context, req sdk.CallWebhookRequest, eventID, callControlID string, st State) error {
	if st.Leg == sdk.LegContact && !st.Record {
		return nil
	}
	c, err := p.client(req.Settings)
	if err != nil {
		return err
	}
	if st.Leg == sdk.LegAgent {
		contact := st
		contact.Leg, contact.Agent = sdk.LegContact, callControlID
		body := map[string]any{"to": st.To, "from": st.From, "client_state": contact.encode(), "command_id": eventID}
		if providerapi.HTTPURL(req.URL) {
			body["webhook_url"], body["webhook_url_method"] = req.URL, http.MethodPost
		}
		return command(ctx, c, callControlID, "transfer", body)
	}
	if err := command(ctx, c, callControlID, "record_start", map[string]any{
		"format": "mp3", "channels": "dual", "command_id": eventID + "-record"}); err != nil {
		return err
	}
	voice, language := req.Settings[SettingVoice], req.Settings[SettingLanguage]
	if voice == "" {
		voice = DefaultVoice
	}
	if language == "" {
		language = DefaultLanguage
	}
	return command(ctx, c, callControlID, "speak", map[string]any{
		"payload": st.Say, "voice": voice, "language": language, "command_id": eventID + "-speak"})
}

// hangupStatus maps a hangup_cause.
func hangupStatus(cause string) string {
	switch cause {
	case "normal_clearing":
		return sdk.CallCompleted
	case "user_busy", "call_rejected":
		return sdk.CallBusy
	case "timeout", "no_answer":
		return sdk.CallNoAnswer
	case "originator_cancel":
		return sdk.CallCanceled
	}
	return sdk.CallFailed
}

// duration is the whole seconds between two RFC 3339 times, or 0.
func duration(start, end string) int {
	s, err1 := time.Parse(time.RFC3339Nano, start)
	e, err2 := time.Parse(time.RFC3339Nano, end)
	if err1 != nil || err2 != nil || e.Before(s) {
		return 0
	}
	return int(math.Round(e.Sub(s).Seconds()))
}

// Verify checks a webhook's telnyx-signature-ed25519 (base64) over
// "{telnyx-timestamp}|{body}" with the base64 public key, and that the
// timestamp (Unix seconds) is within Tolerance of now.
func Verify(publicKey string, headers map[string][]string, body []byte, now time.Time) error {
	if strings.TrimSpace(publicKey) == "" {
		return errors.New("telnyx webhook: the public_key setting is not set, so the signature cannot be verified")
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(publicKey))
	if err != nil || len(key) != ed25519.PublicKeySize {
		return errors.New("telnyx webhook: the public_key setting is not a base64 Ed25519 public key")
	}
	sig, ts := sdk.Header(headers, SignatureHeader), sdk.Header(headers, TimestampHeader)
	if sig == "" || ts == "" {
		return errors.New("telnyx webhook: missing telnyx-signature-ed25519 or telnyx-timestamp header; the request is not signed by Telnyx")
	}
	secs, err := strconv.ParseInt(strings.TrimSpace(ts), 10, 64)
	if err != nil {
		return errors.New("telnyx webhook: telnyx-timestamp is not a Unix time")
	}
	if d := now.Sub(time.Unix(secs, 0)); d > Tolerance || d < -Tolerance {
		return fmt.Errorf("telnyx webhook: the timestamp is %s away from now, more than %s: a replayed or delayed webhook", d.Round(time.Second).Abs(), Tolerance)
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(sig))
	if err != nil || !ed25519.Verify(ed25519.PublicKey(key), append([]byte(strings.TrimSpace(ts)+"|"), body...), raw) {
		return errors.New("telnyx webhook: invalid signature: telnyx-signature-ed25519 does not match the timestamp and body with this public_key")
	}
	return nil
}

// Sign returns the telnyx-signature-ed25519 of a webhook, as Telnyx
// computes it (for tests and tools).
func Sign(privateKey ed25519.PrivateKey, timestamp string, body []byte) string {
	return base64.StdEncoding.EncodeToString(ed25519.Sign(privateKey, append([]byte(timestamp+"|"), body...)))
}
