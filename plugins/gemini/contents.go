package gemini

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// request is the body of generateContent.
type request struct {
	Contents          []content        `json:"contents"`
	SystemInstruction *content         `json:"systemInstruction,omitempty"`
	Tools             []tools          `json:"tools,omitempty"`
	GenerationConfig  generationConfig `json:"generationConfig"`
}

type content struct {
	Role  string `json:"role,omitempty"`
	Parts []part `json:"parts"`
}

type part struct {
	Text             string            `json:"text,omitempty"`
	FunctionCall     *functionCall     `json:"functionCall,omitempty"`
	FunctionResponse *functionResponse `json:"functionResponse,omitempty"`
	ThoughtSignature string            `json:"thoughtSignature,omitempty"`
	Thought          bool              `json:"thought,omitempty"`
}

type functionCall struct {
	ID   string          `json:"id,omitempty"`
	Name string          `json:"name"`
	Args json.RawMessage `json:"args"`
}

type functionResponse struct {
	ID       string          `json:"id,omitempty"`
	Name     string          `json:"name"`
	Response json.RawMessage `json:"response"`
}

type tools struct {
	FunctionDeclarations []functionDeclaration `json:"functionDeclarations"`
}

type functionDeclaration struct {
	Name                 string          `json:"name"`
	Description          string          `json:"description,omitempty"`
	ParametersJSONSchema json.RawMessage `json:"parametersJsonSchema"`
}

type generationConfig struct {
	MaxOutputTokens int `json:"maxOutputTokens"`
}

// response is the answer of generateContent.
type response struct {
	Candidates []struct {
		Content      content `json:"content"`
		FinishReason string  `json:"finishReason"`
	} `json:"candidates"`
	PromptFeedback struct {
		BlockReason string `json:"blockReason"`
	} `json:"promptFeedback"`
	UsageMetadata struct {
		PromptTokenCount     int `json:"promptTokenCount"`
		CandidatesTokenCount int `json:"candidatesTokenCount"`
		ThoughtsTokenCount   int `json:"thoughtsTokenCount"`
	} `json:"usageMetadata"`
	ModelVersion string `json:"modelVersion"`
}

// localID marks the ids the plugin gives function calls that came without
// one; they are not sent back to Gemini.
const localID = "kontor-call-"

// Request is the JSON body of generateContent for the conversation: the
// assistant is the "model" role, its tool calls functionCall parts (with
// their thoughtSignature), tool results functionResponse parts of a user
// turn whose response is the result when it is a JSON object, else
// {"output": result} or {"error": result}; consecutive turns of one role
// are merged. Tools are functionDeclarations with parametersJsonSchema.
func Request(req sdk.ChatRequest) ([]byte, error) {
	out := request{Contents: []content{}, GenerationConfig: generationConfig{MaxOutputTokens: req.MaxTokens}}
	if out.GenerationConfig.MaxOutputTokens <= 0 {
		out.GenerationConfig.MaxOutputTokens = DefaultMaxTokens
	}
	if strings.TrimSpace(req.System) != "" {
		out.SystemInstruction = &content{Parts: []part{{Text: req.System}}}
	}
	for i, m := range req.Messages {
		var role string
		var parts []part
		hasText := strings.TrimSpace(m.Text) != ""
		switch m.Role {
		case sdk.RoleUser:
			role = "user"
			if hasText {
				parts = append(parts, part{Text: m.Text})
			}
		case sdk.RoleAssistant:
			role = "model"
			if hasText {
				parts = append(parts, part{Text: m.Text})
			}
			for _, c := range m.ToolCalls {
				parts = append(parts, part{FunctionCall: &functionCall{ID: remoteID(c.ID), Name: c.Name, Args: sdk.Object(c.Arguments)}, ThoughtSignature: c.Signature})
			}
		case sdk.RoleTool:
			role = "user"
			for _, r := range m.ToolResults {
				if r.Name == "" {
					return nil, invalid("message %d: a tool result has no name; Gemini needs the tool's name", i)
				}
				parts = append(parts, part{FunctionResponse: &functionResponse{ID: remoteID(r.CallID), Name: r.Name, Response: result(r)}})
			}
			if hasText {
				parts = append(parts, part{Text: m.Text})
			}
		default:
			return nil, invalid("message %d has role %q; it is user, assistant or tool", i, m.Role)
		}
		if len(parts) == 0 {
			continue
		}
		if n := len(out.Contents); n > 0 && out.Contents[n-1].Role == role {
			out.Contents[n-1].Parts = append(out.Contents[n-1].Parts, parts...)
			continue
		}
		out.Contents = append(out.Contents, content{Role: role, Parts: parts})
	}
	if len(out.Contents) == 0 {
		return nil, invalid("the conversation has no message")
	}
	if len(req.Tools) > 0 {
		decl := tools{}
		for _, t := range req.Tools {
			decl.FunctionDeclarations = append(decl.FunctionDeclarations, functionDeclaration{Name: t.Name, Description: t.Description, ParametersJSONSchema: t.ParametersSchema()})
		}
		out.Tools = []tools{decl}
	}
	return json.Marshal(out)
}

