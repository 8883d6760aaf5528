package assistant_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"

	"github.com/kontor-app/kontor/internal/testserver"
)

// TestStatusSaysWhyTheAssistantIsOff: without an account the assistant is
// off, says why, and a message gets a 400 that writes nothing and calls no
// provider; disabled likewise; enabled it is on with the provider's
// privacy terms. Guests get 401, another workspace's owner 404.
func TestStatusSaysWhyTheAssistantIsOff(t *testing.T) {
	w := newWorld(t)
	status := func(u testserver.User) testserver.Response {
		return w.s.Do(t, u.Token, http.MethodGet, "/api/kontor/assistant/status?workspace="+w.w1, nil)
	}
	off := func(reason string) {
		t.Helper()
		r := status(w.viewer)
		if r.Status != 200 || r.String("on") != "false" || r.String("reason") != reason || r.String("message") == "" {
			t.Fatalf("status: %d %s", r.Status, r.Raw)
		}
		a := w.start(t, w.member, "Hello?")
		if a.Status != http.StatusBadRequest || !strings.HasPrefix(a.Body["message"].(string), "The assistant is off.") {
			t.Fatalf("a message while off: %d %s", a.Status, a.Raw)
		}
		if w.count(t, "assistant_conversations", nil) != 0 || w.count(t, "assistant_messages", nil) != 0 || w.model.requests() != 0 {
			t.Fatal("a message while off was stored or sent")
		}
	}
	off("no_account")
	if !strings.Contains(status(w.owner).String("message"), "nothing is sent") {
		t.Errorf("the off message does not say nothing is sent: %s", status(w.owner).Raw)
	}

	account := w.connect(t)
	w.s.Must(t, w.owner.Token, http.MethodPatch, "/api/collections/assistant_accounts/records/"+account, map[string]any{"enabled": false})
	off("disabled")

	w.s.Must(t, w.owner.Token, http.MethodPatch, "/api/collections/assistant_accounts/records/"+account, map[string]any{"enabled": true})
	r := status(w.viewer)
	if r.String("on") != "true" || r.String("provider") != "anthropic" || r.String("provider_title") != "Anthropic Claude" ||
		!strings.Contains(r.String("privacy"), "train") || r.String("can_draft") != "false" || r.String("role") != "viewer" {
		t.Errorf("on, for a viewer: %s", r.Raw)
	}
	if r := status(w.member); r.String("can_draft") != "true" {
		t.Errorf("on, for a member: %s", r.Raw)
	}
	if r := status(testserver.User{}); r.Status != 401 {
		t.Errorf("guest: %d", r.Status)
	}
	if r := status(w.outsider); r.Status != 404 {
		t.Errorf("outsider: %d", r.Status)
	}
	providers := w.s.Do(t, w.viewer.Token, http.MethodGet, "/api/kontor/assistant/providers", nil)
	var list []struct {
		Name    string   `json:"name"`
		Models  []string `json:"models"`
		Privacy string   `json:"privacy"`
	}
	if err := json.Unmarshal(providers.Raw, &list); err != nil || len(list) != 2 || list[0].Name != "anthropic" || list[1].Name != "gemini" ||
		len(list[0].Models) == 0 || list[1].Privacy == "" {
		t.Errorf("providers: %d %s", providers.Status, providers.Raw)
	}
	if r := w.s.Do(t, "", http.MethodGet, "/api/kontor/assistant/providers", nil); r.Status != 401 {
		t.Errorf("providers for a guest: %d", r.Status)
	}
}

