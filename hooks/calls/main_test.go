package calls_test

import (
	"os"
	"testing"

	"github.com/kontor-app/kontor/plugins/firstparty"
	"github.com/kontor-app/kontor/plugins/host"
)

// TestMain lets the test binary serve the first-party plugins, as the
// server binary does: the host starts it again as "<binary> plugin NAME".
func TestMain(m *testing.M) {
	if host.RunCommand(os.Args[1:], firstparty.Plugins()) {
		return
	}
	os.Exit(m.Run())
}
