package host_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kontor-app/kontor/plugins/host"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// slowLLM is a first-party LLM of the tests that answers after the delay
// its message names, or fails as an overloaded provider.
type slowLLM struct{}

func (slowLLM) Describe() sdk.Description {
	return sdk.Description{Kind: sdk.KindLLM, Name: "slow", Title: "Slow", Version: "1.0.0", Models: []string{"slow-1"}}
}

func (slowLLM) Chat(ctx context.Context, req sdk.ChatRequest) (*sdk.ChatResponse, error) {
	text := req.Messages[0].Text
	if text == "overloaded" {
		return nil, &sdk.ProviderError{Provider: "slow", HTTPStatus: 529, Type: "overloaded_error", Message: "Overloaded", Unavailable: true, Attempts: 3}
	}
	d, err := time.ParseDuration(text)
	if err != nil {
		return nil, err
	}
	select {
	case <-time.After(d):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return &sdk.ChatResponse{Text: "waited " + text, StopReason: sdk.StopEnd}, nil
}

// ChatStream streams "waited ", then Chat's wait, then the rest; a
// message "cut" breaks off after its first piece as a provider's stream
// may.
func (s slowLLM) ChatStream(ctx context.Context, req sdk.ChatRequest, onDelta func(string) error) (*sdk.ChatResponse, error) {
	if err := onDelta("waited "); err != nil {
		return nil, err
	}
	if req.Messages[0].Text == "cut" {
		return nil, &sdk.ProviderError{Provider: "slow", HTTPStatus: 200, Type: "overloaded_error", Message: "Overloaded", Unavailable: true, Attempts: 1}
	}
	res, err := s.Chat(ctx, req)
	if err != nil {
		return nil, err
	}
	if err := onDelta(strings.TrimPrefix(res.Text, "waited ")); err != nil {
		return nil, err
	}
	return res, nil
}

func chat(h *host.Host, text string) (*sdk.ChatResponse, error) {
	return h.Chat(context.Background(), "slow", sdk.ChatRequest{Messages: []sdk.ChatMessage{{Role: sdk.RoleUser, Text: text}}})
}

// TestChatTimeout gives a chat the LLM timeout, not the call timeout: a
// model's answer takes longer than rendering an invoice.
func TestChatTimeout(t *testing.T) {
	h, _ := start(t, host.Config{Builtin: builtin, CallTimeout: 200 * time.Millisecond, LLMTimeout: 2 * time.Second})
	if got := names(h.LLMs()); got != "slow" {
		t.Fatalf("LLMs: %s", got)
	}
	if res, err := chat(h, "500ms"); err != nil || res.Text != "waited 500ms" {
		t.Fatalf("a chat longer than the call timeout: %+v %v", res, err)
	}
	_, err := chat(h, "5s")
	var ce *host.CallError
	if !errors.As(err, &ce) || ce.Reason != host.ReasonTimeout || ce.Timeout != 2*time.Second {
		t.Fatalf("want a timeout after the LLM timeout, got %v", err)
	}
}

// TestProviderErrorThroughHost keeps the provider's failure a
// *sdk.ProviderError, so the assistant can say "try again later".
func TestProviderErrorThroughHost(t *testing.T) {
	h, _ := start(t, host.Config{Builtin: builtin})
	_, err := chat(h, "overloaded")
	var ce *host.CallError
	if !errors.As(err, &ce) || ce.Reason != host.ReasonFailed || !sdk.IsProviderUnavailable(err) ||
		!strings.Contains(err.Error(), "plugin slow failed during chat: slow is unavailable, try again later (HTTP 529 overloaded_error, 3 attempts): Overloaded") {
		t.Fatalf("got %v", err)
	}
	if _, err := h.Chat(context.Background(), "echo", sdk.ChatRequest{}); !errors.Is(err, host.ErrNotFound) || !strings.Contains(err.Error(), "available: slow") {
		t.Fatalf("a format is no LLM: %v", err)
	}
}

// chatStream asks the slow LLM with ChatStream and returns the pieces of
// text it got.
func chatStream(h *host.Host, text string) ([]string, *sdk.ChatResponse, error) {
	var deltas []string
	res, err := h.ChatStream(context.Background(), "slow", sdk.ChatRequest{Messages: []sdk.ChatMessage{{Role: sdk.RoleUser, Text: text}}},
		func(d string) error {
			deltas = append(deltas, d)
			return nil
		})
	return deltas, res, err
}

// TestChatStreamThroughHost streams the text piece by piece, within the
// LLM timeout, and keeps a provider's failure, before or during the
// stream, a *sdk.ProviderError.
func TestChatStreamThroughHost(t *testing.T) {
	h, _ := start(t, host.Config{Builtin: builtin, CallTimeout: 200 * time.Millisecond, LLMTimeout: 2 * time.Second})
	deltas, res, err := chatStream(h, "500ms")
	if err != nil || res.Text != "waited 500ms" || strings.Join(deltas, "|") != "waited |500ms" {
		t.Fatalf("a stream longer than the call timeout: %q %+v %v", deltas, res, err)
	}

	deltas, _, err = chatStream(h, "5s")
	var ce *host.CallError
	if !errors.As(err, &ce) || ce.Reason != host.ReasonTimeout || ce.Timeout != 2*time.Second || strings.Join(deltas, "|") != "waited " {
		t.Fatalf("want a timeout after the LLM timeout and the first piece, got %q %v", deltas, err)
	}

	for _, text := range []string{"overloaded", "cut"} {
		_, _, err := chatStream(h, text)
		if !errors.As(err, &ce) || ce.Reason != host.ReasonFailed || !sdk.IsProviderUnavailable(err) ||
			!strings.Contains(err.Error(), "plugin slow failed during chat: slow is unavailable, try again later") {
			t.Fatalf("%s: got %v", text, err)
		}
	}
	if _, err := h.ChatStream(context.Background(), "echo", sdk.ChatRequest{}, nil); !errors.Is(err, host.ErrNotFound) {
		t.Fatalf("a format is no LLM: %v", err)
	}
}
