package anthropic

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/plugins/sdk/providerapi"
)

// ChatStream is Chat with "stream": true: it reads the Messages API's
// server-sent events and calls onDelta with each text_delta as it comes;
// tool_use blocks are put together from their input_json_delta pieces.
// What fails before the stream starts is retried as Chat retries it; an
// error event or a broken stream after it started ends the answer with an
// *sdk.ProviderError.
func (p Provider) ChatStream(ctx context.Context, req sdk.ChatRequest, onDelta func(string) error) (*sdk.ChatResponse, error) {
	c, model, err := p.client(req.Settings)
	if err != nil {
		return nil, err
	}
	body, err := StreamRequest(model, req)
	if err != nil {
		return nil, err
	}
	stream, mediaType, err := c.Stream(ctx, providerapi.Request{Method: http.MethodPost, Path: "/v1/messages", JSON: body, Idempotent: true})
	if err != nil {
		return nil, err
	}
	defer stream.Close()
	if mediaType == "application/json" {
		return whole(stream, onDelta)
	}
	m := &streamedMessage{onDelta: onDelta}
	if err := providerapi.ReadEvents(stream, m.event); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var pe *sdk.ProviderError
		if errors.As(err, &pe) || errors.Is(err, m.deltaErr) {
			return nil, err
		}
		return nil, broken("the stream broke off: " + err.Error())
	}
	if !m.stopped {
		return nil, broken("the stream ended before message_stop")
	}
	return m.response()
}

// whole reads an answer that came whole, as Chat's does (a gateway that
// does not stream), its text given to onDelta in one piece.
func whole(body io.Reader, onDelta func(string) error) (*sdk.ChatResponse, error) {
	raw, err := io.ReadAll(io.LimitReader(body, providerapi.MaxResponseBytes))
	if err != nil {
		return nil, broken("the answer broke off: " + err.Error())
	}
	res, err := Response(raw)
	if err != nil {
		return nil, err
	}
	if res.Text != "" && onDelta != nil {
		if err := onDelta(res.Text); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// streamedMessage is a message put together from its events.
type streamedMessage struct {
	onDelta    func(string) error
	model      string
	blocks     []*streamedBlock
	stopReason string
	usage      sdk.Usage
	// deltaErr is the error of onDelta, which ends the answer
	deltaErr error
	stopped  bool
}

// streamedBlock is a content block: its text, or its tool call's input as
// it comes in pieces.
type streamedBlock struct {
	index int
	block
	input strings.Builder
}

// event is one of the stream's events: message_start,
// content_block_start, content_block_delta, content_block_stop,
// message_delta, message_stop, ping or error.
func (m *streamedMessage) event(name, data string) error {
	var ev struct {
		Type    string `json:"type"`
		Message struct {
			Model string `json:"model"`
			Usage usage  `json:"usage"`
		} `json:"message"`
		Index        int   `json:"index"`
		ContentBlock block `json:"content_block"`
		Delta        struct {
			Type        string `json:"type"`
			Text        string `json:"text"`
			PartialJSON string `json:"partial_json"`
			StopReason  string `json:"stop_reason"`
		} `json:"delta"`
		Usage usage `json:"usage"`
		Error struct {
			Type    string `json:"type"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(data), &ev); err != nil {
		return broken("the " + name + " event is not JSON: " + err.Error())
	}
	switch ev.Type {
	case "message_start":
		m.model = ev.Message.Model
		m.usage.InputTokens = ev.Message.Usage.InputTokens
		m.usage.OutputTokens = ev.Message.Usage.OutputTokens
	case "content_block_start":
		m.blocks = append(m.blocks, &streamedBlock{index: ev.Index, block: ev.ContentBlock})
	case "content_block_delta":
		b := m.block(ev.Index)
		if b == nil {
			return broken("a content_block_delta names block " + strconv.Itoa(ev.Index) + ", which did not start")
		}
		switch ev.Delta.Type {
		case "text_delta":
			b.Text += ev.Delta.Text
			if ev.Delta.Text != "" && m.onDelta != nil {
				if err := m.onDelta(ev.Delta.Text); err != nil {
					m.deltaErr = err
					return err
				}
			}
		case "input_json_delta":
			b.input.WriteString(ev.Delta.PartialJSON)
		}
	case "message_delta":
		if ev.Delta.StopReason != "" {
			m.stopReason = ev.Delta.StopReason
		}
		if ev.Usage.InputTokens != 0 {
			m.usage.InputTokens = ev.Usage.InputTokens
		}
		if ev.Usage.OutputTokens != 0 {
			m.usage.OutputTokens = ev.Usage.OutputTokens
		}
	case "message_stop":
		m.stopped = true
		return providerapi.ErrStopEvents
	case "error":
		return &sdk.ProviderError{Provider: Name, HTTPStatus: http.StatusOK, Type: ev.Error.Type, Message: ev.Error.Message,
			Unavailable: unavailableType(ev.Error.Type), Attempts: 1}
	}
	return nil
}

// block is the started block of the index.
func (m *streamedMessage) block(index int) *streamedBlock {
	for _, b := range m.blocks {
		if b.index == index {
			return b
		}
	}
	return nil
}

// response is the whole message, as Chat would have read it.
func (m *streamedMessage) response() (*sdk.ChatResponse, error) {
	out := &sdk.ChatResponse{Model: m.model, Usage: m.usage, StopReason: stopReason(m.stopReason)}
	var text []string
	for _, b := range m.blocks {
		switch b.Type {
		case "text":
			text = append(text, b.Text)
		case "tool_use":
			args := b.Input
			if b.input.Len() > 0 {
				args = json.RawMessage(b.input.String())
				if !json.Valid(args) {
					return nil, broken("the input of tool call " + b.ID + " is not JSON")
				}
			}
			out.ToolCalls = append(out.ToolCalls, sdk.ToolCall{ID: b.ID, Name: b.Name, Arguments: sdk.Object(args)})
		}
	}
	out.Text = strings.Join(text, "")
	return out, nil
}

// usage is the usage of message_start and message_delta.
type usage struct {
	InputTokens  int `json:"input_tokens"`
	OutputTokens int `json:"output_tokens"`
}

// unavailableType reports whether an error type of Anthropic's means that
// trying again later may work.
func unavailableType(typ string) bool {
	switch typ {
	case "overloaded_error", "api_error", "rate_limit_error", "timeout_error":
		return true
	}
	return false
}

// broken is a stream that ended in the middle of the answer.
func broken(message string) *sdk.ProviderError {
	return &sdk.ProviderError{Provider: Name, HTTPStatus: http.StatusOK, Message: message, Unavailable: true, Attempts: 1}
}
