package calls

import (
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
	"github.com/kontor-app/kontor/hooks/accounts"
	"github.com/kontor-app/kontor/hooks/conversions"
	"github.com/kontor-app/kontor/hooks/fielderr"
)

// saveAccountRequest is bound to the create and update requests of a
// telephony account: the provider must be a loaded telephony plugin, the
// caller id a phone number in E.164, and the settings are sealed and
// masked exactly as a payment account's (accounts.SaveSettings).
func (c *calls) saveAccountRequest(e *core.RecordRequestEvent) error {
	r := e.Record
	if r.IsNew() || r.GetString("provider") != r.Original().GetString("provider") {
		if !c.hasProvider(r.GetString("provider")) {
			return fielderr.New("provider", "No telephony plugin named \""+r.GetString("provider")+"\" is loaded.")
		}
	}
	from := conversions.NormalizePhone(r.GetString("from"))
	if from == "" {
		return fielderr.New("from", "Write the caller id (a number of your account at the provider) in international form, with + and the country code, like +49 30 901820.")
	}
	r.Set("from", from)
	if err := accounts.SaveSettings(e, c.cfg.Secrets); err != nil {
		return err
	}
	r.Set("webhook_url", c.webhookURL(r.GetString("provider"), r.GetString("workspace")))
	return e.Next()
}

// providerInfo names a telephony plugin for people.
type providerInfo struct {
	Name    string `json:"name"`
	Title   string `json:"title"`
	Privacy string `json:"privacy,omitempty"`
}

// providersRoute is GET /api/kontor/telephony-providers: the loaded
// telephony plugins, for a signed-in user choosing one.
func (c *calls) providersRoute(e *core.RequestEvent) error {
	if e.Auth == nil {
		return e.UnauthorizedError("Sign in to do this.", nil)
	}
	out := []providerInfo{}
	for _, info := range c.providers() {
		out = append(out, providerInfo{Name: info.Name, Title: info.Title, Privacy: info.Privacy})
	}
	return e.JSON(http.StatusOK, out)
}

// readiness says whether the workspace's members can call, for the Call
// button; members cannot read the accounts themselves.
type readiness struct {
	// Account is true when the workspace has an enabled account of a
	// loaded telephony plugin.
	Account bool `json:"account"`
	// Provider is that account's provider.
	Provider string `json:"provider,omitempty"`
	// Recording is true when the workspace records its calls.
	Recording bool `json:"recording"`
	// CanCall is false for viewers.
	CanCall bool `json:"can_call"`
	// Phone is the signed-in user's own phone, rung first.
	Phone string `json:"phone"`
}

// readinessRoute is GET /api/kontor/workspaces/{workspace}/telephony.
func (c *calls) readinessRoute(e *core.RequestEvent) error {
	ws := e.Request.PathValue("workspace")
	if err := access.Require(e, ws, access.Viewer); err != nil {
		return err
	}
	workspace, err := e.App.FindRecordById("workspaces", ws)
	if err != nil {
		return e.NotFoundError("", nil)
	}
	role, err := access.RoleOf(e.App, ws, e.Auth.Id)
	if err != nil {
		return err
	}
	out := readiness{Recording: workspace.GetBool("call_recording"), CanCall: role.AtLeast(access.Member), Phone: e.Auth.GetString("phone")}
	if account := c.account(e.App, ws); account != nil {
		out.Account, out.Provider = true, account.GetString("provider")
	}
	return e.JSON(http.StatusOK, out)
}

// account is the workspace's enabled account of a loaded telephony
// plugin (the oldest, when there are several), or nil.
func (c *calls) account(app core.App, workspace string) *core.Record {
	accounts, err := app.FindRecordsByFilter("telephony_accounts", "workspace = {:w} && enabled = true", "created", 0, 0,
		dbx.Params{"w": workspace})
	if err != nil {
		return nil
	}
	for _, a := range accounts {
		if c.hasProvider(a.GetString("provider")) {
			return a
		}
	}
	return nil
}
