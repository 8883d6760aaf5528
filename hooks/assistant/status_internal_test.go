package assistant

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/plugins/host"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// TestStatusOf decides on or off from the loaded plugins and the account.
func TestStatusOf(t *testing.T) {
	col := core.NewBaseCollection(Accounts)
	col.Fields.Add(&core.TextField{Name: "provider"}, &core.TextField{Name: "model"}, &core.BoolField{Name: "enabled"})
	acc := func(provider string, enabled bool) *core.Record {
		r := core.NewRecord(col)
		r.Set("provider", provider)
		r.Set("enabled", enabled)
		return r
	}
	claude := host.Info{Description: sdk.Description{Kind: sdk.KindLLM, Name: "anthropic", Title: "Anthropic Claude", Privacy: "No training."}}
	cases := []struct {
		name    string
		plugins []host.Info
		account *core.Record
		on      bool
		reason  string
	}{
		{"no plugin runs", nil, acc("anthropic", true), false, OffNoPlugin},
		{"no account", []host.Info{claude}, nil, false, OffNoAccount},
		{"the account's plugin does not run", []host.Info{claude}, acc("gemini", true), false, OffNoPlugin},
		{"disabled", []host.Info{claude}, acc("anthropic", false), false, OffDisabled},
		{"on", []host.Info{claude}, acc("anthropic", true), true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := statusOf(c.plugins, c.account)
			if s.On != c.on || s.Reason != c.reason || (!c.on && s.Message == "") {
				t.Fatalf("%+v", s)
			}
			if c.on && (s.Privacy != "No training." || s.ProviderTitle != "Anthropic Claude") {
				t.Fatalf("%+v", s)
			}
		})
	}
}
