package payments

import (
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/fielderr"
)

// settingName is how a provider names a setting, e.g. "secret_key".
var settingName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// saveAccountRequest is bound to the create and update requests of a
// provider account: the provider must be a loaded payment plugin, and the
// "settings" of the body (a JSON object of strings) are merged into the
// stored ones (an empty value removes a setting), sealed into the hidden
// sealed_settings field, and shown only masked. (The body's key is not a
// field: PocketBase drops hidden fields from a request body before the
// hooks see it.)
func (p *payments) saveAccountRequest(e *core.RecordRequestEvent) error {
	r := e.Record
	if r.IsNew() || r.GetString("provider") != r.Original().GetString("provider") {
		if !p.hasProvider(r.GetString("provider")) {
			return fielderr.New("provider", "No payment provider plugin named \""+r.GetString("provider")+"\" is loaded.")
		}
	}
	info, err := e.RequestInfo()
	if err != nil {
		return err
	}
	settings, err := p.openSettings(r.Original().GetString("sealed_settings"))
	if err != nil {
		return err
	}
	if raw, sent := info.Body["settings"]; sent {
		given, ok := raw.(map[string]any)
		if !ok {
			return fielderr.New("settings", `Settings are a JSON object of text values, like {"secret_key": "sk_live_…"}.`)
		}
		for name, v := range given {
			value, ok := v.(string)
			switch {
			case !settingName.MatchString(name):
				return fielderr.New("settings", "\""+name+"\" is not a setting name; use lower-case letters, digits and _.")
			case !ok || len(value) > 2000:
				return fielderr.New("settings", "The setting "+name+" must be text of at most 2000 characters.")
			case strings.TrimSpace(value) == "":
				delete(settings, name)
			default:
				settings[name] = strings.TrimSpace(value)
			}
		}
	}
	if len(settings) > 50 {
		return fielderr.New("settings", "An account has at most 50 settings.")
	}
	if p.cfg.Secrets == nil {
		return e.InternalServerError("No key seals the provider's settings; see KONTOR_ENCRYPTION_KEY.", nil)
	}
	plain, _ := json.Marshal(settings)
	r.Set("sealed_settings", p.cfg.Secrets.Seal(plain))
	hint := map[string]string{}
	for name, value := range settings {
		if secretSetting(name) {
			value = mask(value)
		}
		hint[name] = value
	}
	r.Set("settings_hint", hint)
	r.Set("webhook_url", p.cfg.PublicURL+"/api/kontor/webhooks/payments/"+r.GetString("provider")+"/"+r.GetString("workspace"))
	return e.Next()
}

// openSettings reads sealed settings; empty is none.
func (p *payments) openSettings(sealed string) (map[string]string, error) {
	settings := map[string]string{}
	if sealed == "" {
		return settings, nil
	}
	if p.cfg.Secrets == nil {
		return nil, errors.New("payments: no key opens the provider's settings; see KONTOR_ENCRYPTION_KEY")
	}
	plain, err := p.cfg.Secrets.Open(sealed)
	if err != nil {
		return nil, err
	}
	return settings, json.Unmarshal(plain, &settings)
}

// secretSetting reports whether a setting holds a secret, by its name
// ("secret_key", "access_token", …); others, such as "environment", are
// shown as they are.
func secretSetting(name string) bool {
	for _, word := range []string{"secret", "key", "token", "password"} {
		if strings.Contains(name, word) {
			return true
		}
	}
	return false
}

// mask shows the start and end of a secret: enough to recognise it, not to
// use it.
func mask(value string) string {
	r := []rune(value)
	if len(r) <= 8 {
		return strings.Repeat("•", len(r))
	}
	head := min(8, len(r)/3)
	return string(r[:head]) + "…" + string(r[len(r)-4:])
}

// hasProvider reports whether a payment plugin of the name is loaded.
func (p *payments) hasProvider(name string) bool {
	return p.provider(name) != nil
}

// provider returns the loaded payment plugin of the name, or nil.
func (p *payments) provider(name string) *providerInfo {
	if p.cfg.Providers == nil {
		return nil
	}
	for _, info := range p.cfg.Providers.Plugins(KindPayment) {
		if info.Name == name {
			return &providerInfo{Name: info.Name, Title: info.Title}
		}
	}
	return nil
}

// providerInfo names a payment plugin for people.
type providerInfo struct {
	Name  string `json:"name"`
	Title string `json:"title"`
}

// providersRoute is GET /api/kontor/payment-providers: the loaded payment
// plugins, for a signed-in user choosing one.
func (p *payments) providersRoute(e *core.RequestEvent) error {
	if e.Auth == nil {
		return e.UnauthorizedError("Sign in to do this.", nil)
	}
	out := []providerInfo{}
	if p.cfg.Providers != nil {
		for _, info := range p.cfg.Providers.Plugins(KindPayment) {
			out = append(out, providerInfo{Name: info.Name, Title: info.Title})
		}
	}
	return e.JSON(http.StatusOK, out)
}
