package einvoice_test

import (
	"net/http"
	"os"
	"testing"

	"github.com/kontor-app/kontor/internal/testserver"
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

// newServer starts Kontor's workspaces, invoicing and e-invoicing on a
// fresh data directory, with the first-party formats running out of
// process and the third-party plugins of pluginsDir ("" for none).
func newServer(t testing.TB, pluginsDir string) *testserver.Server {
	t.Helper()
	return testserver.NewWithEnv(t, map[string]string{"KONTOR_PLUGINS_DIR": pluginsDir, "KONTOR_PLUGIN_TIMEOUT": "20s"})
}

// download is an answer of the e-invoice route, with its headers.
type download struct {
	status int
	header http.Header
	body   []byte
}

// get sends GET path as the user of token ("" for a guest).
func get(t testing.TB, s *testserver.Server, token, path string) download {
	t.Helper()
	r := s.Do(t, token, http.MethodGet, path, nil)
	return download{status: r.Status, header: r.Header, body: r.Raw}
}

// einvoicePath is the route of an invoice's e-invoice in a format.
func einvoicePath(invoice, format string) string {
	return "/api/kontor/invoices/" + invoice + "/einvoice/" + format
}
