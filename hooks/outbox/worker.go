package outbox

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"sort"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Config tunes the worker; a zero field takes its default.
type Config struct {
	// MaxAttempts is how many times a message is tried before it fails
	// (default 10: with the default delays, about 4 hours of retries).
	MaxAttempts int
	// BaseDelay is the wait after the first failed attempt; each further
	// failure doubles it, ±10% (default 30s).
	BaseDelay time.Duration
	// MaxDelay caps the wait between attempts (default 12h).
	MaxDelay time.Duration
	// Timeout limits one attempt (default 30s). A message whose attempt
	// was cut short by a stop is tried again once this long has passed.
	Timeout time.Duration
	// Interval is how often the worker looks for due messages besides
	// being woken by a new one (default 5s).
	Interval time.Duration
	// Parallel is how many messages are carried out at once (default 4).
	Parallel int
	// Now is the clock (default time.Now).
	Now func() time.Time
}

func (c Config) withDefaults() Config {
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 10
	}
	if c.BaseDelay <= 0 {
		c.BaseDelay = 30 * time.Second
	}
	if c.MaxDelay <= 0 {
		c.MaxDelay = 12 * time.Hour
	}
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	if c.Interval <= 0 {
		c.Interval = 5 * time.Second
	}
	if c.Parallel <= 0 {
		c.Parallel = 4
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Item is a message as its handler receives it.
type Item struct {
	// ID is the outbox record id: the idempotency key to give a provider.
	ID        string
	Kind      string
	Key       string
	Workspace string
	Payload   json.RawMessage
	// Attempt counts from 1.
	Attempt int
}

// Handler carries out messages of one kind. It returns nil once the effect
// happened, Permanent(err) when retrying cannot help, NotSent(reason) when
// it deliberately does nothing, and any other error to be retried.
type Handler func(ctx context.Context, m Item) error

// Worker carries out the outbox's due messages with the handlers of their
// kinds. A message of a kind with no handler waits.
type Worker struct {
	app  core.App
	cfg  Config
	wake chan struct{}

	mu       sync.RWMutex
	handlers map[string]Handler
}

// New returns a worker for the app's outbox; it runs once Start is called.
func New(app core.App, cfg Config) *Worker {
	return &Worker{app: app, cfg: cfg.withDefaults(), wake: make(chan struct{}, 1), handlers: map[string]Handler{}}
}

// Handle sets the handler of a kind of message.
func (w *Worker) Handle(kind string, h Handler) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.handlers[kind] = h
}

// Wake makes a running worker look for due messages now.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Start runs the worker until ctx ends; the returned channel closes when it
// has stopped.
func (w *Worker) Start(ctx context.Context) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		ticker := time.NewTicker(w.cfg.Interval)
		defer ticker.Stop()
		for {
			if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
				w.app.Logger().Error("outbox: reading due messages", "error", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
			case <-w.wake:
			}
		}
	}()
	return done
}

// RunOnce carries out every message due now and returns how many it tried.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	tried := 0
	for ctx.Err() == nil {
		due, err := w.due()
		if err != nil || len(due) == 0 {
			return tried, err
		}
		sem := make(chan struct{}, w.cfg.Parallel)
		var wg sync.WaitGroup
		for _, r := range due {
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done() }()
				w.attempt(ctx, r)
			}()
		}
		wg.Wait()
		tried += len(due)
	}
	return tried, ctx.Err()
}

// due returns the pending messages whose time has come, of the kinds that
// have a handler, oldest first.
func (w *Worker) due() ([]*core.Record, error) {
	w.mu.RLock()
	kinds := make([]any, 0, len(w.handlers))
	for k := range w.handlers {
		kinds = append(kinds, k)
	}
	w.mu.RUnlock()
	if len(kinds) == 0 {
		return nil, nil
	}
	sort.Slice(kinds, func(i, j int) bool { return kinds[i].(string) < kinds[j].(string) })
	now, _ := types.ParseDateTime(w.cfg.Now())
	var records []*core.Record
	err := w.app.RecordQuery(Collection).
		AndWhere(dbx.HashExp{"status": StatusPending}).
		AndWhere(dbx.NewExp("next_attempt <= {:now}", dbx.Params{"now": now.String()})).
		AndWhere(dbx.In("kind", kinds...)).
		OrderBy("next_attempt", "created").
		Limit(int64(8 * w.cfg.Parallel)).
		All(&records)
	return records, err
}

// attempt tries one message and records the outcome. The attempt is
// counted, and the message leased for Timeout, before the handler runs, so
// a stop in the middle neither loses it nor retries it at once.
func (w *Worker) attempt(ctx context.Context, r *core.Record) {
	w.mu.RLock()
	handle := w.handlers[r.GetString("kind")]
	w.mu.RUnlock()

	now := w.cfg.Now()
	n := r.GetInt("attempts") + 1
	r.Set("attempts", n)
	r.Set("next_attempt", now.Add(w.cfg.Timeout))
	if err := w.app.Save(r); err != nil {
		w.app.Logger().Error("outbox: starting an attempt", "message", r.Id, "error", err)
		return
	}

	callCtx, cancel := context.WithTimeout(ctx, w.cfg.Timeout)
	err := handle(callCtx, Item{ID: r.Id, Kind: r.GetString("kind"), Key: r.GetString("idempotency_key"),
		Workspace: r.GetString("workspace"), Payload: json.RawMessage(r.GetString("payload")), Attempt: n})
	cancel()
	if err != nil && ctx.Err() != nil {
		return // stopping: the lease brings it back
	}

	now = w.cfg.Now()
	reason, notSent := isNotSent(err)
	switch {
	case err == nil:
		r.Set("status", StatusSent)
		r.Set("sent_at", now)
		r.Set("last_error", "")
	case notSent:
		r.Set("status", StatusNotSent)
		r.Set("last_error", truncate(reason, 2000))
		w.app.Logger().Warn("outbox: message not sent", "message", r.Id, "kind", r.GetString("kind"), "reason", reason)
	case isPermanent(err) || n >= w.cfg.MaxAttempts:
		r.Set("status", StatusFailed)
		r.Set("last_error", truncate(err.Error(), 2000))
		w.app.Logger().Error("outbox: message failed", "message", r.Id, "kind", r.GetString("kind"), "attempts", n, "error", err.Error())
	default:
		r.Set("next_attempt", now.Add(w.backoff(n)))
		r.Set("last_error", truncate(err.Error(), 2000))
	}
	if err := w.app.Save(r); err != nil {
		w.app.Logger().Error("outbox: recording an attempt", "message", r.Id, "error", err)
	}
}

// backoff is the wait after the nth failed attempt: BaseDelay doubled for
// each earlier failure, capped at MaxDelay, then spread by ±10% so that
// messages failing together do not all come back together.
func (w *Worker) backoff(n int) time.Duration {
	d := w.cfg.BaseDelay
	for i := 1; i < n && d < w.cfg.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, w.cfg.MaxDelay)
	return d + time.Duration((rand.Float64()*0.2-0.1)*float64(d))
}
