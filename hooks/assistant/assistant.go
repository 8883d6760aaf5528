// Package assistant answers a user's questions about their workspace and
// drafts work from its data, through the LLM provider plugin (Anthropic
// Claude, Google Gemini, or a third party's) that the workspace's admin
// configured; without one, it is off and says why. The model may call
// tools, which run on the server with the asking user's rights in the
// conversation's workspace: search contacts and clients, list overdue
// invoices, summarise a deal, draft a proposal, draft a follow-up email.
// Drafts stay drafts: nothing is ever sent. Every tool call and every
// request sent to the provider is written to the access log.
//
// Routes:
//
//	GET  /api/kontor/assistant/status?workspace=ID          on or off, why, and the provider's privacy terms
//	GET  /api/kontor/assistant/providers                    the loaded LLM plugins and their models
//	POST /api/kontor/assistant/conversations                a new conversation's first message; answers as SSE
//	POST /api/kontor/assistant/conversations/{id}/messages  the next message; answers as SSE
//
// docs/assistant.md describes the collections, routes, events and tools.
package assistant

import (
	"context"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/plugins/host"
	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/secret"
)

// The collections of the assistant.
const (
	Accounts      = "assistant_accounts"
	Conversations = "assistant_conversations"
	Messages      = "assistant_messages"
	EmailDrafts   = "email_drafts"
)

// The actions the assistant writes to the access log.
const (
	ActionTool = "assistant_tool"
	ActionSent = "assistant_sent"
)

// DefaultMaxToolRounds is how many times in one answer the model may call
// tools before it must answer.
const DefaultMaxToolRounds = 5

// LLMs are the LLM plugins (a *host.Host).
type LLMs interface {
	LLMs() []host.Info
	Chat(ctx context.Context, provider string, req sdk.ChatRequest) (*sdk.ChatResponse, error)
	ChatStream(ctx context.Context, provider string, req sdk.ChatRequest, onDelta func(delta string) error) (*sdk.ChatResponse, error)
}

// Config is what the assistant needs from the rest of Kontor.
type Config struct {
	// Plugins are the LLM plugins; nil leaves the assistant off.
	Plugins LLMs
	// Secrets seals the accounts' API keys.
	Secrets *secret.Box
	// MaxToolRounds bounds the tool rounds of one answer;
	// DefaultMaxToolRounds when 0.
	MaxToolRounds int
	// LogAccess writes an entry of the access log (hooks/privacy): who did
	// the action on which records of the collection, in the workspace.
	LogAccess func(e *core.RequestEvent, action, collection, workspace string, ids []string) error
}

// assistant holds what the hooks and routes share.
type assistant struct {
	cfg Config
}

// Register binds the assistant's hooks and routes.
func Register(app core.App, cfg Config) {
	if cfg.MaxToolRounds <= 0 {
		cfg.MaxToolRounds = DefaultMaxToolRounds
	}
	a := &assistant{cfg: cfg}

	app.OnRecordCreateRequest(Accounts).BindFunc(a.saveAccountRequest)
	app.OnRecordUpdateRequest(Accounts).BindFunc(a.saveAccountRequest)

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/kontor/assistant")
		g.GET("/status", a.statusRoute)
		g.GET("/providers", a.providersRoute)
		g.POST("/conversations", a.newConversationRoute)
		g.POST("/conversations/{id}/messages", a.messageRoute)
		return se.Next()
	})
}

// plugin returns the loaded LLM plugin of the name, or nil.
func (a *assistant) plugin(name string) *host.Info {
	if a.cfg.Plugins == nil {
		return nil
	}
	for _, info := range a.cfg.Plugins.LLMs() {
		if info.Name == name {
			return &info
		}
	}
	return nil
}

// logAccess writes an access-log entry when a logger is configured.
func (a *assistant) logAccess(e *core.RequestEvent, action, collection, workspace string, ids []string) error {
	if a.cfg.LogAccess == nil {
		return nil
	}
	return a.cfg.LogAccess(e, action, collection, workspace, ids)
}
