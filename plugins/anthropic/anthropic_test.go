package anthropic_test

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

	"github.com/kontor-app/kontor/plugins/anthropic"
	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/plugins/sdk/providerapi"
)

const key = "sk-ant-api03-test"

// fake speaks the Messages API: each call gets the next reply.
type fake struct {
	mu      sync.Mutex
	calls   []call
	replies []reply
}

type call struct {
	method, path string
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
	f.calls = append(f.calls, call{r.Method, r.URL.Path, r.Header.Clone(), string(body)})
	rep := reply{500, `{"type":"error","error":{"type":"api_error","message":"unexpected call"}}`}
	if len(f.replies) > 0 {
		rep, f.replies = f.replies[0], f.replies[1:]
	}
	w.Header().Set("Content-Type", "application/json")
	if strings.HasPrefix(rep.body, "event: ") {
		w.Header().Set("Content-Type", "text/event-stream")
	}
	w.WriteHeader(rep.status)
	io.WriteString(w, rep.body)
}

func serve(t *testing.T, replies ...reply) (*fake, map[string]string) {
	f := &fake{replies: replies}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, map[string]string{"api_key": key, "base_url": srv.URL, "model": "claude-sonnet-4-5"}
}

var provider = anthropic.Provider{Retry: providerapi.Retry{Attempts: 3, Wait: time.Millisecond, MaxWait: time.Second}}

// Answers in the shape of Anthropic's Messages API reference.
const (
	toolUseAnswer = `{"id":"msg_01Aq9w938a90dw8q","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
		"content":[{"type":"text","text":"I'll look up the open invoices."},
			{"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"list_invoices","input":{"status":"overdue","limit":5}}],
		"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":472,"output_tokens":91}}`
	endTurnAnswer = `{"id":"msg_01Bq9w938a90dw8r","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
		"content":[{"type":"text","text":"You have one overdue invoice: "},{"type":"text","text":"INV-2026-0007 (1,200.00 EUR)."}],
		"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":610,"output_tokens":24}}`
	overloaded  = `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}`
	rateLimited = `{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}`
	badRequest  = `{"type":"error","error":{"type":"invalid_request_error","message":"messages.1.content.0.tool_use.input: Input should be a valid dictionary"}}`
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
	if err := sdk.Check(anthropic.Provider{}); err != nil {
		t.Fatal(err)
	}
	d := anthropic.Provider{}.Describe()
	if d.Kind != sdk.KindLLM || d.Name != "anthropic" || !d.Has(sdk.CapabilityTools) || d.Models[0] != anthropic.DefaultModel || !strings.Contains(d.Privacy, "train") {
		t.Fatalf("%+v", d)
	}
}

