package host

import (
	"context"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// LLMs lists the loaded LLM plugins, by name.
func (h *Host) LLMs() []Info {
	return h.Plugins(sdk.KindLLM)
}

// Chat asks the LLM plugin of the name for the model's next message,
// within the LLM timeout. A provider that was unavailable or rejected the
// request gives a *CallError whose Err is the *sdk.ProviderError.
func (h *Host) Chat(ctx context.Context, provider string, req sdk.ChatRequest) (*sdk.ChatResponse, error) {
	in, err := h.find(sdk.KindLLM, provider)
	if err != nil {
		return nil, err
	}
	var res *sdk.ChatResponse
	err = h.callWithin(ctx, in, "chat", h.cfg.LLMTimeout, func(ctx context.Context, c *sdk.Client) (err error) {
		res, err = c.Chat(ctx, req)
		return err
	})
	return res, err
}

// ChatStream is Chat that calls onDelta with each piece of the answer's
// text as it comes (in one piece from a plugin that does not stream), with
// Chat's timeout and errors. An error of onDelta ends the answer and is
// returned as the CallError's Err.
func (h *Host) ChatStream(ctx context.Context, provider string, req sdk.ChatRequest, onDelta func(delta string) error) (*sdk.ChatResponse, error) {
	in, err := h.find(sdk.KindLLM, provider)
	if err != nil {
		return nil, err
	}
	var res *sdk.ChatResponse
	err = h.callWithin(ctx, in, "chat", h.cfg.LLMTimeout, func(ctx context.Context, c *sdk.Client) (err error) {
		res, err = c.ChatStream(ctx, req, onDelta)
		return err
	})
	return res, err
}
