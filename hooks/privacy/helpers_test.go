package privacy_test

import (
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/kontor-app/kontor/hooks/invoicing"
	"github.com/kontor-app/kontor/hooks/privacy"
	"github.com/kontor-app/kontor/internal/testserver"
	"github.com/kontor-app/kontor/plugins/firstparty"
	"github.com/kontor-app/kontor/plugins/host"
)

// TestMain lets the test binary serve the first-party plugins, as the
// server binary does, for the e-invoices of the export archive.
func TestMain(m *testing.M) {
	if host.RunCommand(os.Args[1:], firstparty.Plugins()) {
		return
	}
	os.Exit(m.Run())
}

// newServer starts Kontor with every capability on a fresh data directory,
// with VIES off.
func newServer(t *testing.T) *testserver.Server {
	t.Helper()
	return testserver.NewWithEnv(t, map[string]string{"KONTOR_VIES_URL": "off", "KONTOR_PLUGIN_TIMEOUT": "20s"})
}

// retentionConfig is the configuration the retention jobs run with in the
// tests: the server's defaults, with invoicing's deletion path.
func retentionConfig() privacy.Config {
	return privacy.Config{DeleteInvoice: invoicing.DeleteAfterRetention}
}

// superuser returns a superuser's token.
func superuser(t *testing.T, app core.App) string {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		t.Fatal(err)
	}
	su := core.NewRecord(col)
	su.SetEmail("root@example.com")
	su.SetPassword("correct horse battery")
	if err := app.Save(su); err != nil {
		t.Fatal(err)
	}
	token, err := su.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// record reads a record afresh, nil when it does not exist.
func record(t *testing.T, app core.App, collection, id string) *core.Record {
	t.Helper()
	r, err := app.FindRecordById(collection, id)
	if err != nil {
		return nil
	}
	return r
}

// count is the number of rows of a collection matching where.
func count(t *testing.T, app core.App, collection string, where dbx.Expression) int {
	t.Helper()
	var n int
	q := app.DB().Select("COUNT(*)").From(collection)
	if where != nil {
		q.AndWhere(where)
	}
	if err := q.Row(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// set writes columns of a row directly, as time passing would.
func set(t *testing.T, app core.App, collection, id string, values dbx.Params) {
	t.Helper()
	if _, err := app.DB().Update(collection, values, dbx.HashExp{"id": id}).Execute(); err != nil {
		t.Fatal(err)
	}
}

// stamp is t as PocketBase stores dates.
func stamp(t time.Time) string {
	d, _ := types.ParseDateTime(t)
	return d.String()
}

// issued creates a client and an issued invoice in the workspace and
// returns the invoice's id.
func issued(t *testing.T, s *testserver.Server, u testserver.User, ws string) string {
	t.Helper()
	client := s.Client(t, u, ws, nil)
	id := s.Draft(t, u, ws, client, testserver.Line("Consulting", "2", "500"))
	if r := s.Issue(t, u, id); r.Status != http.StatusOK {
		t.Fatalf("issue: %d %s", r.Status, r.Raw)
	}
	return id
}

// request asks for a right as the user and returns the answer.
func request(t *testing.T, s *testserver.Server, u testserver.User, typ, details string) testserver.Response {
	t.Helper()
	return s.Do(t, u.Token, http.MethodPost, "/api/kontor/privacy/requests", map[string]any{"type": typ, "details": details})
}

// waitFor polls until ok or fails after a while.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// fileOf is a small ZIP-like file to attach to a record.
func fileOf(name string) (*filesystem.File, error) {
	return filesystem.NewFileFromBytes([]byte("PK\x05\x06"+string(make([]byte, 18))), name)
}