// TestToolRoundTrip plays a conversation in which the model calls a tool
// and answers with its result: two requests, each asserted byte for byte
// as JSON, with the headers the API requires.
func TestToolRoundTrip(t *testing.T) {
	f, settings := serve(t, reply{200, toolUseAnswer}, reply{200, endTurnAnswer})
	ctx := context.Background()
	conv := []sdk.ChatMessage{{Role: sdk.RoleUser, Text: "Which invoices are overdue?"}}
	req := sdk.ChatRequest{Settings: settings, System: "You are Kontor's assistant.", Messages: conv, Tools: tools, MaxTokens: 1024}

	res, err := provider.Chat(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	want := &sdk.ChatResponse{Text: "I'll look up the open invoices.", StopReason: sdk.StopToolUse, Model: "claude-sonnet-4-5-20250929",
		ToolCalls: []sdk.ToolCall{{ID: "toolu_01A09q90qw90lq917835lq9", Name: "list_invoices", Arguments: json.RawMessage(`{"status":"overdue","limit":5}`)}},
		Usage:     sdk.Usage{InputTokens: 472, OutputTokens: 91}}
	if !reflect.DeepEqual(res, want) {
		t.Fatalf("got %+v\nwant %+v", res, want)
	}

	req.Messages = append(conv,
		sdk.ChatMessage{Role: sdk.RoleAssistant, Text: res.Text, ToolCalls: res.ToolCalls},
		sdk.ChatMessage{Role: sdk.RoleTool, ToolResults: []sdk.ToolResult{{CallID: "toolu_01A09q90qw90lq917835lq9", Name: "list_invoices",
			Content: `[{"number":"INV-2026-0007","total":"1200.00","currency":"EUR"}]`}}},
		sdk.ChatMessage{Role: sdk.RoleUser, Text: "Be brief."})
	res, err = provider.Chat(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != "You have one overdue invoice: INV-2026-0007 (1,200.00 EUR)." || res.StopReason != sdk.StopEnd || len(res.ToolCalls) != 0 || res.Usage.OutputTokens != 24 {
		t.Fatalf("%+v", res)
	}

	if len(f.calls) != 2 {
		t.Fatalf("%d calls", len(f.calls))
	}
	for _, c := range f.calls {
		if c.method != http.MethodPost || c.path != "/v1/messages" {
			t.Errorf("%s %s", c.method, c.path)
		}
		for name, value := range map[string]string{"X-Api-Key": key, "Anthropic-Version": "2023-06-01", "Content-Type": "application/json"} {
			if got := c.header.Get(name); got != value {
				t.Errorf("%s: %q, want %q", name, got, value)
			}
		}
	}
	toolsJSON := `[{"name":"list_invoices","description":"Lists the workspace's invoices.",
		"input_schema":{"type":"object","properties":{"status":{"type":"string","enum":["open","overdue","paid"]},"limit":{"type":"integer"}},"required":["status"]}}]`
	first := `{"model":"claude-sonnet-4-5","max_tokens":1024,"system":"You are Kontor's assistant.",
		"messages":[{"role":"user","content":[{"type":"text","text":"Which invoices are overdue?"}]}],"tools":` + toolsJSON + `}`
	if !sameJSON(t, f.calls[0].body, first) {
		t.Errorf("first body\n got %s\nwant %s", f.calls[0].body, first)
	}
	second := `{"model":"claude-sonnet-4-5","max_tokens":1024,"system":"You are Kontor's assistant.",
		"messages":[
			{"role":"user","content":[{"type":"text","text":"Which invoices are overdue?"}]},
			{"role":"assistant","content":[{"type":"text","text":"I'll look up the open invoices."},
				{"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"list_invoices","input":{"status":"overdue","limit":5}}]},
			{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01A09q90qw90lq917835lq9",
				"content":"[{\"number\":\"INV-2026-0007\",\"total\":\"1200.00\",\"currency\":\"EUR\"}]"},
				{"type":"text","text":"Be brief."}]}],
		"tools":` + toolsJSON + `}`
	if !sameJSON(t, f.calls[1].body, second) {
		t.Errorf("second body\n got %s\nwant %s", f.calls[1].body, second)
	}
}

func TestDefaults(t *testing.T) {
	f, settings := serve(t, reply{200, endTurnAnswer})
	delete(settings, "model")
	_, err := provider.Chat(context.Background(), sdk.ChatRequest{Settings: settings, Messages: []sdk.ChatMessage{
		{Role: sdk.RoleUser, Text: "Hi"},
		{Role: sdk.RoleTool, ToolResults: []sdk.ToolResult{{CallID: "toolu_1", Content: "no such invoice", IsError: true}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"model":"claude-sonnet-4-5","max_tokens":4096,"messages":[{"role":"user","content":[{"type":"text","text":"Hi"},
		{"type":"tool_result","tool_use_id":"toolu_1","content":"no such invoice","is_error":true}]}]}`
	if !sameJSON(t, f.calls[0].body, want) {
		t.Errorf("body\n got %s\nwant %s", f.calls[0].body, want)
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
		{"overloaded then answered", []reply{{529, overloaded}, {500, `{"type":"error","error":{"type":"api_error","message":"Internal server error"}}`}, {200, endTurnAnswer}}, 3, false, ""},
		{"overloaded throughout", []reply{{529, overloaded}, {529, overloaded}, {529, overloaded}}, 3, true,
			"anthropic is unavailable, try again later (HTTP 529 overloaded_error, 3 attempts): Overloaded"},
		{"rate limited throughout", []reply{{429, rateLimited}, {429, rateLimited}, {429, rateLimited}}, 3, true, "per-minute rate limit"},
		{"rejected", []reply{{400, badRequest}}, 1, false,
			"anthropic rejected the request (HTTP 400 invalid_request_error): messages.1.content.0.tool_use.input: Input should be a valid dictionary"},
		{"bad key", []reply{{401, `{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}`}}, 1, false, "HTTP 401 authentication_error): invalid x-api-key"},
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
	cases := []struct {
		name string
		req  sdk.ChatRequest
		want string
	}{
		{"no key", sdk.ChatRequest{Settings: map[string]string{"base_url": settings["base_url"]}, Messages: []sdk.ChatMessage{{Role: sdk.RoleUser, Text: "Hi"}}}, "api_key setting is not set"},
		{"bad base url", sdk.ChatRequest{Settings: map[string]string{"api_key": key, "base_url": "ftp://x"}, Messages: []sdk.ChatMessage{{Role: sdk.RoleUser, Text: "Hi"}}}, "base_url setting is not an http(s) URL"},
		{"bad role", sdk.ChatRequest{Settings: settings, Messages: []sdk.ChatMessage{{Role: "system", Text: "Hi"}}}, `role "system"`},
		{"no message", sdk.ChatRequest{Settings: settings}, "no message"},
		{"result without call", sdk.ChatRequest{Settings: settings, Messages: []sdk.ChatMessage{{Role: sdk.RoleTool, ToolResults: []sdk.ToolResult{{Content: "x"}}}}}, "no call_id"},
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
