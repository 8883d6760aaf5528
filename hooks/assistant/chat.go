package assistant

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
	"github.com/kontor-app/kontor/hooks/accounts"
	"github.com/kontor-app/kontor/hooks/fielderr"
	"github.com/kontor-app/kontor/plugins/host"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// maxMessageLength is the longest message a user may send, in characters.
const maxMessageLength = 8000

// newConversationRoute is POST /api/kontor/assistant/conversations with
// {"workspace", "text"}: it starts a conversation of the signed-in user in
// the workspace and answers its first message as an event stream.
func (a *assistant) newConversationRoute(e *core.RequestEvent) error {
	info, err := e.RequestInfo()
	if err != nil {
		return e.BadRequestError("The request's body is not valid JSON.", err)
	}
	ws, _ := info.Body["workspace"].(string)
	if err := access.Require(e, ws, access.Viewer); err != nil {
		return err
	}
	text, err := messageText(info.Body)
	if err != nil {
		return err
	}
	role, st, acc, err := a.ready(e, ws)
	if err != nil {
		return err
	}
	col, err := e.App.FindCachedCollectionByNameOrId(Conversations)
	if err != nil {
		return e.InternalServerError("", err)
	}
	conv := core.NewRecord(col)
	conv.Set("workspace", ws)
	conv.Set("user", e.Auth.Id)
	conv.Set("title", title(text))
	if err := e.App.Save(conv); err != nil {
		return e.InternalServerError("", err)
	}
	return a.answer(e, conv, role, st, acc, text)
}

// messageRoute is POST /api/kontor/assistant/conversations/{id}/messages
// with {"text"}: the next message of the signed-in user's conversation,
// answered as an event stream. Another user's conversation is not found.
func (a *assistant) messageRoute(e *core.RequestEvent) error {
	if e.Auth == nil || e.Auth.Collection().Name != "users" {
		return e.UnauthorizedError("Sign in to do this.", nil)
	}
	conv, err := e.App.FindRecordById(Conversations, e.Request.PathValue("id"))
	if err != nil || conv.GetString("user") != e.Auth.Id {
		return e.NotFoundError("", nil)
	}
	ws := conv.GetString("workspace")
	if err := access.Require(e, ws, access.Viewer); err != nil {
		return err
	}
	info, err := e.RequestInfo()
	if err != nil {
		return e.BadRequestError("The request's body is not valid JSON.", err)
	}
	text, err := messageText(info.Body)
	if err != nil {
		return err
	}
	role, st, acc, err := a.ready(e, ws)
	if err != nil {
		return err
	}
	return a.answer(e, conv, role, st, acc, text)
}

// messageText is the user's message of a request body: text of 1 to
// maxMessageLength characters.
func messageText(body map[string]any) (string, error) {
	raw, sent := body["text"]
	text, ok := raw.(string)
	text = strings.TrimSpace(text)
	switch {
	case !sent || !ok || text == "":
		return "", fielderr.New("text", "Write a message for the assistant.")
	case utf8.RuneCountInString(text) > maxMessageLength:
		return "", fielderr.New("text", "A message has at most 8000 characters; shorten it or split it.")
	}
	return text, nil
}

// ready checks that the assistant is on in the workspace and returns the
// user's role, the status and the account; off, it answers 400 saying why.
func (a *assistant) ready(e *core.RequestEvent, ws string) (access.Role, Status, *core.Record, error) {
	role, err := access.RoleOf(e.App, ws, e.Auth.Id)
	if err != nil {
		return "", Status{}, nil, e.InternalServerError("", err)
	}
	st, acc, err := a.status(e.App, ws, role)
	if err != nil {
		return "", Status{}, nil, e.InternalServerError("", err)
	}
	if !st.On {
		return "", st, nil, e.BadRequestError("The assistant is off. "+st.Message, map[string]any{"reason": st.Reason})
	}
	return role, st, acc, nil
}

// title is a conversation's title: the start of its first message.
func title(text string) string {
	line, _, _ := strings.Cut(text, "\n")
	return clip(strings.TrimSpace(line), 80)
}

