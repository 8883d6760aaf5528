package sdk

import (
	"context"
	"io"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/kontor-app/kontor/plugins/sdk/pluginpb"
)

// Chat asks an LLM plugin for the model's next message. A provider failure
// comes back as a *ProviderError.
func (c *Client) Chat(ctx context.Context, req ChatRequest) (*ChatResponse, error) {
	res, err := c.llm.Chat(ctx, chatRequestToPB(req))
	if err != nil {
		return nil, fromStatus(err)
	}
	return chatResponseFromPB(res), nil
}

// ChatStream asks an LLM plugin for the model's next message, calling
// onDelta with each piece of its text as it comes, and returns the whole
// message. A plugin built before ChatStream existed is asked with Chat, its
// text given to onDelta in one piece. A provider failure, before or during
// the answer, comes back as a *ProviderError; an error of onDelta ends the
// answer and is returned as it is.
func (c *Client) ChatStream(ctx context.Context, req ChatRequest, onDelta func(delta string) error) (*ChatResponse, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // ends the plugin's stream when onDelta gives up
	in := chatRequestToPB(req)
	st, err := c.llm.ChatStream(ctx, in)
	if err != nil {
		return nil, fromStatus(err)
	}
	for started := false; ; started = true {
		chunk, err := st.Recv()
		switch {
		case err == io.EOF:
			return nil, status.Error(codes.Internal, "the plugin ended its answer without the response")
		case err != nil && !started && status.Code(err) == codes.Unimplemented:
			res, err := c.Chat(ctx, req)
			if err != nil {
				return nil, err
			}
			if res.Text != "" && onDelta != nil {
				if err := onDelta(res.Text); err != nil {
					return nil, err
				}
			}
			return res, nil
		case err != nil:
			return nil, fromStatus(err)
		}
		if d := chunk.GetDelta(); d != "" && onDelta != nil {
			if err := onDelta(d); err != nil {
				return nil, err
			}
		}
		if r := chunk.GetResponse(); r != nil {
			return chatResponseFromPB(r), nil
		}
	}
}

// llmServer serves Chat and ChatStream.
type llmServer struct {
	pluginpb.UnimplementedLLMServer
	impl LLM
}

func (s *llmServer) Chat(ctx context.Context, req *pluginpb.ChatRequest) (res *pluginpb.ChatResponse, err error) {
	defer recoverInto(&err)
	out, err := s.impl.Chat(ctx, chatRequestFromPB(req))
	if err != nil {
		return nil, toStatus(err)
	}
	if out == nil {
		out = &ChatResponse{}
	}
	return chatResponseToPB(out), nil
}

// ChatStream streams the answer of an LLMStreamer as it comes, and the
// answer of any other LLM in one delta, then the whole response.
func (s *llmServer) ChatStream(req *pluginpb.ChatRequest, out pluginpb.LLM_ChatStreamServer) (err error) {
	defer recoverInto(&err)
	in := chatRequestFromPB(req)
	var res *ChatResponse
	if streamer, ok := s.impl.(LLMStreamer); ok {
		res, err = streamer.ChatStream(out.Context(), in, func(delta string) error {
			if delta == "" {
				return nil
			}
			return out.Send(&pluginpb.ChatChunk{Delta: delta})
		})
	} else {
		res, err = s.impl.Chat(out.Context(), in)
		if err == nil && res != nil && res.Text != "" {
			err = out.Send(&pluginpb.ChatChunk{Delta: res.Text})
		}
	}
	if err != nil {
		return toStatus(err)
	}
	if res == nil {
		res = &ChatResponse{}
	}
	return out.Send(&pluginpb.ChatChunk{Response: chatResponseToPB(res)})
}

func chatRequestToPB(req ChatRequest) *pluginpb.ChatRequest {
	out := &pluginpb.ChatRequest{Settings: req.Settings, System: req.System, MaxTokens: int32(req.MaxTokens)}
	for _, m := range req.Messages {
		pm := &pluginpb.ChatMessage{Role: m.Role, Text: m.Text, ToolCalls: toolCallsToPB(m.ToolCalls)}
		for _, r := range m.ToolResults {
			pm.ToolResults = append(pm.ToolResults, &pluginpb.ToolResult{CallId: r.CallID, Name: r.Name, Content: r.Content, IsError: r.IsError})
		}
		out.Messages = append(out.Messages, pm)
	}
	for _, t := range req.Tools {
		out.Tools = append(out.Tools, &pluginpb.Tool{Name: t.Name, Description: t.Description, Parameters: t.Parameters})
	}
	return out
}

func chatRequestFromPB(req *pluginpb.ChatRequest) ChatRequest {
	out := ChatRequest{Settings: req.GetSettings(), System: req.GetSystem(), MaxTokens: int(req.GetMaxTokens())}
	for _, m := range req.GetMessages() {
		cm := ChatMessage{Role: m.GetRole(), Text: m.GetText(), ToolCalls: toolCallsFromPB(m.GetToolCalls())}
		for _, r := range m.GetToolResults() {
			cm.ToolResults = append(cm.ToolResults, ToolResult{CallID: r.GetCallId(), Name: r.GetName(), Content: r.GetContent(), IsError: r.GetIsError()})
		}
		out.Messages = append(out.Messages, cm)
	}
	for _, t := range req.GetTools() {
		out.Tools = append(out.Tools, Tool{Name: t.GetName(), Description: t.GetDescription(), Parameters: t.GetParameters()})
	}
	return out
}

func chatResponseToPB(r *ChatResponse) *pluginpb.ChatResponse {
	return &pluginpb.ChatResponse{
		Text: r.Text, ToolCalls: toolCallsToPB(r.ToolCalls), StopReason: r.StopReason, Model: r.Model,
		Usage: &pluginpb.Usage{InputTokens: int32(r.Usage.InputTokens), OutputTokens: int32(r.Usage.OutputTokens)},
	}
}

func chatResponseFromPB(r *pluginpb.ChatResponse) *ChatResponse {
	return &ChatResponse{
		Text: r.GetText(), ToolCalls: toolCallsFromPB(r.GetToolCalls()), StopReason: r.GetStopReason(), Model: r.GetModel(),
		Usage: Usage{InputTokens: int(r.GetUsage().GetInputTokens()), OutputTokens: int(r.GetUsage().GetOutputTokens())},
	}
}

func toolCallsToPB(calls []ToolCall) []*pluginpb.ToolCall {
	var out []*pluginpb.ToolCall
	for _, c := range calls {
		out = append(out, &pluginpb.ToolCall{Id: c.ID, Name: c.Name, Arguments: c.Arguments, Signature: c.Signature})
	}
	return out
}

func toolCallsFromPB(calls []*pluginpb.ToolCall) []ToolCall {
	var out []ToolCall
	for _, c := range calls {
		out = append(out, ToolCall{ID: c.GetId(), Name: c.GetName(), Arguments: c.GetArguments(), Signature: c.GetSignature()})
	}
	return out
}
