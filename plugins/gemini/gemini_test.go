package gemini_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kontor-app/kontor/plugins/gemini"
	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/plugins/sdk/providerapi"
)

const key = "AIzaSy-test-key"

// fake speaks generateContent: each call gets the next reply.
type fake struct {
	mu      sync.Mutex
	calls   []call
	replies []reply
}

type call struct {
	method, path string
	query        string
	header       http.Header
	body         string
}

type reply struct {
	status int
	body   string
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), string(body)})
	rep := reply{500, `{"error":{"code":500,"message":"unexpected call","status":"INTERNAL"}}`}
	if len(f.replies) > 0 {
		rep, f.replies = f.replies[0], f.replies[1:]
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	if strings.HasPrefix(rep.body, "data: ") {
		w.Header().Set("Content-Type", "text/event-stream")
	}
	w.WriteHeader(rep.status)
	io.WriteString(w, rep.body)
}

func serve(t *testing.T, replies ...reply) (*fake, map[string]string) {
	f := &fake{replies: replies}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, map[string]string{"api_key": key, "base_url": srv.URL, "model": "gemini-2.5-flash"}
}

var provider = gemini.Provider{Retry: providerapi.Retry{Attempts: 3, Wait: time.Millisecond, MaxWait: time.Second}}

// Answers in the shape of the Gemini API reference (GenerateContentResponse).
const (
	functionCallAnswer = `{"candidates":[{"content":{"parts":[
			{"functionCall":{"name":"list_invoices","args":{"status":"overdue","limit":5}},"thoughtSignature":"CiQB0e2Kb6sig=="}],
			"role":"model"},"finishReason":"STOP","index":0}],
		"usageMetadata":{"promptTokenCount":122,"candidatesTokenCount":18,"totalTokenCount":190,"thoughtsTokenCount":50},
		"modelVersion":"gemini-2.5-flash","responseId":"8cB2aO2iLq6vz7IPq9mI6Q0"}`
	textAnswer = `{"candidates":[{"content":{"parts":[{"text":"You have one overdue invoice: "},{"text":"INV-2026-0007."}],"role":"model"},
		"finishReason":"STOP","index":0}],
		"usageMetadata":{"promptTokenCount":160,"candidatesTokenCount":12,"totalTokenCount":172},"modelVersion":"gemini-2.5-flash"}`
	unavailable = `{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}`
	exhausted   = `{"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details.","status":"RESOURCE_EXHAUSTED"}}`
	badArgument = `{"error":{"code":400,"message":"* GenerateContentRequest.contents: contents is not specified\n","status":"INVALID_ARGUMENT"}}`
)

var tools = []sdk.Tool{{Name: "list_invoices", Description: "Lists the workspace's invoices.",
	Parameters: json.RawMessage(`{"type":"object","properties":{"status":{"type":"string","enum":["open","overdue","paid"]},"limit":{"type":"integer"}},"required":["status"]}`)}}

func sameJSON(t *testing.T, got, want string) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("body %q: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(g, w)
}

func TestDescribe(t *testing.T) {
	if err := sdk.Check(gemini.Provider{}); err != nil {
		t.Fatal(err)
	}
	d := gemini.Provider{}.Describe()
	if d.Kind != sdk.KindLLM || d.Name != "gemini" || !d.Has(sdk.CapabilityTools) || d.Models[0] != gemini.DefaultModel || !strings.Contains(d.Privacy, "billing") {
		t.Fatalf("%+v", d)
	}
}

