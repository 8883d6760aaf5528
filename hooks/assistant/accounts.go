package assistant

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/accounts"
	"github.com/kontor-app/kontor/hooks/fielderr"
)

// saveAccountRequest is bound to the create and update requests of an
// assistant account: the provider must be a loaded LLM plugin and the
// model one it offers (empty for its default). The body's "api_key" and
// "base_url" (not fields: PocketBase drops hidden fields from a request
// body) are sealed into the hidden sealed_settings field, and shown only
// masked in settings_hint; an API key is required, and an update that
// sends none keeps the stored one.
func (a *assistant) saveAccountRequest(e *core.RecordRequestEvent) error {
	r := e.Record
	info := a.plugin(r.GetString("provider"))
	if info == nil {
		return fielderr.New("provider", "No LLM provider plugin named \""+r.GetString("provider")+"\" is loaded.")
	}
	if m := r.GetString("model"); m != "" && len(info.Models) > 0 && !slices.Contains(info.Models, m) {
		return fielderr.New("model", "Choose one of the models "+info.Title+" offers: "+strings.Join(info.Models, ", ")+".")
	}
	body, err := e.RequestInfo()
	if err != nil {
		return err
	}
	settings, err := accounts.OpenSettings(a.cfg.Secrets, r.Original().GetString("sealed_settings"))
	if err != nil {
		return e.InternalServerError("", err)
	}
	for _, name := range []string{"api_key", "base_url"} {
		raw, sent := body.Body[name]
		if !sent {
			continue
		}
		value, ok := raw.(string)
		if !ok || len(value) > 2000 {
			return fielderr.New(name, "The "+name+" must be text of at most 2000 characters.")
		}
		value = strings.TrimSpace(value)
		if value == "" {
			if name == "api_key" {
				continue // an empty key keeps the stored one
			}
			delete(settings, name)
			continue
		}
		if name == "base_url" {
			if u, err := url.Parse(value); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				return fielderr.New(name, "The API URL must be an http(s) URL, like https://api.example.com.")
			}
		}
		settings[name] = value
	}
	if settings["api_key"] == "" {
		return fielderr.New("api_key", "Enter the API key of the workspace's account at "+info.Title+".")
	}
	if a.cfg.Secrets == nil {
		return e.InternalServerError("No key seals the provider's API key; see KONTOR_ENCRYPTION_KEY.", nil)
	}
	accounts.Seal(r, a.cfg.Secrets, settings)
	return e.Next()
}

// providerInfo is an LLM plugin, for an admin choosing one.
type providerInfo struct {
	Name    string   `json:"name"`
	Title   string   `json:"title"`
	Models  []string `json:"models"`
	Privacy string   `json:"privacy"`
}

// providersRoute is GET /api/kontor/assistant/providers: the loaded LLM
// plugins, for a signed-in user.
func (a *assistant) providersRoute(e *core.RequestEvent) error {
	if e.Auth == nil {
		return e.UnauthorizedError("Sign in to do this.", nil)
	}
	out := []providerInfo{}
	if a.cfg.Plugins != nil {
		for _, info := range a.cfg.Plugins.LLMs() {
			out = append(out, providerInfo{Name: info.Name, Title: info.Title, Models: info.Models, Privacy: info.Privacy})
		}
	}
	return e.JSON(http.StatusOK, out)
}
