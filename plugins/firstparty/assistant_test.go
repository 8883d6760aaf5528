package firstparty_test

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kontor-app/kontor/plugins/firstparty"
	"github.com/kontor-app/kontor/plugins/host"
	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/plugins/telnyx"
	"github.com/kontor-app/kontor/plugins/twilio"
)

func startHost(t *testing.T) *host.Host {
	t.Helper()
	h := host.New(host.Config{Builtin: firstparty.Plugins(), HealthInterval: -1}, slog.New(slog.DiscardHandler))
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	return h
}

// TestLLMsOutOfProcess calls the LLM plugins as Kontor does: in their own
// process, over gRPC; a provider's refusal reaches Kontor as a
// *sdk.ProviderError inside the *host.CallError.
func TestLLMsOutOfProcess(t *testing.T) {
	h := startHost(t)
	var names []string
	for _, i := range h.LLMs() {
		names = append(names, i.Name)
	}
	if got := strings.Join(names, ","); got != "anthropic,gemini" {
		t.Fatalf("LLM plugins: %s", got)
	}
	answers := map[string]string{
		"/v1/messages": `{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Hello from Claude."}],
			"stop_reason":"end_turn","usage":{"input_tokens":9,"output_tokens":5}}`,
		"/v1beta/models/gemini-2.5-flash:generateContent": `{"candidates":[{"content":{"parts":[{"text":"Hello from Gemini."}],"role":"model"},"finishReason":"STOP"}],
			"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":5},"modelVersion":"gemini-2.5-flash"}`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if strings.Contains(string(body), "please fail") {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long"},"error_gemini":null}`)
			return
		}
		io.WriteString(w, answers[r.URL.Path])
	}))
	defer srv.Close()
	ctx := context.Background()
	settings := map[string]string{"api_key": "k", "base_url": srv.URL}
	for name, want := range map[string]string{"anthropic": "Hello from Claude.", "gemini": "Hello from Gemini."} {
		t.Run(name, func(t *testing.T) {
			res, err := h.Chat(ctx, name, sdk.ChatRequest{Settings: settings, Messages: []sdk.ChatMessage{{Role: sdk.RoleUser, Text: "Hi"}}})
			if err != nil || res.Text != want || res.StopReason != sdk.StopEnd || res.Usage.OutputTokens != 5 {
				t.Fatalf("%+v %v", res, err)
			}
		})
	}
	_, err := h.Chat(ctx, "anthropic", sdk.ChatRequest{Settings: settings, Messages: []sdk.ChatMessage{{Role: sdk.RoleUser, Text: "please fail"}}})
	var ce *host.CallError
	var pe *sdk.ProviderError
	if !errors.As(err, &ce) || !errors.As(err, &pe) || pe.Unavailable || pe.HTTPStatus != 400 || pe.Message != "prompt is too long" {
		t.Fatalf("got %v", err)
	}
	if _, err := h.Chat(ctx, "stripe", sdk.ChatRequest{}); !errors.Is(err, host.ErrNotFound) {
		t.Fatalf("a payment plugin is no LLM: %v", err)
	}
}

// TestLLMsStreamOutOfProcess streams both LLM plugins' answers through
// the host, piece by piece, from their providers' event streams; both
// declare the streaming capability.
func TestLLMsStreamOutOfProcess(t *testing.T) {
	h := startHost(t)
	for _, i := range h.LLMs() {
		if !i.Description.Has(sdk.CapabilityStreaming) {
			t.Errorf("%s does not declare %s", i.Name, sdk.CapabilityStreaming)
		}
	}
	streams := map[string]string{
		"/v1/messages": "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5\",\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}\n\n" +
			"event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n" +
			"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello \"}}\n\n" +
			"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"from Claude.\"}}\n\n" +
			"event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
			"event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":5}}\n\n" +
			"event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
		"/v1beta/models/gemini-2.5-flash:streamGenerateContent": "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hello \"}],\"role\":\"model\"},\"index\":0}],\"modelVersion\":\"gemini-2.5-flash\"}\r\n\r\n" +
			"data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"from Gemini.\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":9,\"candidatesTokenCount\":5},\"modelVersion\":\"gemini-2.5-flash\"}\r\n\r\n",
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, streams[r.URL.Path])
	}))
	defer srv.Close()
	settings := map[string]string{"api_key": "k", "base_url": srv.URL}
	for name, want := range map[string]string{"anthropic": "Hello |from Claude.", "gemini": "Hello |from Gemini."} {
		t.Run(name, func(t *testing.T) {
			var deltas []string
			res, err := h.ChatStream(context.Background(), name, sdk.ChatRequest{Settings: settings, Messages: []sdk.ChatMessage{{Role: sdk.RoleUser, Text: "Hi"}}},
				func(d string) error {
					deltas = append(deltas, d)
					return nil
				})
			if err != nil || strings.Join(deltas, "|") != want || res.Text != strings.ReplaceAll(want, "|", "") || res.StopReason != sdk.StopEnd || res.Usage.OutputTokens != 5 {
				t.Fatalf("%+v %v %q", res, err, deltas)
			}
		})
	}
}