// TestFunctionCallRoundTrip plays a conversation in which the model calls
// a function and answers with its result: two requests, each asserted as
// JSON, the function call (with its thought signature) sent back as the
// model's turn and the result as a functionResponse.
func TestFunctionCallRoundTrip(t *testing.T) {
	f, settings := serve(t, reply{200, functionCallAnswer}, reply{200, textAnswer})
	ctx := context.Background()
	conv := []sdk.ChatMessage{{Role: sdk.RoleUser, Text: "Which invoices are overdue?"}}
	req := sdk.ChatRequest{Settings: settings, System: "You are Kontor's assistant.", Messages: conv, Tools: tools, MaxTokens: 1024}

	res, err := provider.Chat(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	want := &sdk.ChatResponse{StopReason: sdk.StopToolUse, Model: "gemini-2.5-flash",
		ToolCalls: []sdk.ToolCall{{ID: "kontor-call-1", Name: "list_invoices", Arguments: json.RawMessage(`{"status":"overdue","limit":5}`), Signature: "CiQB0e2Kb6sig=="}},
		Usage:     sdk.Usage{InputTokens: 122, OutputTokens: 68}}
	if !reflect.DeepEqual(res, want) {
		t.Fatalf("got %+v\nwant %+v", res, want)
	}

	req.Messages = append(conv,
		sdk.ChatMessage{Role: sdk.RoleAssistant, ToolCalls: res.ToolCalls},
		sdk.ChatMessage{Role: sdk.RoleTool, ToolResults: []sdk.ToolResult{{CallID: "kontor-call-1", Name: "list_invoices",
			Content: `[{"number":"INV-2026-0007","total":"1200.00"}]`}}})
	res, err = provider.Chat(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != "You have one overdue invoice: INV-2026-0007." || res.StopReason != sdk.StopEnd || len(res.ToolCalls) != 0 {
		t.Fatalf("%+v", res)
	}

	if len(f.calls) != 2 {
		t.Fatalf("%d calls", len(f.calls))
	}
	for _, c := range f.calls {
		if c.method != http.MethodPost || c.path != "/v1beta/models/gemini-2.5-flash:generateContent" {
			t.Errorf("%s %s", c.method, c.path)
		}
		if c.header.Get("X-Goog-Api-Key") != key || c.header.Get("Content-Type") != "application/json" {
			t.Errorf("headers %v", c.header)
		}
	}
	decl := `"tools":[{"functionDeclarations":[{"name":"list_invoices","description":"Lists the workspace's invoices.",
		"parametersJsonSchema":{"type":"object","properties":{"status":{"type":"string","enum":["open","overdue","paid"]},"limit":{"type":"integer"}},"required":["status"]}}]}]`
	first := `{"systemInstruction":{"parts":[{"text":"You are Kontor's assistant."}]},
		"contents":[{"role":"user","parts":[{"text":"Which invoices are overdue?"}]}],` + decl + `,
		"generationConfig":{"maxOutputTokens":1024}}`
	if !sameJSON(t, f.calls[0].body, first) {
		t.Errorf("first body\n got %s\nwant %s", f.calls[0].body, first)
	}
	second := `{"systemInstruction":{"parts":[{"text":"You are Kontor's assistant."}]},
		"contents":[
			{"role":"user","parts":[{"text":"Which invoices are overdue?"}]},
			{"role":"model","parts":[{"functionCall":{"name":"list_invoices","args":{"status":"overdue","limit":5}},"thoughtSignature":"CiQB0e2Kb6sig=="}]},
			{"role":"user","parts":[{"functionResponse":{"name":"list_invoices","response":{"output":[{"number":"INV-2026-0007","total":"1200.00"}]}}}]}],
		` + decl + `,"generationConfig":{"maxOutputTokens":1024}}`
	if !sameJSON(t, f.calls[1].body, second) {
		t.Errorf("second body\n got %s\nwant %s", f.calls[1].body, second)
	}
}

// TestCallIDs sends back the ids Gemini gave its calls, and results as
// Gemini wants them: an object as it is, an error under "error".
func TestCallIDs(t *testing.T) {
	f, settings := serve(t, reply{200, textAnswer})
	delete(settings, "model")
	_, err := provider.Chat(context.Background(), sdk.ChatRequest{Settings: settings, Messages: []sdk.ChatMessage{
		{Role: sdk.RoleUser, Text: "Hi"},
		{Role: sdk.RoleAssistant, Text: "Looking.", ToolCalls: []sdk.ToolCall{{ID: "fc-7", Name: "get_contact", Arguments: json.RawMessage(`{"id":"c1"}`)}, {ID: "fc-8", Name: "get_deal"}}},
		{Role: sdk.RoleTool, ToolResults: []sdk.ToolResult{{CallID: "fc-7", Name: "get_contact", Content: `{"name":"Ada"}`}, {CallID: "fc-8", Name: "get_deal", Content: "no such deal", IsError: true}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if f.calls[0].path != "/v1beta/models/gemini-2.5-flash:generateContent" {
		t.Errorf("path %s", f.calls[0].path)
	}
	want := `{"contents":[{"role":"user","parts":[{"text":"Hi"}]},
		{"role":"model","parts":[{"text":"Looking."},{"functionCall":{"id":"fc-7","name":"get_contact","args":{"id":"c1"}}},{"functionCall":{"id":"fc-8","name":"get_deal","args":{}}}]},
		{"role":"user","parts":[{"functionResponse":{"id":"fc-7","name":"get_contact","response":{"name":"Ada"}}},{"functionResponse":{"id":"fc-8","name":"get_deal","response":{"error":"no such deal"}}}]}],
		"generationConfig":{"maxOutputTokens":4096}}`
	if !sameJSON(t, f.calls[0].body, want) {
		t.Errorf("body\n got %s\nwant %s", f.calls[0].body, want)
	}
}

func TestFinishReasons(t *testing.T) {
	cases := []struct {
		answer string
		want   string
	}{
		{`{"candidates":[{"content":{"parts":[{"text":"…"}],"role":"model"},"finishReason":"MAX_TOKENS"}]}`, sdk.StopMaxTokens},
		{`{"candidates":[{"content":{"parts":[],"role":"model"},"finishReason":"SAFETY"}]}`, sdk.StopRefusal},
		{`{"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":9}}`, sdk.StopRefusal},
		{`{"candidates":[{"content":{"parts":[],"role":"model"},"finishReason":"MALFORMED_FUNCTION_CALL"}]}`, sdk.StopOther},
	}
	for _, tc := range cases {
		_, settings := serve(t, reply{200, tc.answer})
		res, err := provider.Chat(context.Background(), sdk.ChatRequest{Settings: settings, Messages: []sdk.ChatMessage{{Role: sdk.RoleUser, Text: "Hi"}}})
		if err != nil || res.StopReason != tc.want {
			t.Errorf("%s: %+v %v, want %s", tc.answer, res, err, tc.want)
		}
	}
}

func TestProviderErrors(t *testing.T) {
	cases := []struct {
		name        string
		replies     []reply
		calls       int
		unavailable bool
		errText     string
	}{
		{"overloaded then answered", []reply{{503, unavailable}, {200, textAnswer}}, 2, false, ""},
		{"overloaded throughout", []reply{{503, unavailable}, {503, unavailable}, {503, unavailable}}, 3, true,
			"gemini is unavailable, try again later (HTTP 503 UNAVAILABLE, 3 attempts): The model is overloaded. Please try again later."},
		{"quota exhausted", []reply{{429, exhausted}, {429, exhausted}, {429, exhausted}}, 3, true, "HTTP 429 RESOURCE_EXHAUSTED, 3 attempts): You exceeded your current quota"},
		{"rejected", []reply{{400, badArgument}}, 1, false, "gemini rejected the request (HTTP 400 INVALID_ARGUMENT): * GenerateContentRequest.contents: contents is not specified"},
		{"bad key", []reply{{403, `{"error":{"code":403,"message":"Method doesn't allow unregistered callers.","status":"PERMISSION_DENIED"}}`}}, 1, false, "HTTP 403 PERMISSION_DENIED"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, settings := serve(t, tc.replies...)
			res, err := provider.Chat(context.Background(), sdk.ChatRequest{Settings: settings, Messages: []sdk.ChatMessage{{Role: sdk.RoleUser, Text: "Hi"}}})
			if len(f.calls) != tc.calls {
				t.Errorf("%d calls, want %d", len(f.calls), tc.calls)
			}
			if tc.errText == "" {
				if err != nil || res.StopReason != sdk.StopEnd {
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

func TestInvalidRequests(t *testing.T) {
	f, settings := serve(t)
	base := settings["base_url"]
	hi := []sdk.ChatMessage{{Role: sdk.RoleUser, Text: "Hi"}}
	cases := []struct {
		name string
		req  sdk.ChatRequest
		want string
	}{
		{"no key", sdk.ChatRequest{Settings: map[string]string{"base_url": base}, Messages: hi}, "api_key setting is not set"},
		{"model escaping the path", sdk.ChatRequest{Settings: map[string]string{"api_key": key, "base_url": base, "model": "../files"}, Messages: hi}, "is not a model name"},
		{"bad role", sdk.ChatRequest{Settings: settings, Messages: []sdk.ChatMessage{{Role: "system", Text: "Hi"}}}, `role "system"`},
		{"no message", sdk.ChatRequest{Settings: settings}, "no message"},
		{"result without name", sdk.ChatRequest{Settings: settings, Messages: []sdk.ChatMessage{{Role: sdk.RoleTool, ToolResults: []sdk.ToolResult{{CallID: "x", Content: "x"}}}}}, "no name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := provider.Chat(context.Background(), tc.req); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
	if len(f.calls) != 0 {
		t.Errorf("%d calls for invalid requests", len(f.calls))
	}
}
