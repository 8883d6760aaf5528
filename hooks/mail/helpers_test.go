package mail_test

import (
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/kontor-app/kontor/hooks/outbox"
	_ "github.com/kontor-app/kontor/pb_migrations"
)

// clock is a fake clock tests move by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// newClock starts a second ahead of the real clock, which stamps new
// messages due now.
func newClock() *clock {
	return &clock{now: time.Now().UTC().Add(time.Second).Truncate(time.Millisecond)}
}

// newApp is a bare app with Kontor's schema and no hooks, for tests that
// register the mailer on a worker of their own and drive it by hand.
func newApp(t *testing.T) *tests.TestApp {
	t.Helper()
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Cleanup)
	return app
}

// message returns the outbox message of the key.
func message(t *testing.T, app core.App, key string) *core.Record {
	t.Helper()
	r, err := app.FindFirstRecordByData(outbox.Collection, "idempotency_key", key)
	if err != nil {
		t.Fatalf("no outbox message %s: %v", key, err)
	}
	return r
}

// awaitStatus waits until the outbox message of the key has the status and
// returns it.
func awaitStatus(t *testing.T, app core.App, key, status string) *core.Record {
	t.Helper()
	var r *core.Record
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		r, _ = app.FindFirstRecordByData(outbox.Collection, "idempotency_key", key)
		if r != nil && r.GetString("status") == status {
			return r
		}
	}
	if r == nil {
		t.Fatalf("no outbox message %s", key)
	}
	t.Fatalf("message %s is %s after %d attempts (%s), want %s", key, r.GetString("status"), r.GetInt("attempts"), r.GetString("last_error"), status)
	return nil
}
