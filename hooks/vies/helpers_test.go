package vies_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/outbox"
	"github.com/kontor-app/kontor/hooks/vies"
	"github.com/kontor-app/kontor/hooks/vies/viestest"
	"github.com/kontor-app/kontor/internal/testserver"
)

// world is Kontor checking against a fake VIES, with a workspace (German
// seller, VAT number DE123456789) and its owner.
type world struct {
	s     *testserver.Server
	fake  *viestest.Server
	owner testserver.User
	ws    string
}

// newWorld starts Kontor with KONTOR_VIES_URL pointing at a fake VIES, and
// the variables of env besides.
func newWorld(t *testing.T, env map[string]string) *world {
	t.Helper()
	fake := viestest.New(t)
	all := map[string]string{"KONTOR_VIES_URL": fake.URL}
	for k, v := range env {
		all[k] = v
	}
	s := testserver.NewWithEnv(t, all)
	owner := s.SignUp(t, "owner@example.com")
	return &world{s: s, fake: fake, owner: owner, ws: s.Workspace(t, owner, "Nordlicht GmbH")}
}

// client creates a client of the workspace with the VAT number.
func (w *world) client(t *testing.T, vatID string) string {
	t.Helper()
	return w.s.Client(t, w.owner, w.ws, map[string]any{"vat_id": vatID})
}

// check asks for a check of the client's VAT number as the owner.
func (w *world) check(t *testing.T, client string) testserver.Response {
	t.Helper()
	return w.s.Do(t, w.owner.Token, http.MethodPost, "/api/kontor/clients/"+client+"/check-vat", nil)
}

// record reads a record as it is now.
func (w *world) record(t *testing.T, collection, id string) *core.Record {
	t.Helper()
	r, err := w.s.App.FindRecordById(collection, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// checks returns the evidence kept about a client, oldest first.
func (w *world) checks(t *testing.T, client string) []*core.Record {
	t.Helper()
	var records []*core.Record
	err := w.s.App.RecordQuery(vies.Checks).AndWhere(dbx.HashExp{"client": client}).OrderBy("created", "rowid").All(&records)
	if err != nil {
		t.Fatal(err)
	}
	return records
}

// statuses lists the statuses of records.
func statuses(records []*core.Record) []string {
	out := make([]string, len(records))
	for i, r := range records {
		out[i] = r.GetString("status")
	}
	return out
}

// retryOf returns the queued check of a client.
func (w *world) retryOf(t *testing.T, client string) *core.Record {
	t.Helper()
	records, err := w.s.App.FindRecordsByFilter(outbox.Collection, "kind = {:k} && idempotency_key ~ {:c}", "created", 0, 0,
		dbx.Params{"k": vies.Kind, "c": "vies:" + client + ":"})
	if err != nil || len(records) != 1 {
		t.Fatalf("%d queued checks of %s, want 1 (%v)", len(records), client, err)
	}
	return records[0]
}

// eventually waits up to 10 seconds for cond, which the outbox worker
// running in the server makes true.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
