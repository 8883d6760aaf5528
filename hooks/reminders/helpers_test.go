package reminders_test

import (
	"errors"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/kontor-app/kontor/hooks"
	"github.com/kontor-app/kontor/internal/testserver"
)

// The tests run on a fake clock: every job is given the time it runs at.
// Their dates lie years after the real clock, so that the jobs the server
// itself runs on the real clock (at start, on its cron) find nothing due in
// the tests' data.

// at reads a time of the fake clock: "2031-03-04T08:00Z", or a day at noon
// UTC ("2031-03-04").
func at(s string) time.Time {
	if t, err := time.Parse("2006-01-02T15:04Z", s); err == nil {
		return t
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t.Add(12 * time.Hour)
}

// mailCall is an email a job queued.
type mailCall struct {
	Invoice, Template, Key string
	Data                   map[string]any
}

// fakeMailer records the emails the jobs queue, in the transaction they
// give it: a call whose transaction rolls back is forgotten, as the outbox
// forgets it. fail, when set, makes every call fail.
type fakeMailer struct {
	mu    sync.Mutex
	calls []mailCall
	fail  error
}

func (m *fakeMailer) QueueInvoiceMail(app core.App, invoice *core.Record, template, key string, data map[string]any) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	if invoice.GetString("status") == "draft" {
		return errors.New("fake mailer: a draft cannot be emailed")
	}
	call := mailCall{Invoice: invoice.Id, Template: template, Key: key, Data: data}
	m.calls = append(m.calls, call)
	if tx := app.TxInfo(); tx != nil {
		tx.OnComplete(func(txErr error) error {
			if txErr != nil {
				m.forget(call.Key)
			}
			return nil
		})
	}
	return nil
}

func (m *fakeMailer) forget(key string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, c := range m.calls {
		if c.Key == key {
			m.calls = append(m.calls[:i], m.calls[i+1:]...)
			return
		}
	}
}

// keys returns the keys of the emails queued about an invoice, in order.
func (m *fakeMailer) keys(invoice string) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, c := range m.calls {
		if c.Invoice == invoice {
			out = append(out, c.Key)
		}
	}
	return out
}

// last returns the last email queued about an invoice.
func (m *fakeMailer) last(t *testing.T, invoice string) mailCall {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := len(m.calls) - 1; i >= 0; i-- {
		if m.calls[i].Invoice == invoice {
			return m.calls[i]
		}
	}
	t.Fatalf("no email about %s", invoice)
	return mailCall{}
}

func (m *fakeMailer) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.calls)
}

// fixture is a workspace with a business client, on a running server.
type fixture struct {
	s      *testserver.Server
	owner  testserver.User
	ws     string
	client string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s := testserver.New(t)
	f := &fixture{s: s, owner: s.SignUp(t, "owner@example.com")}
	f.ws = s.Workspace(t, f.owner, "Nordlicht GmbH")
	f.client = s.Client(t, f.owner, f.ws, map[string]any{"email": "ap@acme.example", "language": "es"})
	return f
}

// issued issues an invoice to the client, dated 2 January 2031 and due on
// due, and returns its id.
func (f *fixture) issued(t *testing.T, client, due string, lines ...map[string]any) string {
	t.Helper()
	if len(lines) == 0 {
		lines = []map[string]any{testserver.Line("Consulting", "10", "100")}
	}
	id := f.s.Create(t, f.owner, "invoices", map[string]any{"workspace": f.ws, "client": client, "lines": lines,
		"issue_date": "2031-01-02", "due_date": due}).String("id")
	if r := f.s.Issue(t, f.owner, id); r.Status != http.StatusOK {
		t.Fatalf("issue: %d %s", r.Status, r.Raw)
	}
	return id
}

// record reads a record of the app.
func record(t *testing.T, app core.App, collection, id string) *core.Record {
	t.Helper()
	r, err := app.FindRecordById(collection, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// periods lists the recurring_period of each invoice of a recurring
// invoice, in order, with the status of each.
func periods(t *testing.T, app core.App, recurring string) []string {
	t.Helper()
	invoices, err := app.FindRecordsByFilter("invoices", "recurring = {:r}", "recurring_period", 0, 0, map[string]any{"r": recurring})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, inv := range invoices {
		out = append(out, inv.GetString("recurring_period")+" "+inv.GetString("status"))
	}
	sort.Strings(out)
	return out
}

// restart stops an app as the server stops, and starts another, with every
// hook, on a copy of its data directory: what a restarted process sees.
func restart(t *testing.T, app *tests.TestApp) *tests.TestApp {
	t.Helper()
	err := app.OnTerminate().Trigger(&core.TerminateEvent{App: app}, func(e *core.TerminateEvent) error {
		return app.ResetBootstrapState()
	})
	if err != nil {
		t.Fatal(err)
	}
	next, err := tests.NewTestApp(app.DataDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := hooks.ConfigFromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	hooks.Register(next, cfg)
	t.Cleanup(next.Cleanup)
	return next
}
