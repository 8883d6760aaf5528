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
	"testing"
	"time"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// events is a stream of server-sent events of the Messages API, one
// "name data" string an event.
func events(evs ...string) string {
	var b strings.Builder
	for _, ev := range evs {
		name, data, _ := strings.Cut(ev, " ")
		b.WriteString("event: " + name + "\ndata: " + data + "\n\n")
	}
	return b.String()
}

// Streams in the shape of Anthropic's streaming Messages reference.
var (
	messageStart = `message_start {"type":"message_start","message":{"id":"msg_01Bq9w938a90dw8r","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5-20250929","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":610,"output_tokens":1}}}`
	textStream   = events(messageStart,
		`content_block_start {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`,
		`ping {"type": "ping"}`,
		`content_block_delta {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"You have one overdue invoice: "}}`,
		`content_block_delta {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"INV-2026-0007 (1,200.00 EUR)."}}`,
		`content_block_stop {"type":"content_block_stop","index":0}`,
		`message_delta {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":24}}`,
		`message_stop {"type":"message_stop"}`)
	toolStream = events(
		strings.Replace(messageStart, `"input_tokens":610`, `"input_tokens":472`, 1),
		`content_block_start {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`,
		`content_block_delta {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"I'll look up "}}`,
		`content_block_delta {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"the open invoices."}}`,
		`content_block_stop {"type":"content_block_stop","index":0}`,
		`content_block_start {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"list_invoices","input":{}}}`,
		`content_block_delta {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}`,
		`content_block_delta {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"status\": \"ove"}}`,
		`content_block_delta {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"rdue\", \"limit\": 5}"}}`,
		`content_block_stop {"type":"content_block_stop","index":1}`,
		`message_delta {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":91}}`,
		`message_stop {"type":"message_stop"}`)
	errorStream = events(messageStart,
		`content_block_start {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`,
		`content_block_delta {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"You have"}}`,
		`error {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}`)
	cutStream = events(messageStart,
		`content_block_start {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`,
		`content_block_delta {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"You have"}}`)
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

// TestStreamToolUse streams a tool call whose input arrives in pieces,
// then the answer with the tool's result, and asserts both request bodies
// with "stream": true.
func TestStreamToolUse(t *testing.T) {
	f, settings := serve(t, reply{200, toolStream}, reply{200, textStream})
	conv := []sdk.ChatMessage{{Role: sdk.RoleUser, Text: "Which invoices are overdue?"}}
	req := sdk.ChatRequest{System: "You are Kontor's assistant.", Messages: conv, Tools: tools, MaxTokens: 1024}

	deltas, res, err := stream(settings, req)
	if err != nil {
		t.Fatal(err)
	}
	want := &sdk.ChatResponse{Text: "I'll look up the open invoices.", StopReason: sdk.StopToolUse, Model: "claude-sonnet-4-5-20250929",
		ToolCalls: []sdk.ToolCall{{ID: "toolu_01A09q90qw90lq917835lq9", Name: "list_invoices", Arguments: json.RawMessage(`{"status": "overdue", "limit": 5}`)}},
		Usage:     sdk.Usage{InputTokens: 472, OutputTokens: 91}}
	if !reflect.DeepEqual(res, want) || !reflect.DeepEqual(deltas, []string{"I'll look up ", "the open invoices."}) {
		t.Fatalf("got %+v %q\nwant %+v", res, deltas, want)
	}

	req.Messages = append(conv,
		sdk.ChatMessage{Role: sdk.RoleAssistant, Text: res.Text, ToolCalls: res.ToolCalls},
		sdk.ChatMessage{Role: sdk.RoleTool, ToolResults: []sdk.ToolResult{{CallID: "toolu_01A09q90qw90lq917835lq9", Name: "list_invoices", Content: `[]`}}})
	deltas, res, err = stream(settings, req)
	if err != nil {
		t.Fatal(err)
	}
	want = &sdk.ChatResponse{Text: "You have one overdue invoice: INV-2026-0007 (1,200.00 EUR).", StopReason: sdk.StopEnd,
		Model: "claude-sonnet-4-5-20250929", Usage: sdk.Usage{InputTokens: 610, OutputTokens: 24}}
	if !reflect.DeepEqual(res, want) || strings.Join(deltas, "") != want.Text || len(deltas) != 2 {
		t.Fatalf("got %+v %q", res, deltas)
	}

	toolsJSON := `[{"name":"list_invoices","description":"Lists the workspace's invoices.",
		"input_schema":{"type":"object","properties":{"status":{"type":"string","enum":["open","overdue","paid"]},"limit":{"type":"integer"}},"required":["status"]}}]`
	bodies := []string{
		`{"model":"claude-sonnet-4-5","max_tokens":1024,"system":"You are Kontor's assistant.","stream":true,
			"messages":[{"role":"user","content":[{"type":"text","text":"Which invoices are overdue?"}]}],"tools":` + toolsJSON + `}`,
		`{"model":"claude-sonnet-4-5","max_tokens":1024,"system":"You are Kontor's assistant.","stream":true,
			"messages":[
				{"role":"user","content":[{"type":"text","text":"Which invoices are overdue?"}]},
				{"role":"assistant","content":[{"type":"text","text":"I'll look up the open invoices."},
					{"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"list_invoices","input":{"status": "overdue", "limit": 5}}]},
				{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01A09q90qw90lq917835lq9","content":"[]"}]}],
			"tools":` + toolsJSON + `}`,
	}
	for i, c := range f.calls {
		if c.method != http.MethodPost || c.path != "/v1/messages" || c.header.Get("X-Api-Key") != key ||
			c.header.Get("Anthropic-Version") != "2023-06-01" || c.header.Get("Accept") != "text/event-stream" {
			t.Errorf("call %d: %s %s %v", i, c.method, c.path, c.header)
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
		{"overloaded, then streamed", []reply{{529, overloaded}, {200, textStream}}, 2,
			[]string{"You have one overdue invoice: ", "INV-2026-0007 (1,200.00 EUR)."}, false, ""},
		{"rejected before the stream", []reply{{400, badRequest}}, 1, nil, false,
			"anthropic rejected the request (HTTP 400 invalid_request_error): messages.1.content.0.tool_use.input"},
		{"error event in the stream", []reply{{200, errorStream}}, 1, []string{"You have"}, true,
			"anthropic is unavailable, try again later (HTTP 200 overloaded_error): Overloaded"},
		{"stream cut off", []reply{{200, cutStream}}, 1, []string{"You have"}, true, "the stream ended before message_stop"},
		{"a gateway answers whole", []reply{{200, endTurnAnswer}}, 1, []string{"You have one overdue invoice: INV-2026-0007 (1,200.00 EUR)."}, false, ""},
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

// TestStreamDeliversAsItComes hands each delta on before the rest of the
// stream was sent: the server sends the second delta only once the first
// arrived.
func TestStreamDeliversAsItComes(t *testing.T) {
	first := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		parts := strings.SplitAfter(textStream, "\n\n")
		for _, p := range parts {
			io.WriteString(w, p)
			w.(http.Flusher).Flush()
			if strings.Contains(p, "overdue invoice: ") {
				select {
				case <-first:
				case <-time.After(5 * time.Second):
					return // the delta did not arrive on its own: the stream stops short
				}
			}
		}
	}))
	t.Cleanup(srv.Close)
	settings := map[string]string{"api_key": key, "base_url": srv.URL}
	n := 0
	res, err := provider.ChatStream(context.Background(), sdk.ChatRequest{Settings: settings, Messages: []sdk.ChatMessage{{Role: sdk.RoleUser, Text: "Hi"}}},
		func(string) error {
			if n++; n == 1 {
				close(first)
			}
			return nil
		})
	if err != nil || n != 2 || res.Text != "You have one overdue invoice: INV-2026-0007 (1,200.00 EUR)." {
		t.Fatalf("%+v %v after %d deltas", res, err, n)
	}
}
