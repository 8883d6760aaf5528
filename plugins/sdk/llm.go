package sdk

import (
	"context"
	"encoding/json"
	"strings"
)

// LLM is a plugin of kind "llm": a large language model provider. Kontor's
// assistant sends it the conversation and the tools it may call, and the
// model answers with text or with tool calls, whose results Kontor sends
// back in the next Chat.
type LLM interface {
	Plugin
	// Chat answers the model's next message. A provider that is
	// unavailable or rejects the request gives a *ProviderError.
	Chat(ctx context.Context, req ChatRequest) (*ChatResponse, error)
}

// LLMStreamer is an LLM that streams its answer: ChatStream is Chat that
// calls onDelta with each piece of the answer's text as the model writes
// it, in order, and returns the whole response at the end (its Text the
// pieces joined). An error of onDelta (Kontor's end went away) ends the
// answer with that error. A plugin that implements it declares
// CapabilityStreaming; an LLM that does not is still streamed, its text in
// one piece.
type LLMStreamer interface {
	LLM
	ChatStream(ctx context.Context, req ChatRequest, onDelta func(delta string) error) (*ChatResponse, error)
}

// Capabilities of an LLM.
const (
	CapabilityTools     = "tools"     // the model calls the tools offered
	CapabilityStreaming = "streaming" // the plugin streams its answer (LLMStreamer)
)

// Roles of a ChatMessage.
const (
	RoleUser      = "user"      // the user's message
	RoleAssistant = "assistant" // the model's message, text and tool calls
	RoleTool      = "tool"      // the results of the model's tool calls
)

// Stop reasons of a ChatResponse.
const (
	StopEnd       = "end"        // the model finished its answer
	StopToolUse   = "tool_use"   // the model waits for the results of its tool calls
	StopMaxTokens = "max_tokens" // the answer reached MaxTokens
	StopRefusal   = "refusal"    // the provider refused to answer (safety)
	StopOther     = "other"      // anything else
)

// ChatRequest is a conversation for the model to answer.
type ChatRequest struct {
	// Settings are the workspace's account at the provider, by the names
	// the plugin documents (e.g. "api_key", "model", "base_url"). A plugin
	// never logs them.
	Settings map[string]string
	// System is the system prompt.
	System string
	// Messages are the conversation, oldest first.
	Messages []ChatMessage
	// Tools are the tools the model may call.
	Tools []Tool
	// MaxTokens is the longest answer, in tokens; 0 for the plugin's
	// default.
	MaxTokens int
}

// ChatMessage is one message of a conversation.
type ChatMessage struct {
	// Role is RoleUser, RoleAssistant or RoleTool.
	Role string `json:"role"`
	// Text is the message's text.
	Text string `json:"text,omitempty"`
	// ToolCalls are, for the assistant, the tools it called.
	ToolCalls []ToolCall `json:"tool_calls,omitempty"`
	// ToolResults are, for RoleTool, what the calls returned.
	ToolResults []ToolResult `json:"tool_results,omitempty"`
}

// ToolCall is the model's call of a tool.
type ToolCall struct {
	// ID identifies the call; its result quotes it.
	ID string `json:"id"`
	// Name is the tool's name.
	Name string `json:"name"`
	// Arguments is a JSON object, as the tool's parameters describe.
	Arguments json.RawMessage `json:"arguments"`
	// Signature is opaque provider data to send back with the call in the
	// next Chat (Gemini's thoughtSignature); empty for most providers.
	Signature string `json:"signature,omitempty"`
}

// ToolResult is what a tool call returned.
type ToolResult struct {
	// CallID is the ToolCall's ID.
	CallID string `json:"call_id"`
	// Name is the tool's name.
	Name string `json:"name"`
	// Content is the result, JSON or text.
	Content string `json:"content"`
	// IsError is true when the tool failed; Content says why.
	IsError bool `json:"is_error,omitempty"`
}

// Tool is a tool the model may call.
type Tool struct {
	// Name is the tool's name: letters, digits, "_" and "-".
	Name string `json:"name"`
	// Description says what it does, for the model.
	Description string `json:"description"`
	// Parameters is the JSON Schema of its arguments, an object schema.
	Parameters json.RawMessage `json:"parameters"`
}

// ChatResponse is the model's next message.
type ChatResponse struct {
	// Text is its text.
	Text string
	// ToolCalls are the tools it calls; Kontor runs them and sends their
	// results in a RoleTool message.
	ToolCalls []ToolCall
	// StopReason is one of the Stop constants.
	StopReason string
	// Usage is what the exchange cost, in tokens.
	Usage Usage
	// Model is the model that answered.
	Model string
}

// Usage counts tokens.
type Usage struct {
	InputTokens  int `json:"input_tokens"`
	OutputTokens int `json:"output_tokens"`
}

// ParametersSchema is the tool's JSON Schema, or the schema of no
// arguments when it has none.
func (t Tool) ParametersSchema() json.RawMessage {
	if isEmptyJSON(t.Parameters) {
		return json.RawMessage(`{"type":"object","properties":{}}`)
	}
	return t.Parameters
}

// Object is the JSON object raw, or {} when it is empty: the arguments of
// a tool call, to or from a provider.
func Object(raw json.RawMessage) json.RawMessage {
	if isEmptyJSON(raw) {
		return json.RawMessage(`{}`)
	}
	return raw
}

// isEmptyJSON reports whether raw is blank or null.
func isEmptyJSON(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	return s == "" || s == "null"
}
