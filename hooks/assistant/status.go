package assistant

import (
	"database/sql"
	"errors"
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
	"github.com/kontor-app/kontor/plugins/host"
)

// Why the assistant is off.
const (
	OffNoPlugin  = "no_plugin"  // no LLM plugin runs, or not the account's
	OffNoAccount = "no_account" // the workspace has no provider account
	OffDisabled  = "disabled"   // the workspace's account is turned off
)

// Status says whether the assistant is on in a workspace and, when off, why.
type Status struct {
	On bool `json:"on"`
	// Reason is one of the Off constants when off.
	Reason string `json:"reason,omitempty"`
	// Message says why it is off, for people.
	Message string `json:"message,omitempty"`
	// Provider is the plugin's name, ProviderTitle its name for people.
	Provider      string `json:"provider,omitempty"`
	ProviderTitle string `json:"provider_title,omitempty"`
	// Model is the model the account asks for; empty for the default.
	Model string `json:"model,omitempty"`
	// Privacy is what the provider keeps of what it is sent and which
	// privacy options the plugin sends (its Describe).
	Privacy string `json:"privacy,omitempty"`
	// Role is the asking user's role; CanDraft whether it may draft.
	Role     string `json:"role,omitempty"`
	CanDraft bool   `json:"can_draft"`
}

// statusOf decides whether the assistant is on, from the loaded LLM
// plugins and the workspace's account (nil when none).
func statusOf(plugins []host.Info, account *core.Record) Status {
	if len(plugins) == 0 {
		return Status{Reason: OffNoPlugin, Message: "No LLM provider plugin runs on this server, so the assistant is off and nothing is sent to any provider. The server's operator can enable one (anthropic or gemini)."}
	}
	if account == nil {
		return Status{Reason: OffNoAccount, Message: "No LLM provider is configured for this workspace, so the assistant is off and nothing is sent to any provider. An owner or admin can set one up in the assistant's settings."}
	}
	s := Status{Provider: account.GetString("provider"), Model: account.GetString("model")}
	var info *host.Info
	for i := range plugins {
		if plugins[i].Name == s.Provider {
			info = &plugins[i]
		}
	}
	if info == nil {
		s.Reason = OffNoPlugin
		s.Message = "The provider this workspace configured (" + s.Provider + ") does not run on this server, so the assistant is off."
		return s
	}
	s.ProviderTitle, s.Privacy = info.Title, info.Privacy
	if !account.GetBool("enabled") {
		s.Reason = OffDisabled
		s.Message = "An owner or admin of this workspace turned the assistant off; nothing is sent to " + info.Title + "."
		return s
	}
	s.On = true
	return s
}

// account returns the workspace's assistant account, or nil.
func account(app core.App, workspace string) (*core.Record, error) {
	r, err := app.FindFirstRecordByFilter(Accounts, "workspace = {:w}", dbx.Params{"w": workspace})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return r, err
}

// status is the assistant's status in the workspace, for the user of the
// role.
func (a *assistant) status(app core.App, workspace string, role access.Role) (Status, *core.Record, error) {
	acc, err := account(app, workspace)
	if err != nil {
		return Status{}, nil, err
	}
	var plugins []host.Info
	if a.cfg.Plugins != nil {
		plugins = a.cfg.Plugins.LLMs()
	}
	s := statusOf(plugins, acc)
	s.Role, s.CanDraft = string(role), role.AtLeast(access.Member)
	return s, acc, nil
}

// statusRoute is GET /api/kontor/assistant/status?workspace=ID: whether
// the assistant is on for the signed-in member, and why not.
func (a *assistant) statusRoute(e *core.RequestEvent) error {
	ws := e.Request.URL.Query().Get("workspace")
	if err := access.Require(e, ws, access.Viewer); err != nil {
		return err
	}
	role, err := access.RoleOf(e.App, ws, e.Auth.Id)
	if err != nil {
		return e.InternalServerError("", err)
	}
	s, _, err := a.status(e.App, ws, role)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, s)
}
