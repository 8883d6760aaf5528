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
