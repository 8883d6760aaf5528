package gemini

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/plugins/sdk/providerapi"
)

// ChatStream sends the conversation to streamGenerateContent?alt=sse and
// reads its server-sent events, each a GenerateContentResponse: text parts
// go to onDelta as they come, functionCall parts are whole tool calls, and
// the last event brings the finishReason and the usage. What fails before
// the stream starts is retried as Chat retries it; an error in the stream
// or a stream that ends without a finishReason ends the answer with an
// *sdk.ProviderError.
func (p Provider) ChatStream(ctx context.Context, req sdk.ChatRequest, onDelta func(string) error) (*sdk.ChatResponse, error) {
	c, model, err := p.client(req.Settings)
	if err != nil {
		return nil, err
	}
	body, err := Request(req)
	if err != nil {
		return nil, err
	}
	stream, mediaType, err := c.Stream(ctx, providerapi.Request{Method: http.MethodPost,
		Path: "/v1beta/models/" + model + ":streamGenerateContent?alt=sse", JSON: body, Idempotent: true})
	if err != nil {
		return nil, err
	}
	defer stream.Close()
	a := &streamedAnswer{onDelta: onDelta, out: &sdk.ChatResponse{Model: model}}
	read := providerapi.ReadEvents
	if mediaType == "application/json" {
		read = readJSON
	}
	if err := read(stream, a.event); err != nil {
		var pe *sdk.ProviderError
		switch {
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case errors.As(err, &pe), a.deltaErr != nil && errors.Is(err, a.deltaErr):
			return nil, err
		}
		return nil, broken("the stream broke off: " + err.Error())
	}
	if a.finishReason == "" && a.out.StopReason != sdk.StopRefusal {
		return nil, broken("the stream ended before the answer's finishReason")
	}
	a.out.Text = a.text.String()
	if a.out.StopReason == "" {
		a.out.StopReason = stopReason(len(a.out.ToolCalls) > 0, a.finishReason)
	}
	return a.out, nil
}

// readJSON reads an answer that came as JSON rather than events (a
// gateway that drops alt=sse): an array of GenerateContentResponses, or
// one, each given to fn as an event.
func readJSON(body io.Reader, fn func(event, data string) error) error {
	raw, err := io.ReadAll(io.LimitReader(body, providerapi.MaxResponseBytes))
	if err != nil {
		return err
	}
	raw = []byte(strings.TrimSpace(string(raw)))
	if !strings.HasPrefix(string(raw), "[") {
		return fn("message", string(raw))
	}
	var all []json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		return broken("the answer is not a list of GenerateContentResponses: " + err.Error())
	}
	for _, r := range all {
		if err := fn("message", string(r)); err != nil {
			return err
		}
	}
	return nil
}

// streamedAnswer is an answer put together from its events.
type streamedAnswer struct {
	onDelta      func(string) error
	out          *sdk.ChatResponse
	text         strings.Builder
	finishReason string
	// deltaErr is the error of onDelta, which ends the answer
	deltaErr error
}

// event is one GenerateContentResponse of the stream, or an error.
func (a *streamedAnswer) event(_, data string) error {
	if status, message := readError([]byte(data)); message != "" {
		return &sdk.ProviderError{Provider: Name, HTTPStatus: http.StatusOK, Type: status, Message: message,
			Unavailable: status == "UNAVAILABLE" || status == "RESOURCE_EXHAUSTED" || status == "INTERNAL" || status == "DEADLINE_EXCEEDED", Attempts: 1}
	}
	var r response
	if err := json.Unmarshal([]byte(data), &r); err != nil {
		return broken("an event is not a GenerateContentResponse: " + err.Error())
	}
	if r.ModelVersion != "" {
		a.out.Model = r.ModelVersion
	}
	if u := r.UsageMetadata; u.PromptTokenCount != 0 || u.CandidatesTokenCount != 0 {
		a.out.Usage = sdk.Usage{InputTokens: u.PromptTokenCount, OutputTokens: u.CandidatesTokenCount + u.ThoughtsTokenCount}
	}
	if len(r.Candidates) == 0 {
		if r.PromptFeedback.BlockReason != "" {
			a.out.StopReason = sdk.StopRefusal
		}
		return nil
	}
	cand := r.Candidates[0]
	for _, p := range cand.Content.Parts {
		switch {
		case p.FunctionCall != nil:
			id := p.FunctionCall.ID
			if id == "" {
				id = fmt.Sprintf("%s%d", localID, len(a.out.ToolCalls)+1)
			}
			a.out.ToolCalls = append(a.out.ToolCalls, sdk.ToolCall{ID: id, Name: p.FunctionCall.Name, Arguments: sdk.Object(p.FunctionCall.Args), Signature: p.ThoughtSignature})
		case p.Text != "" && !p.Thought:
			a.text.WriteString(p.Text)
			if a.onDelta != nil {
				if err := a.onDelta(p.Text); err != nil {
					a.deltaErr = err
					return err
				}
			}
		}
	}
	if cand.FinishReason != "" {
		a.finishReason = cand.FinishReason
	}
	return nil
}

// broken is a stream that ended in the middle of the answer.
func broken(message string) *sdk.ProviderError {
	return &sdk.ProviderError{Provider: Name, HTTPStatus: http.StatusOK, Message: message, Unavailable: true, Attempts: 1}
}