// Response reads the answer of generateContent.
func Response(raw []byte, model string) (*sdk.ChatResponse, error) {
	var r response
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, &sdk.ProviderError{Provider: Name, HTTPStatus: 200, Message: "the answer is not a generateContent response: " + err.Error(), Unavailable: true, Attempts: 1}
	}
	out := &sdk.ChatResponse{Model: r.ModelVersion, Usage: sdk.Usage{
		InputTokens: r.UsageMetadata.PromptTokenCount, OutputTokens: r.UsageMetadata.CandidatesTokenCount + r.UsageMetadata.ThoughtsTokenCount}}
	if out.Model == "" {
		out.Model = model
	}
	if len(r.Candidates) == 0 {
		if r.PromptFeedback.BlockReason != "" {
			out.StopReason = sdk.StopRefusal
			return out, nil
		}
		return nil, &sdk.ProviderError{Provider: Name, HTTPStatus: 200, Message: "the answer has no candidate", Unavailable: true, Attempts: 1}
	}
	cand := r.Candidates[0]
	var text []string
	for _, p := range cand.Content.Parts {
		switch {
		case p.FunctionCall != nil:
			id := p.FunctionCall.ID
			if id == "" {
				id = fmt.Sprintf("%s%d", localID, len(out.ToolCalls)+1)
			}
			out.ToolCalls = append(out.ToolCalls, sdk.ToolCall{ID: id, Name: p.FunctionCall.Name, Arguments: sdk.Object(p.FunctionCall.Args), Signature: p.ThoughtSignature})
		case p.Text != "" && !p.Thought:
			text = append(text, p.Text)
		}
	}
	out.Text = strings.Join(text, "")
	out.StopReason = stopReason(len(out.ToolCalls) > 0, cand.FinishReason)
	return out, nil
}

// stopReason is the sdk's stop reason for a candidate's finishReason.
func stopReason(toolCalls bool, finishReason string) string {
	switch {
	case toolCalls:
		return sdk.StopToolUse
	case finishReason == "STOP":
		return sdk.StopEnd
	case finishReason == "MAX_TOKENS":
		return sdk.StopMaxTokens
	case finishReason == "SAFETY", finishReason == "RECITATION", finishReason == "BLOCKLIST",
		finishReason == "PROHIBITED_CONTENT", finishReason == "SPII":
		return sdk.StopRefusal
	}
	return sdk.StopOther
}

// remoteID is the id to send back to Gemini: empty for the ids the plugin
// made up.
func remoteID(id string) string {
	if strings.HasPrefix(id, localID) {
		return ""
	}
	return id
}

// result is a tool result as a functionResponse's response, a JSON object.
func result(r sdk.ToolResult) json.RawMessage {
	trimmed := strings.TrimSpace(r.Content)
	if !r.IsError && strings.HasPrefix(trimmed, "{") && json.Valid([]byte(trimmed)) {
		return json.RawMessage(trimmed)
	}
	key := "output"
	if r.IsError {
		key = "error"
	}
	var value any = r.Content
	if json.Valid([]byte(trimmed)) && trimmed != "" {
		value = json.RawMessage(trimmed)
	}
	raw, _ := json.Marshal(map[string]any{key: value})
	return raw
}