// TestTelephonyOutOfProcess places a Twilio call and reads a Telnyx
// webhook through the host, and refuses a forged one.
func TestTelephonyOutOfProcess(t *testing.T) {
	h := startHost(t)
	if got := names(h.Telephones()); got != "telnyx,twilio" {
		t.Fatalf("telephony plugins: %s", got)
	}
	ctx := context.Background()
	var form url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		form = r.PostForm
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"sid":"CA1","status":"queued"}`)
	}))
	defer srv.Close()
	res, err := h.PlaceCall(ctx, "twilio", sdk.CallRequest{
		Settings: map[string]string{"account_sid": "AC" + strings.Repeat("0", 32), "auth_token": "t", "base_url": srv.URL},
		From:     "+4930901820", AgentPhone: "+4915112345678", To: "+4917698765432", StatusCallbackURL: "https://kontor.example/cb", Reference: "r1"})
	if err != nil || res.ProviderCallID != "CA1" || form.Get("To") != "+4915112345678" || !strings.Contains(form.Get("Twiml"), "<Number>+4917698765432</Number>") {
		t.Fatalf("%+v %v %v", res, err, form)
	}

	pub, priv, _ := ed25519.GenerateKey(nil)
	state := base64.StdEncoding.EncodeToString([]byte(`{"ref":"r1","leg":"contact","to":"+4917698765432","from":"+4930901820","agent":"v3:A"}`))
	body := []byte(`{"data":{"event_type":"call.hangup","id":"ev-5","occurred_at":"2026-03-02T10:01:26Z","payload":{"call_control_id":"v3:B",
		"client_state":"` + state + `","hangup_cause":"normal_clearing","start_time":"2026-03-02T10:00:05Z","end_time":"2026-03-02T10:01:26Z"},"record_type":"event"}}`)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req := sdk.CallWebhookRequest{Body: body, URL: "https://kontor.example/cb",
		Headers:  map[string][]string{"Telnyx-Signature-Ed25519": {telnyx.Sign(priv, ts, body)}, "Telnyx-Timestamp": {ts}},
		Settings: map[string]string{"api_key": "k", "public_key": base64.StdEncoding.EncodeToString(pub)}}
	ev, err := h.ParseCallWebhook(ctx, "telnyx", req)
	if err != nil || ev.ProviderCallID != "v3:A" || ev.Status != sdk.CallCompleted || ev.DurationSeconds != 81 || ev.Reference != "r1" {
		t.Fatalf("%+v %v", ev, err)
	}
	_, forger, _ := ed25519.GenerateKey(nil)
	req.Headers["Telnyx-Signature-Ed25519"] = []string{telnyx.Sign(forger, ts, body)}
	if _, err := h.ParseCallWebhook(ctx, "telnyx", req); err == nil || !strings.Contains(err.Error(), "invalid signature") {
		t.Fatalf("forged: %v", err)
	}

	status := "https://kontor.example/cb?kontor_ref=r1"
	cb := url.Values{"CallSid": {"CA1"}, "CallStatus": {"ringing"}, "SequenceNumber": {"1"}}
	ev, err = h.ParseCallWebhook(ctx, "twilio", sdk.CallWebhookRequest{Body: []byte(cb.Encode()), URL: status,
		Headers: map[string][]string{"X-Twilio-Signature": {twilio.Sign("t", status, cb)}}, Settings: map[string]string{"auth_token": "t"}})
	if err != nil || ev.Status != sdk.CallRinging || ev.Leg != sdk.LegAgent {
		t.Fatalf("%+v %v", ev, err)
	}
}

func names(infos []host.Info) string {
	var out []string
	for _, i := range infos {
		out = append(out, i.Name)
	}
	return strings.Join(out, ",")
}
