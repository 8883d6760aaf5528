// Package calls is click-to-call: a member calls a contact from Kontor, the
// workspace's telephony provider (a plugin of kind "telephony": Twilio,
// Telnyx, or a third party's) rings the member's own phone first and, once
// they answer, bridges it to the contact. Every call is a calls row and a
// "call" activity on the contact's timeline; the provider's webhooks,
// verified by the plugin with the account's settings, update both with
// the call's status and duration. Recording is off unless the workspace
// enables it, and the contact is then told.
//
// Routes:
//
//	GET  /api/kontor/telephony-providers                        the loaded telephony plugins
//	GET  /api/kontor/workspaces/{workspace}/telephony           whether members can call, and why not
//	POST /api/kontor/contacts/{id}/call                         call a contact
//	POST /api/kontor/webhooks/telephony/{provider}/{workspace}  a provider's event
//
// docs/calls.md describes the collections and routes.
package calls

import (
	"context"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/plugins/host"
	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/secret"
)

// Telephones are the telephony plugins (a *host.Host).
type Telephones interface {
	Plugins(kind string) []host.Info
	PlaceCall(ctx context.Context, provider string, req sdk.CallRequest) (*sdk.CallResult, error)
	ParseCallWebhook(ctx context.Context, provider string, req sdk.CallWebhookRequest) (*sdk.CallEvent, error)
}

// Config is what calls need from the rest of Kontor.
type Config struct {
	// Plugins are the telephony plugins; nil offers none.
	Plugins Telephones
	// Secrets seals the accounts' settings.
	Secrets *secret.Box
	// PublicURL is where providers reach Kontor: the webhook URLs start
	// with it, and Twilio signs the full URL.
	PublicURL string
}

// calls holds what the hooks and routes share.
type calls struct {
	cfg Config
	now func() time.Time
}

// Register binds the hooks and routes of click-to-call.
func Register(app core.App, cfg Config) {
	c := &calls{cfg: cfg, now: time.Now}

	app.OnRecordCreateRequest("telephony_accounts").BindFunc(c.saveAccountRequest)
	app.OnRecordUpdateRequest("telephony_accounts").BindFunc(c.saveAccountRequest)
	app.OnRecordCreate("users").BindFunc(checkUserPhone)
	app.OnRecordUpdate("users").BindFunc(checkUserPhone)
	app.OnRecordEnrich("users").BindFunc(hideOthersPhone)

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/kontor/telephony-providers", c.providersRoute)
		se.Router.GET("/api/kontor/workspaces/{workspace}/telephony", c.readinessRoute)
		se.Router.POST("/api/kontor/contacts/{id}/call", c.callRoute)
		se.Router.POST("/api/kontor/webhooks/telephony/{provider}/{workspace}", c.webhookRoute)
		if len(c.providers()) == 0 {
			se.App.Logger().Info("calls: no telephony plugin is loaded; click-to-call is off")
		}
		return se.Next()
	})
}

// providers are the loaded telephony plugins.
func (c *calls) providers() []host.Info {
	if c.cfg.Plugins == nil {
		return nil
	}
	return c.cfg.Plugins.Plugins(sdk.KindTelephony)
}

// hasProvider reports whether a telephony plugin of the name is loaded.
func (c *calls) hasProvider(name string) bool {
	for _, info := range c.providers() {
		if info.Name == name {
			return true
		}
	}
	return false
}

// webhookURL is the URL a provider posts a workspace's call events to.
func (c *calls) webhookURL(provider, workspace string) string {
	return c.cfg.PublicURL + "/api/kontor/webhooks/telephony/" + provider + "/" + workspace
}
