package firstparty_test

import (
	"testing"

	"github.com/kontor-app/kontor/plugins/firstparty"
	"github.com/kontor-app/kontor/plugins/sdk"
)

func TestPlugins(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range firstparty.Plugins() {
		if err := sdk.Check(p); err != nil {
			t.Error(err)
		}
		name := p.Describe().Name
		if seen[name] {
			t.Errorf("%s twice", name)
		}
		seen[name] = true
	}
	for _, want := range []string{"peppol-bis-3", "xrechnung-ubl", "xrechnung-cii"} {
		if !seen[want] {
			t.Errorf("no %s", want)
		}
	}
}
