package gemini_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// sse is a streamGenerateContent?alt=sse answer: each GenerateContentResponse
// a data line, events separated by "\r\n\r\n" as Google sends them.
func sse(responses ...string) string {
	var b strings.Builder
	for _, r := range responses {
		b.WriteString("data: " + r + "\r\n\r\n")
	}
	return b.String()
}

// Streams in the shape of the Gemini API reference (streamGenerateContent).
var (
	textStream = sse(
		`{"candidates": [{"content": {"parts": [{"text": "You have one "}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 160,"totalTokenCount": 160},"modelVersion": "gemini-2.5-flash","responseId": "8cB2aO2iLq6vz7IPq9mI6Q0"}`,
		`{"candidates": [{"content": {"parts": [{"text": "overdue invoice: "}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 160,"totalTokenCount": 160},"modelVersion": "gemini-2.5-flash","responseId": "8cB2aO2iLq6vz7IPq9mI6Q0"}`,
		`{"candidates": [{"content": {"parts": [{"text": "INV-2026-0007."}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 160,"candidatesTokenCount": 12,"totalTokenCount": 172},"modelVersion": "gemini-2.5-flash","responseId": "8cB2aO2iLq6vz7IPq9mI6Q0"}`)
	functionCallStream = sse(
		`{"candidates": [{"content": {"parts": [{"text": "Let me check."}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 122,"totalTokenCount": 122},"modelVersion": "gemini-2.5-flash"}`,
		`{"candidates": [{"content": {"parts": [{"functionCall": {"name": "list_invoices","args": {"status": "overdue","limit": 5}},"thoughtSignature": "CiQB0e2Kb6sig=="}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 122,"candidatesTokenCount": 18,"totalTokenCount": 190,"thoughtsTokenCount": 50},"modelVersion": "gemini-2.5-flash"}`)
	errorStream = sse(
		`{"candidates": [{"content": {"parts": [{"text": "You have"}],"role": "model"},"index": 0}],"modelVersion": "gemini-2.5-flash"}`,
		`{"error": {"code": 503,"message": "The model is overloaded. Please try again later.","status": "UNAVAILABLE"}}`)
	cutStream = sse(
		`{"candidates": [{"content": {"parts": [{"text": "You have"}],"role": "model"},"index": 0}],"modelVersion": "gemini-2.5-flash"}`)
)

// stream asks with ChatStream and returns the deltas it got.
func stream(settings map[string]string, req sdk.ChatRequest) ([]string, *sdk.ChatResponse, error) {
	req.Settings = settings
	var deltas []string
	res, err := provider.ChatStream(context.Background(), req, func(d string) error {
		deltas = append(deltas, d)
		return nil
	})
	return deltas, res, err
}

