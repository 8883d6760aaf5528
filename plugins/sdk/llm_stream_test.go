package sdk_test

import (
	"context"
	"errors"
	"net"
	"reflect"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/plugins/sdk/pluginpb"
)

// typist is an LLM that streams its answer word by word; a message
// "overloaded" fails before the first word, "cut" after two words, as a
// provider whose stream breaks.
type typist struct{ parrot }

func (typist) Describe() sdk.Description {
	return sdk.Description{Kind: sdk.KindLLM, Name: "typist", Title: "Typist", Version: "1.0.0",
		Capabilities: []string{sdk.CapabilityTools, sdk.CapabilityStreaming}, Models: []string{"typist-1"}}
}

func (typist) ChatStream(_ context.Context, req sdk.ChatRequest, onDelta func(string) error) (*sdk.ChatResponse, error) {
	text := req.Messages[len(req.Messages)-1].Text
	if text == "overloaded" {
		return nil, &sdk.ProviderError{Provider: "typist", HTTPStatus: 529, Type: "overloaded_error", Message: "Overloaded", Unavailable: true, Attempts: 3}
	}
	words := []string{"You ", "have ", "one ", "overdue ", "invoice."}
	for i, w := range words {
		if text == "cut" && i == 2 {
			return nil, &sdk.ProviderError{Provider: "typist", HTTPStatus: 200, Type: "overloaded_error", Message: "Overloaded", Unavailable: true, Attempts: 1}
		}
		if err := onDelta(w); err != nil {
			return nil, err
		}
	}
	return &sdk.ChatResponse{Text: strings.Join(words, ""), StopReason: sdk.StopEnd, Model: "typist-1", Usage: sdk.Usage{InputTokens: 3, OutputTokens: 5}}, nil
}

func ask(text string) sdk.ChatRequest {
	return sdk.ChatRequest{Settings: map[string]string{"model": "m"}, Messages: []sdk.ChatMessage{{Role: sdk.RoleUser, Text: text}},
		Tools: []sdk.Tool{{Name: "find", Parameters: []byte(`{"type":"object"}`)}}}
}

// TestChatStream streams a streaming LLM's text piece by piece, and a
// plain LLM's in one piece, each followed by the whole response; provider
// failures before and during the stream stay *sdk.ProviderError.
func TestChatStream(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name    string
		plugin  sdk.Plugin
		text    string
		deltas  []string
		want    *sdk.ChatResponse
		errText string
	}{
		{name: "streaming", plugin: typist{}, text: "hi", deltas: []string{"You ", "have ", "one ", "overdue ", "invoice."},
			want: &sdk.ChatResponse{Text: "You have one overdue invoice.", StopReason: sdk.StopEnd, Model: "typist-1", Usage: sdk.Usage{InputTokens: 3, OutputTokens: 5}}},
		{name: "not streaming", plugin: parrot{}, text: "hi", deltas: []string{`find said x to call-1`},
			want: &sdk.ChatResponse{Text: `find said x to call-1`, StopReason: sdk.StopEnd, Model: "m"}},
		{name: "tool calls", plugin: parrot{}, text: "overdue", want: &sdk.ChatResponse{StopReason: sdk.StopToolUse, Model: "m",
			Usage:     sdk.Usage{InputTokens: 0, OutputTokens: 0},
			ToolCalls: []sdk.ToolCall{{ID: "call-1", Name: "find", Arguments: []byte(`{"q":"overdue"}`), Signature: "sig"}}}},
		{name: "fails before", plugin: typist{}, text: "overloaded", errText: "typist is unavailable, try again later (HTTP 529 overloaded_error, 3 attempts): Overloaded"},
		{name: "fails during", plugin: typist{}, text: "cut", deltas: []string{"You ", "have "}, errText: "typist is unavailable, try again later (HTTP 200 overloaded_error): Overloaded"},
		{name: "panics", plugin: parrot{}, text: "panic", errText: "panicked: squawk"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := connect(t, tc.plugin)
			req := ask(tc.text)
			if tc.plugin == (parrot{}) && tc.text == "hi" {
				req.Messages = []sdk.ChatMessage{{Role: sdk.RoleTool, ToolResults: []sdk.ToolResult{{CallID: "call-1", Name: "find", Content: "x"}}}}
			}
			var deltas []string
			res, err := c.ChatStream(ctx, req, func(d string) error {
				deltas = append(deltas, d)
				return nil
			})
			if !reflect.DeepEqual(deltas, tc.deltas) {
				t.Errorf("deltas %q, want %q", deltas, tc.deltas)
			}
			if tc.errText != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errText) {
					t.Fatalf("got %v, want %q", err, tc.errText)
				}
				var pe *sdk.ProviderError
				if tc.name != "panics" && !errors.As(err, &pe) {
					t.Errorf("not a provider error: %T %v", err, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(res, tc.want) {
				t.Fatalf("got %+v\nwant %+v", res, tc.want)
			}
		})
	}
}

// TestChatStreamStopsWhenKontorGivesUp ends the plugin's answer with the
// error of onDelta.
func TestChatStreamStopsWhenKontorGivesUp(t *testing.T) {
	c := connect(t, typist{})
	gone := errors.New("the browser left")
	n := 0
	_, err := c.ChatStream(context.Background(), ask("hi"), func(string) error {
		n++
		if n == 2 {
			return gone
		}
		return nil
	})
	if !errors.Is(err, gone) || n != 2 {
		t.Fatalf("got %v after %d deltas", err, n)
	}
}

// chatOnly is an LLM service of a plugin built before ChatStream: it
// serves Chat only.
type chatOnly struct {
	pluginpb.UnimplementedLLMServer
}

func (chatOnly) Chat(context.Context, *pluginpb.ChatRequest) (*pluginpb.ChatResponse, error) {
	return &pluginpb.ChatResponse{Text: "Hello from an old plugin.", StopReason: sdk.StopEnd}, nil
}

// TestChatStreamFallsBackToChat asks an old plugin with Chat and gives
// its text in one delta.
func TestChatStreamFallsBackToChat(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	pluginpb.RegisterLLMServer(srv, chatOnly{})
	go srv.Serve(lis)
	t.Cleanup(srv.Stop)
	conn, err := grpc.Dial(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	var deltas []string
	res, err := sdk.NewClient(conn).ChatStream(context.Background(), ask("hi"), func(d string) error {
		deltas = append(deltas, d)
		return nil
	})
	if err != nil || res.Text != "Hello from an old plugin." || !reflect.DeepEqual(deltas, []string{"Hello from an old plugin."}) {
		t.Fatalf("%+v %v %q", res, err, deltas)
	}
}
