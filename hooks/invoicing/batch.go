package invoicing

import (
	"fmt"
	"sync"

	"github.com/pocketbase/pocketbase/core"
)

// batcherKey holds an app's issueBatcher in its store.
const batcherKey = "kontor.invoicing.batcher"

// maxBatch is the most issues one transaction holds.
const maxBatch = 64

// issueBatcher lets concurrent issues share one transaction (a group
// commit). SQLite has one writer, and beginning and committing a
// transaction cost it as much as an issue's own statements: while one
// transaction is being written, the issues that arrive wait, and the next
// transaction takes them all, in the order they came. The gapless counter
// is unaffected: every number is taken inside the transaction that saves
// its document, and a transaction that fails takes none.
//
// No issue waits for a timer: the first one to arrive when the writer is
// free commits at once, alone. If a shared transaction fails, its issues
// are retried one transaction each, so that each gets its own answer and
// none fails for another's reason.
type issueBatcher struct {
	mu      sync.Mutex
	pending []*issueRequest
	busy    bool // a leader is committing
}

// issueRequest is one issue waiting for its transaction.
type issueRequest struct {
	draft  *core.Record
	plan   *issuePlan
	issued *core.Record
	err    error
	done   chan struct{} // closed when issued or err is set
	lead   chan struct{} // receives once when this request is to commit the next batch
}

// batcherOf returns the batcher of app, or nil when invoicing is not
// registered on it.
func batcherOf(app core.App) *issueBatcher {
	b, _ := app.Store().Get(batcherKey).(*issueBatcher)
	return b
}

// issue waits until the draft is issued in a transaction, leading the
// transaction itself when no other issue does.
func (b *issueBatcher) issue(app core.App, draft *core.Record, plan *issuePlan) (*core.Record, error) {
	r := &issueRequest{draft: draft, plan: plan, done: make(chan struct{}), lead: make(chan struct{}, 1)}
	b.mu.Lock()
	b.pending = append(b.pending, r)
	leader := !b.busy
	b.busy = true
	b.mu.Unlock()
	for {
		if leader {
			b.lead(app)
		}
		select {
		case <-r.done:
			return r.issued, r.err
		case <-r.lead:
			leader = true
		}
	}
}

// lead commits the waiting issues, up to maxBatch, and then hands the
// lead to the first issue still waiting, if any.
func (b *issueBatcher) lead(app core.App) {
	b.mu.Lock()
	n := min(len(b.pending), maxBatch)
	batch := b.pending[:n:n]
	b.pending = b.pending[n:]
	b.mu.Unlock()
	defer b.handOff()
	commit(app, batch)
}

// handOff gives the lead to the first issue waiting, or leaves the
// writer free.
func (b *issueBatcher) handOff() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.pending) > 0 {
		b.pending[0].lead <- struct{}{}
	} else {
		b.busy = false
	}
}

// commit issues a batch in one transaction, or each in its own when the
// shared one fails, and answers every request of it.
func commit(app core.App, batch []*issueRequest) {
	defer func() {
		if p := recover(); p != nil {
			for _, r := range batch {
				if !closed(r.done) {
					r.err = fmt.Errorf("invoicing: issuing failed: %v", p)
					close(r.done)
				}
			}
			panic(p)
		}
	}()
	if len(batch) > 1 {
		issued := make([]*core.Record, len(batch))
		err := app.RunInTransaction(func(tx core.App) error {
			for i, r := range batch {
				var err error
				if issued[i], err = issueIn(tx, r.draft, r.plan); err != nil {
					return err
				}
			}
			return nil
		})
		if err == nil {
			for i, r := range batch {
				r.issued = issued[i]
				close(r.done)
			}
			return
		}
	}
	for _, r := range batch {
		r.err = app.RunInTransaction(func(tx core.App) error {
			var err error
			r.issued, err = issueIn(tx, r.draft, r.plan)
			return err
		})
		close(r.done)
	}
}

// closed reports whether ch is closed.
func closed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
