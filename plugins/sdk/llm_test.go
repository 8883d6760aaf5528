package sdk_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// parrot is an LLM that calls a tool until it has its result, then says
// what the tool returned; a message "overloaded" or "reject" fails as a
// provider would.
type parrot struct{}

func (parrot) Describe() sdk.Description {
	return sdk.Description{Kind: sdk.KindLLM, Name: "parrot", Title: "Parrot", Version: "1.0.0",
		Capabilities: []string{sdk.CapabilityTools}, Models: []string{"parrot-1", "parrot-2"}, Privacy: "Keeps nothing."}
}

func (parrot) Chat(_ context.Context, req sdk.ChatRequest) (*sdk.ChatResponse, error) {
	last := req.Messages[len(req.Messages)-1]
	switch last.Text {
	case "overloaded":
		return nil, &sdk.ProviderError{Provider: "parrot", HTTPStatus: 529, Type: "overloaded_error", Message: "Overloaded", Unavailable: true, Attempts: 3}
	case "reject":
		return nil, &sdk.ProviderError{Provider: "parrot", HTTPStatus: 400, Type: "invalid_request_error", Message: "max_tokens: too large", Attempts: 1}
	case "panic":
		panic("squawk")
	}
	if last.Role == sdk.RoleTool {
		r := last.ToolResults[0]
		return &sdk.ChatResponse{Text: r.Name + " said " + r.Content + " to " + r.CallID, StopReason: sdk.StopEnd, Model: req.Settings["model"]}, nil
	}
	return &sdk.ChatResponse{
		ToolCalls:  []sdk.ToolCall{{ID: "call-1", Name: req.Tools[0].Name, Arguments: json.RawMessage(`{"q":"` + last.Text + `"}`), Signature: "sig"}},
		StopReason: sdk.StopToolUse, Usage: sdk.Usage{InputTokens: len(req.System), OutputTokens: req.MaxTokens}, Model: req.Settings["model"],
	}, nil
}

func TestLLMRoundTrip(t *testing.T) {
	c := connect(t, parrot{})
	ctx := context.Background()
	d, err := c.Describe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d.Kind != sdk.KindLLM || !reflect.DeepEqual(d.Models, []string{"parrot-1", "parrot-2"}) || d.Privacy != "Keeps nothing." {
		t.Errorf("describe: %+v", d)
	}

	req := sdk.ChatRequest{Settings: map[string]string{"model": "parrot-2"}, System: "be brief", MaxTokens: 77,
		Messages: []sdk.ChatMessage{{Role: sdk.RoleUser, Text: "overdue"}},
		Tools:    []sdk.Tool{{Name: "find", Description: "Finds.", Parameters: json.RawMessage(`{"type":"object"}`)}}}
	res, err := c.Chat(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	want := &sdk.ChatResponse{StopReason: sdk.StopToolUse, Model: "parrot-2", Usage: sdk.Usage{InputTokens: 8, OutputTokens: 77},
		ToolCalls: []sdk.ToolCall{{ID: "call-1", Name: "find", Arguments: json.RawMessage(`{"q":"overdue"}`), Signature: "sig"}}}
	if !reflect.DeepEqual(res, want) {
		t.Fatalf("got %+v\nwant %+v", res, want)
	}
	req.Messages = append(req.Messages,
		sdk.ChatMessage{Role: sdk.RoleAssistant, ToolCalls: res.ToolCalls},
		sdk.ChatMessage{Role: sdk.RoleTool, ToolResults: []sdk.ToolResult{{CallID: "call-1", Name: "find", Content: `["INV-7"]`, IsError: true}}})
	res, err = c.Chat(ctx, req)
	if err != nil || res.Text != `find said ["INV-7"] to call-1` || res.StopReason != sdk.StopEnd {
		t.Fatalf("%+v %v", res, err)
	}

	cases := []struct {
		text        string
		provider    bool
		unavailable bool
		errText     string
	}{
		{"overloaded", true, true, "parrot is unavailable, try again later (HTTP 529 overloaded_error, 3 attempts): Overloaded"},
		{"reject", true, false, "parrot rejected the request (HTTP 400 invalid_request_error): max_tokens: too large"},
		{"panic", false, false, "panicked: squawk"},
	}
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			_, err := c.Chat(ctx, sdk.ChatRequest{Messages: []sdk.ChatMessage{{Role: sdk.RoleUser, Text: tc.text}}})
			var pe *sdk.ProviderError
			if errors.As(err, &pe) != tc.provider || !strings.Contains(err.Error(), tc.errText) {
				t.Fatalf("got %v", err)
			}
			if tc.provider && (pe.Unavailable != tc.unavailable || sdk.IsProviderUnavailable(err) != tc.unavailable) {
				t.Errorf("unavailable: %+v", pe)
			}
		})
	}
}