// TestStreamFunctionCall streams text, then a whole function call, then
// the answer with its result, from streamGenerateContent?alt=sse, with
// generateContent's request bodies.
func TestStreamFunctionCall(t *testing.T) {
	f, settings := serve(t, reply{200, functionCallStream}, reply{200, textStream})
	conv := []sdk.ChatMessage{{Role: sdk.RoleUser, Text: "Which invoices are overdue?"}}
	req := sdk.ChatRequest{System: "You are Kontor's assistant.", Messages: conv, Tools: tools, MaxTokens: 1024}

	deltas, res, err := stream(settings, req)
	if err != nil {
		t.Fatal(err)
	}
	want := &sdk.ChatResponse{Text: "Let me check.", StopReason: sdk.StopToolUse, Model: "gemini-2.5-flash",
		ToolCalls: []sdk.ToolCall{{ID: "kontor-call-1", Name: "list_invoices", Arguments: json.RawMessage(`{"status": "overdue","limit": 5}`), Signature: "CiQB0e2Kb6sig=="}},
		Usage:     sdk.Usage{InputTokens: 122, OutputTokens: 68}}
	if !reflect.DeepEqual(res, want) || !reflect.DeepEqual(deltas, []string{"Let me check."}) {
		t.Fatalf("got %+v %q\nwant %+v", res, deltas, want)
	}

	req.Messages = append(conv,
		sdk.ChatMessage{Role: sdk.RoleAssistant, ToolCalls: res.ToolCalls},
		sdk.ChatMessage{Role: sdk.RoleTool, ToolResults: []sdk.ToolResult{{CallID: "kontor-call-1", Name: "list_invoices", Content: `[]`}}})
	deltas, res, err = stream(settings, req)
	if err != nil {
		t.Fatal(err)
	}
	want = &sdk.ChatResponse{Text: "You have one overdue invoice: INV-2026-0007.", StopReason: sdk.StopEnd, Model: "gemini-2.5-flash",
		Usage: sdk.Usage{InputTokens: 160, OutputTokens: 12}}
	if !reflect.DeepEqual(res, want) || !reflect.DeepEqual(deltas, []string{"You have one ", "overdue invoice: ", "INV-2026-0007."}) {
		t.Fatalf("got %+v %q", res, deltas)
	}

	decl := `"tools":[{"functionDeclarations":[{"name":"list_invoices","description":"Lists the workspace's invoices.",
		"parametersJsonSchema":{"type":"object","properties":{"status":{"type":"string","enum":["open","overdue","paid"]},"limit":{"type":"integer"}},"required":["status"]}}]}]`
	bodies := []string{
		`{"systemInstruction":{"parts":[{"text":"You are Kontor's assistant."}]},
			"contents":[{"role":"user","parts":[{"text":"Which invoices are overdue?"}]}],` + decl + `,"generationConfig":{"maxOutputTokens":1024}}`,
		`{"systemInstruction":{"parts":[{"text":"You are Kontor's assistant."}]},
			"contents":[
				{"role":"user","parts":[{"text":"Which invoices are overdue?"}]},
				{"role":"model","parts":[{"functionCall":{"name":"list_invoices","args":{"status":"overdue","limit":5}},"thoughtSignature":"CiQB0e2Kb6sig=="}]},
				{"role":"user","parts":[{"functionResponse":{"name":"list_invoices","response":{"output":[]}}}]}],
			` + decl + `,"generationConfig":{"maxOutputTokens":1024}}`,
	}
	for i, c := range f.calls {
		if c.method != http.MethodPost || c.path != "/v1beta/models/gemini-2.5-flash:streamGenerateContent" || c.query != "alt=sse" ||
			c.header.Get("X-Goog-Api-Key") != key || c.header.Get("Accept") != "text/event-stream" {
			t.Errorf("call %d: %s %s?%s %v", i, c.method, c.path, c.query, c.header)
		}
		if !sameJSON(t, c.body, bodies[i]) {
			t.Errorf("body %d\n got %s\nwant %s", i, c.body, bodies[i])
		}
	}
}

// TestStreamFailures retries what fails before the stream starts and ends
// the answer with a provider error when it fails after.
func TestStreamFailures(t *testing.T) {
	cases := []struct {
		name        string
		replies     []reply
		calls       int
		deltas      []string
		unavailable bool
		errText     string
	}{
		{"unavailable, then streamed", []reply{{503, unavailable}, {200, textStream}}, 2,
			[]string{"You have one ", "overdue invoice: ", "INV-2026-0007."}, false, ""},
		{"rejected before the stream", []reply{{400, badArgument}}, 1, nil, false,
			"gemini rejected the request (HTTP 400 INVALID_ARGUMENT): * GenerateContentRequest.contents: contents is not specified"},
		{"error in the stream", []reply{{200, errorStream}}, 1, []string{"You have"}, true,
			"gemini is unavailable, try again later (HTTP 200 UNAVAILABLE): The model is overloaded. Please try again later."},
		{"stream cut off", []reply{{200, cutStream}}, 1, []string{"You have"}, true, "the stream ended before the answer's finishReason"},
		{"a gateway answers with a JSON array", []reply{{200, "[" + strings.Join(strings.Split(strings.TrimSpace(strings.ReplaceAll(textStream, "data: ", "")), "\r\n\r\n"), ",") + "]"}}, 1,
			[]string{"You have one ", "overdue invoice: ", "INV-2026-0007."}, false, ""},
		{"a gateway answers whole", []reply{{200, textAnswer}}, 1, []string{"You have one overdue invoice: ", "INV-2026-0007."}, false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, settings := serve(t, tc.replies...)
			deltas, res, err := stream(settings, sdk.ChatRequest{Messages: []sdk.ChatMessage{{Role: sdk.RoleUser, Text: "Hi"}}})
			if len(f.calls) != tc.calls || !reflect.DeepEqual(deltas, tc.deltas) {
				t.Errorf("%d calls, deltas %q; want %d, %q", len(f.calls), deltas, tc.calls, tc.deltas)
			}
			if tc.errText == "" {
				if err != nil || res.StopReason != sdk.StopEnd || res.Text != strings.Join(tc.deltas, "") {
					t.Fatalf("%+v %v", res, err)
				}
				return
			}
			var pe *sdk.ProviderError
			if !errors.As(err, &pe) || pe.Unavailable != tc.unavailable || !strings.Contains(err.Error(), tc.errText) {
				t.Fatalf("got %v, want %q (unavailable %v)", err, tc.errText, tc.unavailable)
			}
		})
	}
}
