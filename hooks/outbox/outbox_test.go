package outbox_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/outbox"
	"github.com/kontor-app/kontor/internal/testserver"
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

func enqueue(t *testing.T, app core.App, kind, key string) *core.Record {
	t.Helper()
	r, created, err := outbox.Enqueue(app, outbox.Message{Kind: kind, Key: key, Summary: "test " + key, Payload: map[string]string{"to": "a@example.com"}})
	if err != nil || !created {
		t.Fatalf("enqueue %s: created %v, %v", key, created, err)
	}
	return r
}

func reload(t *testing.T, app core.App, id string) *core.Record {
	t.Helper()
	r, err := app.FindRecordById(outbox.Collection, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// A message commits or rolls back with the change that causes it, and a
// key is enqueued once.
func TestEnqueue(t *testing.T) {
	s := testserver.New(t)
	err := s.App.RunInTransaction(func(tx core.App) error {
		enqueue(t, tx, "test", "rolled-back")
		return errors.New("the change failed")
	})
	if err == nil {
		t.Fatal("the transaction did not fail")
	}
	if _, err := s.App.FindFirstRecordByData(outbox.Collection, "idempotency_key", "rolled-back"); err == nil {
		t.Fatal("a message of a rolled back change is in the outbox")
	}

	first := enqueue(t, s.App, "test", "once")
	again, created, err := outbox.Enqueue(s.App, outbox.Message{Kind: "test", Key: "once"})
	if err != nil || created || again.Id != first.Id {
		t.Fatalf("second enqueue of a key: created %v, id %s (first %s), %v", created, again.Id, first.Id, err)
	}
	if n, _ := s.App.CountRecords(outbox.Collection); n != 1 {
		t.Fatalf("%d messages", n)
	}
	for _, m := range []outbox.Message{{Key: "k"}, {Kind: "test", Key: " "}} {
		if _, _, err := outbox.Enqueue(s.App, m); err == nil {
			t.Errorf("%+v enqueued", m)
		}
	}
}

// The worker retries with growing delays until the handler succeeds,
// fails at once on a permanent error, gives up after MaxAttempts, records
// a deliberate not-sent, and leaves kinds it has no handler for alone.
func TestWorker(t *testing.T) {
	s := testserver.New(t)
	c := newClock()
	w := outbox.New(s.App, outbox.Config{MaxAttempts: 4, BaseDelay: time.Minute, MaxDelay: time.Hour, Now: c.Now})

	var mu sync.Mutex
	calls := map[string]int{}
	w.Handle("test", func(_ context.Context, m outbox.Item) error {
		mu.Lock()
		calls[m.Key]++
		n := calls[m.Key]
		mu.Unlock()
		if m.Attempt != n || m.ID == "" || string(m.Payload) != `{"to":"a@example.com"}` {
			t.Errorf("item %+v on call %d", m, n)
		}
		switch m.Key {
		case "flaky":
			if n < 3 {
				return errors.New("503 from the provider")
			}
			return nil
		case "refused":
			return outbox.Permanent(errors.New("422 invalid recipient"))
		case "down":
			return errors.New("connection refused")
		case "off":
			return outbox.NotSent("no mailer configured")
		}
		return nil
	})
	ids := map[string]string{}
	for _, key := range []string{"ok", "flaky", "refused", "down", "off"} {
		ids[key] = enqueue(t, s.App, "test", key).Id
	}
	other := enqueue(t, s.App, "test-unhandled", "waits").Id

	// the first round tries every handled message once
	if n, err := w.RunOnce(context.Background()); err != nil || n != 5 {
		t.Fatalf("first round: %d, %v", n, err)
	}
	flaky := reload(t, s.App, ids["flaky"])
	if d := flaky.GetDateTime("next_attempt").Time().Sub(c.Now()); d < 54*time.Second || d > 66*time.Second {
		t.Errorf("first retry in %v, want 1 minute ±10%%", d)
	}
	// nothing is due until the delay passed
	if n, _ := w.RunOnce(context.Background()); n != 0 {
		t.Fatalf("%d tried before their time", n)
	}
	c.Add(70 * time.Second)
	w.RunOnce(context.Background())
	flaky = reload(t, s.App, ids["flaky"])
	if d := flaky.GetDateTime("next_attempt").Time().Sub(c.Now()); d < 108*time.Second || d > 132*time.Second {
		t.Errorf("second retry in %v, want 2 minutes ±10%%", d)
	}
	for i := 0; i < 5; i++ {
		c.Add(time.Hour)
		w.RunOnce(context.Background())
	}

	want := map[string]struct {
		status   string
		attempts int
	}{
		"ok": {outbox.StatusSent, 1}, "flaky": {outbox.StatusSent, 3}, "refused": {outbox.StatusFailed, 1},
		"down": {outbox.StatusFailed, 4}, "off": {outbox.StatusNotSent, 1},
	}
	for key, wt := range want {
		r := reload(t, s.App, ids[key])
		if r.GetString("status") != wt.status || r.GetInt("attempts") != wt.attempts || calls[key] != wt.attempts {
			t.Errorf("%s: %s after %d attempts (%d calls), want %s after %d", key, r.GetString("status"), r.GetInt("attempts"), calls[key], wt.status, wt.attempts)
		}
	}
	if r := reload(t, s.App, ids["down"]); r.GetString("last_error") != "connection refused" {
		t.Errorf("last_error %q", r.GetString("last_error"))
	}
	if r := reload(t, s.App, ids["ok"]); r.GetDateTime("sent_at").IsZero() || r.GetString("last_error") != "" {
		t.Errorf("sent message: %v", r)
	}
	if r := reload(t, s.App, other); r.GetString("status") != outbox.StatusPending || r.GetInt("attempts") != 0 {
		t.Errorf("a message of no handled kind was touched: %v", r)
	}
}

// A message whose attempt is cut short by a stop is neither lost nor
// retried before its lease ends.
func TestStopMidAttempt(t *testing.T) {
	s := testserver.New(t)
	c := newClock()
	w := outbox.New(s.App, outbox.Config{Timeout: time.Minute, Now: c.Now})
	started := make(chan struct{})
	w.Handle("test", func(ctx context.Context, _ outbox.Item) error {
		close(started)
		<-ctx.Done()
		return ctx.Err()
	})
	id := enqueue(t, s.App, "test", "cut").Id
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.RunOnce(ctx); close(done) }()
	<-started
	stop()
	<-done

	r := reload(t, s.App, id)
	if r.GetString("status") != outbox.StatusPending || r.GetInt("attempts") != 1 {
		t.Fatalf("after the stop: %s, %d attempts", r.GetString("status"), r.GetInt("attempts"))
	}
	if d := r.GetDateTime("next_attempt").Time().Sub(c.Now()); d != time.Minute {
		t.Fatalf("leased for %v", d)
	}
}

// Only owners and admins of its workspace see and retry a message; only a
// failed or not sent one can be retried.
func TestRetryRoute(t *testing.T) {
	s := testserver.New(t)
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Nordlicht GmbH")
	member := s.SignUp(t, "member@example.com")
	s.Create(t, owner, "memberships", map[string]any{"workspace": ws, "user": member.ID, "role": "member"})
	outsider := s.SignUp(t, "outsider@example.com")
	s.Workspace(t, outsider, "Other Ltd")

	failed, _, err := outbox.Enqueue(s.App, outbox.Message{Kind: "test", Key: "f", Workspace: ws})
	if err != nil {
		t.Fatal(err)
	}
	failed.Set("status", outbox.StatusFailed)
	failed.Set("attempts", 10)
	if err := s.App.Save(failed); err != nil {
		t.Fatal(err)
	}
	pending, _, _ := outbox.Enqueue(s.App, outbox.Message{Kind: "test", Key: "p", Workspace: ws})
	global, _, _ := outbox.Enqueue(s.App, outbox.Message{Kind: "test", Key: "g"})

	retry := func(id string) string { return "/api/kontor/outbox/" + id + "/retry" }
	cases := []struct {
		name, token, path string
		status            int
	}{
		{"guest", "", retry(failed.Id), 401},
		{"outsider", outsider.Token, retry(failed.Id), 404},
		{"member", member.Token, retry(failed.Id), 403},
		{"no workspace", owner.Token, retry(global.Id), 404},
		{"pending", owner.Token, retry(pending.Id), 400},
		{"owner", owner.Token, retry(failed.Id), 200},
		{"list, outsider", outsider.Token, "/api/collections/outbox/records", 200},
		{"create", owner.Token, "/api/collections/outbox/records", 403},
	}
	for _, tc := range cases {
		method := http.MethodPost
		if tc.name == "list, outsider" {
			method = http.MethodGet
		}
		var body any
		if tc.name == "create" {
			body = map[string]any{"workspace": ws, "kind": "email", "idempotency_key": "x", "status": "pending"}
		}
		if r := s.Do(t, tc.token, method, tc.path, body); r.Status != tc.status {
			t.Errorf("%s: %d %s", tc.name, r.Status, r.Raw)
		} else if tc.name == "list, outsider" && r.String("totalItems") != "0" {
			t.Errorf("an outsider lists %s messages", r.String("totalItems"))
		}
	}
	if r := reload(t, s.App, failed.Id); r.GetString("status") != outbox.StatusPending || r.GetInt("attempts") != 0 {
		t.Errorf("after retry: %s, %d attempts", r.GetString("status"), r.GetInt("attempts"))
	}
	// the workspace's messages of this test; adding the member queued an email of its own
	list := s.Must(t, owner.Token, http.MethodGet, "/api/collections/outbox/records?filter="+url.QueryEscape("kind='test'"), nil)
	if list.String("totalItems") != "2" {
		t.Errorf("the owner lists %s messages, want the workspace's 2", list.String("totalItems"))
	}
	if s.Must(t, member.Token, http.MethodGet, "/api/collections/outbox/records?filter="+url.QueryEscape("kind='test'"), nil).String("totalItems") != "0" {
		t.Error("a member who is not admin lists messages")
	}
}
