package anthropic

import (
	"encoding/json"
	"strings"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// request is the body of POST /v1/messages.
type request struct {
	Model     string    `json:"model"`
	MaxTokens int       `json:"max_tokens"`
	System    string    `json:"system,omitempty"`
	Messages  []message `json:"messages"`
	Tools     []tool    `json:"tools,omitempty"`
	Stream    bool      `json:"stream,omitempty"`
}

type message struct {
	Role    string  `json:"role"`
	Content []block `json:"content"`
}

// block is a content block: text, tool_use or tool_result.
type block struct {
	Type      string          `json:"type"`
	Text      string          `json:"text,omitempty"`
	ID        string          `json:"id,omitempty"`
	Name      string          `json:"name,omitempty"`
	Input     json.RawMessage `json:"input,omitempty"`
	ToolUseID string          `json:"tool_use_id,omitempty"`
	Content   string          `json:"content,omitempty"`
	IsError   bool            `json:"is_error,omitempty"`
}

type tool struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	InputSchema json.RawMessage `json:"input_schema"`
}

// response is the answer of POST /v1/messages.
type response struct {
	Model      string  `json:"model"`
	Content    []block `json:"content"`
	StopReason string  `json:"stop_reason"`
	Usage      struct {
		InputTokens  int `json:"input_tokens"`
		OutputTokens int `json:"output_tokens"`
	} `json:"usage"`
}

// Request is the JSON body of POST /v1/messages for the conversation:
// user text as text blocks, the assistant's tool calls as tool_use blocks,
// tool results as tool_result blocks of a user message; consecutive
// messages of one role are merged, as the API alternates user and
// assistant.
func Request(model string, req sdk.ChatRequest) ([]byte, error) {
	out, err := build(model, req)
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

// StreamRequest is Request with "stream": true, for ChatStream.
func StreamRequest(model string, req sdk.ChatRequest) ([]byte, error) {
	out, err := build(model, req)
	if err != nil {
		return nil, err
	}
	out.Stream = true
	return json.Marshal(out)
}

// build is the body of POST /v1/messages, as Request says.
func build(model string, req sdk.ChatRequest) (request, error) {
	out := request{Model: model, MaxTokens: req.MaxTokens, System: req.System, Messages: []message{}}
	if out.MaxTokens <= 0 {
		out.MaxTokens = DefaultMaxTokens
	}
	for i, m := range req.Messages {
		var role string
		var blocks []block
		switch m.Role {
		case sdk.RoleUser:
			role = "user"
		case sdk.RoleAssistant:
			role = "assistant"
			for _, c := range m.ToolCalls {
				blocks = append(blocks, block{Type: "tool_use", ID: c.ID, Name: c.Name, Input: sdk.Object(c.Arguments)})
			}
		case sdk.RoleTool:
			role = "user"
			for _, r := range m.ToolResults {
				if r.CallID == "" {
					return request{}, invalid("message %d: a tool result has no call_id", i)
				}
				blocks = append(blocks, block{Type: "tool_result", ToolUseID: r.CallID, Content: r.Content, IsError: r.IsError})
			}
		default:
			return request{}, invalid("message %d has role %q; it is user, assistant or tool", i, m.Role)
		}
		if strings.TrimSpace(m.Text) != "" {
			text := block{Type: "text", Text: m.Text}
			if m.Role == sdk.RoleAssistant {
				blocks = append([]block{text}, blocks...)
			} else {
				blocks = append(blocks, text)
			}
		}
		if len(blocks) == 0 {
			continue
		}
		if n := len(out.Messages); n > 0 && out.Messages[n-1].Role == role {
			out.Messages[n-1].Content = append(out.Messages[n-1].Content, blocks...)
			continue
		}
		out.Messages = append(out.Messages, message{Role: role, Content: blocks})
	}
	if len(out.Messages) == 0 {
		return request{}, invalid("the conversation has no message")
	}
	for _, t := range req.Tools {
		out.Tools = append(out.Tools, tool{Name: t.Name, Description: t.Description, InputSchema: t.ParametersSchema()})
	}
	return out, nil
}

// Response reads the answer of POST /v1/messages.
func Response(raw []byte) (*sdk.ChatResponse, error) {
	var r response
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, &sdk.ProviderError{Provider: Name, HTTPStatus: 200, Message: "the answer is not a message: " + err.Error(), Unavailable: true, Attempts: 1}
	}
	out := &sdk.ChatResponse{Model: r.Model, Usage: sdk.Usage{InputTokens: r.Usage.InputTokens, OutputTokens: r.Usage.OutputTokens}}
	var text []string
	for _, b := range r.Content {
		switch b.Type {
		case "text":
			text = append(text, b.Text)
		case "tool_use":
			out.ToolCalls = append(out.ToolCalls, sdk.ToolCall{ID: b.ID, Name: b.Name, Arguments: sdk.Object(b.Input)})
		}
	}
	out.Text = strings.Join(text, "")
	out.StopReason = stopReason(r.StopReason)
	return out, nil
}

// stopReason is the sdk's stop reason for Anthropic's stop_reason.
func stopReason(anthropic string) string {
	switch anthropic {
	case "end_turn", "stop_sequence":
		return sdk.StopEnd
	case "tool_use":
		return sdk.StopToolUse
	case "max_tokens":
		return sdk.StopMaxTokens
	case "refusal":
		return sdk.StopRefusal
	}
	return sdk.StopOther
}
