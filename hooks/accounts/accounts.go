// Package accounts keeps the settings of a workspace's accounts at
// external providers (payments, telephony, the assistant's models): sealed
// at rest in a hidden sealed_settings field, shown only masked in
// settings_hint, and opened only by the server when it calls the provider.
package accounts

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/fielderr"
	"github.com/kontor-app/kontor/secret"
)

// settingName is how a provider names a setting, e.g. "secret_key".
var settingName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// SaveSettings handles the settings of a provider account in its create
// or update request: the "settings" of the body (a JSON object of strings)
// are merged into the stored ones (an empty value removes a setting),
// sealed with box into sealed_settings, and shown only masked in
// settings_hint. (The body's key is not a field: PocketBase drops hidden
// fields from a request body before the hooks see it.)
func SaveSettings(e *core.RecordRequestEvent, box *secret.Box) error {
	r := e.Record
	info, err := e.RequestInfo()
	if err != nil {
		return err
	}
	settings, err := OpenSettings(box, r.Original().GetString("sealed_settings"))
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
	if box == nil {
		return e.InternalServerError("No key seals the provider's settings; see KONTOR_ENCRYPTION_KEY.", nil)
	}
	Seal(r, box, settings)
	return nil
}

// Seal stores settings in r: sealed with box into sealed_settings, and
// masked into settings_hint (a setting named like a secret shows only its
// start and end).
func Seal(r *core.Record, box *secret.Box, settings map[string]string) {
	plain, _ := json.Marshal(settings)
	r.Set("sealed_settings", box.Seal(plain))
	hint := map[string]string{}
	for name, value := range settings {
		if secretSetting(name) {
			value = Mask(value)
		}
		hint[name] = value
	}
	r.Set("settings_hint", hint)
}

// OpenSettings reads the sealed settings of a provider account; empty is
// none.
func OpenSettings(box *secret.Box, sealed string) (map[string]string, error) {
	settings := map[string]string{}
	if sealed == "" {
		return settings, nil
	}
	if box == nil {
		return nil, errors.New("no key opens the provider's settings; see KONTOR_ENCRYPTION_KEY")
	}
	plain, err := box.Open(sealed)
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

// Mask shows the start and end of a secret: enough to recognise it, not to
// use it.
func Mask(value string) string {
	r := []rune(value)
	if len(r) <= 8 {
		return strings.Repeat("•", len(r))
	}
	head := min(8, len(r)/3)
	return string(r[:head]) + "…" + string(r[len(r)-4:])
}