// TestAccountKeepsTheKeySealed: owners and admins set up the account; the
// API key is sealed at rest, never shown back, only masked; bad input is a
// 400 naming the field and writes nothing; members, viewers and other
// workspaces can neither read nor write it.
func TestAccountKeepsTheKeySealed(t *testing.T) {
	w := newWorld(t)
	const key = "sk-ant-api03-secretkey-0123456789"
	base := "/api/collections/assistant_accounts/records"
	bad := []struct {
		field string
		body  map[string]any
	}{
		{"provider", map[string]any{"provider": "openai", "api_key": key}},
		{"api_key", map[string]any{"provider": "anthropic"}},
		{"model", map[string]any{"provider": "anthropic", "api_key": key, "model": "gpt-4o"}},
		{"base_url", map[string]any{"provider": "anthropic", "api_key": key, "base_url": "ftp://example.com"}},
	}
	for _, c := range bad {
		c.body["workspace"] = w.w1
		r := w.s.Do(t, w.owner.Token, http.MethodPost, base, c.body)
		if r.Status != 400 || r.String("data."+c.field+".message") == "" {
			t.Errorf("%s: %d %s", c.field, r.Status, r.Raw)
		}
	}
	for _, u := range []testserver.User{w.member, w.viewer, w.outsider, {}} {
		r := w.s.Do(t, u.Token, http.MethodPost, base, map[string]any{"workspace": w.w1, "provider": "anthropic", "api_key": key, "enabled": true})
		if r.Status < 400 || r.Status >= 500 {
			t.Errorf("%s creates the account: %d", u.Email, r.Status)
		}
	}
	if n := w.count(t, "assistant_accounts", nil); n != 0 {
		t.Fatalf("refused creates wrote %d accounts", n)
	}

	r := w.s.Must(t, w.admin.Token, http.MethodPost, base, map[string]any{"workspace": w.w1, "provider": "anthropic",
		"model": "claude-haiku-4-5", "api_key": key, "enabled": true})
	id := r.String("id")
	if strings.Contains(string(r.Raw), "secretkey") || r.String("settings_hint.api_key") != "sk-ant-a…6789" {
		t.Errorf("the answer shows the key: %s", r.Raw)
	}
	var sealed string
	if err := w.s.App.DB().Select("sealed_settings").From("assistant_accounts").Where(dbx.HashExp{"id": id}).Row(&sealed); err != nil {
		t.Fatal(err)
	}
	if sealed == "" || strings.Contains(sealed, "secretkey") {
		t.Errorf("stored in clear: %q", sealed)
	}
	if r := w.s.Do(t, w.owner.Token, http.MethodPost, base, map[string]any{"workspace": w.w1, "provider": "gemini", "api_key": key}); r.Status != 400 {
		t.Errorf("a second account: %d %s", r.Status, r.Raw)
	}
	for _, c := range []struct {
		who  testserver.User
		want int
	}{{w.owner, 200}, {w.admin, 200}, {w.member, 404}, {w.viewer, 404}, {w.outsider, 404}, {testserver.User{}, 404}} {
		r := w.s.Do(t, c.who.Token, http.MethodGet, base+"/"+id, nil)
		if r.Status != c.want || strings.Contains(string(r.Raw), "secretkey") || strings.Contains(string(r.Raw), "sealed") {
			t.Errorf("%s views the account: %d %s", c.who.Email, r.Status, r.Raw)
		}
		if c.want == 404 {
			if u := w.s.Do(t, c.who.Token, http.MethodPatch, base+"/"+id, map[string]any{"enabled": false}); u.Status != 404 {
				t.Errorf("%s updates the account: %d", c.who.Email, u.Status)
			}
		}
	}
	// an update without a key keeps it; one with another replaces it
	w.s.Must(t, w.owner.Token, http.MethodPatch, base+"/"+id, map[string]any{"model": "claude-sonnet-4-5"})
	if got := w.settings(t, id); got["api_key"] != key {
		t.Errorf("an update without a key changed it: %v", got)
	}
	r = w.s.Must(t, w.owner.Token, http.MethodPatch, base+"/"+id, map[string]any{"api_key": "sk-ant-another-key-99998888"})
	if r.String("settings_hint.api_key") != "sk-ant-a…8888" || w.settings(t, id)["api_key"] != "sk-ant-another-key-99998888" {
		t.Errorf("a new key: %s", r.Raw)
	}
}