// answer stores the user's message and answers it as an event stream:
// it sends the system prompt, the conversation and the tools to the
// provider, passes the model's text on as it comes (delta events), runs
// the tools the model calls (at most MaxToolRounds times)
// with the user's rights, and stores every step as it completes. A
// provider that fails ends the stream with an error event; the user's
// message stays stored.
func (a *assistant) answer(e *core.RequestEvent, conv *core.Record, role access.Role, st Status, acc *core.Record, text string) error {
	settings, err := accounts.OpenSettings(a.cfg.Secrets, acc.GetString("sealed_settings"))
	if err != nil {
		return e.InternalServerError("The assistant's provider settings cannot be opened; an admin can enter the API key again.", err)
	}
	if st.Model != "" {
		settings["model"] = st.Model
	}
	if _, err := saveMessage(e.App, conv, sdk.ChatMessage{Role: sdk.RoleUser, Text: text}, nil); err != nil {
		return e.InternalServerError("", err)
	}
	s, err := startStream(e)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if err := s.send(EventConversation, map[string]string{"id": conv.Id, "title": conv.GetString("title")}); err != nil {
		return nil // the client left
	}
	defer s.send(EventDone, map[string]string{"conversation": conv.Id})

	now := time.Now()
	ws := conv.GetString("workspace")
	tc := &toolContext{e: e, workspace: ws, user: e.Auth.Id, role: role, now: now}
	system := systemPrompt(e.App, ws, e.Auth, role, now)
	fail := func(message string) error {
		_ = s.send(EventError, map[string]string{"message": message})
		return nil
	}
	for round := 0; ; round++ {
		msgs, sentIDs, err := history(e.App, conv.Id)
		if err != nil {
			e.App.Logger().Error("Assistant: could not read the conversation", "conversation", conv.Id, "error", err.Error())
			return fail("The assistant could not read this conversation; try again.")
		}
		// what goes to the provider is logged before it goes
		if err := a.logAccess(e, ActionSent, Conversations, ws, append([]string{conv.Id}, sentIDs...)); err != nil {
			e.App.Logger().Error("Assistant: could not log the data sent", "conversation", conv.Id, "error", err.Error())
			return fail("The assistant could not log what it would send, so it sent nothing; try again.")
		}
		res, err := a.cfg.Plugins.ChatStream(e.Request.Context(), st.Provider, sdk.ChatRequest{
			Settings: settings, System: system, Messages: msgs, Tools: definitions(),
		}, func(delta string) error {
			return s.send(EventDelta, map[string]string{"text": delta})
		})
		if err != nil {
			return fail(providerMessage(e, st, err))
		}
		if len(res.ToolCalls) == 0 || round >= a.cfg.MaxToolRounds {
			reply := res.Text
			if reply == "" && res.StopReason == sdk.StopRefusal {
				reply = st.ProviderTitle + " declined to answer this."
			}
			m, err := saveMessage(e.App, conv, sdk.ChatMessage{Role: sdk.RoleAssistant, Text: reply}, nil)
			if err != nil {
				return fail("The assistant's answer could not be stored; try again.")
			}
			_ = s.send(EventMessage, map[string]string{"id": m.Id, "text": reply, "stop_reason": res.StopReason})
			if len(res.ToolCalls) > 0 {
				return fail("The assistant wanted more steps than it may take in one answer; ask a narrower question.")
			}
			return nil
		}
		if _, err := saveMessage(e.App, conv, sdk.ChatMessage{Role: sdk.RoleAssistant, Text: res.Text, ToolCalls: res.ToolCalls}, nil); err != nil {
			return fail("The assistant's step could not be stored; try again.")
		}
		if res.Text != "" {
			_ = s.send(EventMessage, map[string]string{"text": res.Text, "stop_reason": res.StopReason})
		}
		results := make([]sdk.ToolResult, 0, len(res.ToolCalls))
		var allCards []Card
		for _, call := range res.ToolCalls {
			if err := s.send(EventToolCall, map[string]any{"id": call.ID, "name": call.Name, "arguments": call.Arguments}); err != nil {
				return nil
			}
			result, cards := a.runTool(tc, call)
			results = append(results, result)
			allCards = append(allCards, cards...)
			ev := map[string]any{"call_id": call.ID, "name": call.Name, "is_error": result.IsError, "cards": nonNil(cards)}
			if result.IsError {
				ev["error"] = result.Content
			}
			if err := s.send(EventToolResult, ev); err != nil {
				return nil
			}
		}
		if _, err := saveMessage(e.App, conv, sdk.ChatMessage{Role: sdk.RoleTool, ToolResults: results}, allCards); err != nil {
			return fail("The tools' results could not be stored; try again.")
		}
	}
}

// providerMessage says, for the user, why the provider gave no answer.
func providerMessage(e *core.RequestEvent, st Status, err error) string {
	name := st.ProviderTitle
	if name == "" {
		name = st.Provider
	}
	var pe *sdk.ProviderError
	switch {
	case sdk.IsProviderUnavailable(err):
		return "The assistant's provider (" + name + ") is unavailable right now; try again in a few minutes."
	case errors.As(err, &pe):
		return name + " rejected the request: " + pe.Message
	case errors.Is(err, host.ErrNotFound):
		return "The assistant's provider (" + name + ") does not run on this server right now; try again in a few minutes."
	case e.Request.Context().Err() != nil:
		return "The request was cancelled."
	}
	e.App.Logger().Error("Assistant: the provider's plugin failed", "provider", st.Provider, "error", err.Error())
	return "The assistant's provider (" + name + ") could not answer; try again in a few minutes."
}

// nonNil is a list of cards, empty rather than null in JSON.
func nonNil(cards []Card) []Card {
	if cards == nil {
		return []Card{}
	}
	return cards
}
