package render

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// pdfQueueSize is how many issued documents may wait in memory for their
// PDF; the ones beyond are found again in the database.
var pdfQueueSize = 4096

// catchUpBatch is how many documents without a stored PDF one query finds.
const catchUpBatch = 200

// pdfQuiet is how long after the last issue the worker starts rendering,
// and pdfMaxWait how long at most it waits for such a quiet moment before
// each document.
var pdfQuiet, pdfMaxWait = 100 * time.Millisecond, 2 * time.Second

// pdfQueue renders and stores the PDFs of issued documents in the
// background, one at a time, after the issuing transaction has committed.
// Issuing answers without waiting for its PDF, and a burst of issues is not
// slowed by file saves competing for the one SQLite writer.
//
// Rendering is background work and gives way to issuing: while documents
// keep being issued, the worker waits for pdfQuiet without one, at most
// pdfMaxWait per document, so that a burst of issues keeps the CPU and
// its PDFs follow it.
//
// No document is left without its PDF: when the queue was full, and when
// the server starts (a previous process may have stopped with documents
// queued), the worker looks up every issued document that has no stored
// PDF and stores it. Until then a document's PDF is rendered and stored
// when it is first requested; either way it is made from the frozen record.
type pdfQueue struct {
	app     core.App
	jobs    chan string
	missed  atomic.Bool   // a document was not queued: look them up
	lastAdd atomic.Int64  // when the last document was queued, in Unix nanoseconds
	wake    chan struct{} // wakes the worker to look them up
	cancel  context.CancelFunc
	stopped chan struct{}
}

// newPDFQueue starts the queue's worker.
func newPDFQueue(app core.App) *pdfQueue {
	ctx, cancel := context.WithCancel(context.Background())
	q := &pdfQueue{app: app, jobs: make(chan string, pdfQueueSize), wake: make(chan struct{}, 1),
		cancel: cancel, stopped: make(chan struct{})}
	go q.run(ctx)
	return q
}

// stop ends the worker after the document it is on, before the app closes
// its database; the documents still queued are found at the next start.
func (q *pdfQueue) stop() {
	q.cancel()
	<-q.stopped
}

// add queues an invoice; when the queue is full, the worker looks it up
// in the database once it has caught up.
func (q *pdfQueue) add(invoiceID string) {
	q.lastAdd.Store(time.Now().UnixNano())
	select {
	case q.jobs <- invoiceID:
	default:
		q.catchUp()
	}
}

// catchUp has the worker look up every issued document without a stored
// PDF, once it has stored the ones queued.
func (q *pdfQueue) catchUp() {
	q.missed.Store(true)
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *pdfQueue) run(ctx context.Context) {
	defer close(q.stopped)
	for {
		select {
		case <-ctx.Done():
			return
		case id := <-q.jobs:
			q.store(ctx, id)
		case <-q.wake:
		}
		if len(q.jobs) == 0 && q.missed.Swap(false) {
			q.storeMissing(ctx)
		}
	}
}

// waitQuiet returns once no document has been queued for pdfQuiet, after
// pdfMaxWait at the latest, or when the worker stops.
func (q *pdfQueue) waitQuiet(ctx context.Context) {
	deadline := time.Now().Add(pdfMaxWait)
	for {
		now := time.Now()
		quiet := time.Unix(0, q.lastAdd.Load()).Add(pdfQuiet)
		if !now.Before(quiet) || !now.Before(deadline) {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(min(quiet.Sub(now), deadline.Sub(now))):
		}
	}
}

// storeMissing stores the PDF of every issued document that has none,
// oldest first, until none is left or the worker stops. A document that
// cannot be rendered is logged and skipped.
func (q *pdfQueue) storeMissing(ctx context.Context) {
	failed := map[string]bool{}
	for ctx.Err() == nil {
		var ids []string
		err := q.app.DB().NewQuery(`SELECT i.id FROM invoices i
			WHERE i.status != 'draft' AND NOT EXISTS (SELECT 1 FROM ` + PDFCollection + ` p WHERE p.invoice = i.id)
			ORDER BY i.issued_at, i.id LIMIT {:n}`).Bind(dbx.Params{"n": catchUpBatch + len(failed)}).Column(&ids)
		if err != nil {
			q.app.Logger().Error("PDF: could not look up the issued documents without a stored PDF", "error", err)
			return
		}
		stored := 0
		for _, id := range ids {
			if failed[id] || ctx.Err() != nil {
				continue
			}
			if q.store(ctx, id) {
				stored++
			} else {
				failed[id] = true
			}
		}
		if stored == 0 {
			return
		}
	}
}

// store renders and stores one document's PDF, unless it has one, and
// reports whether it has one now.
func (q *pdfQueue) store(ctx context.Context, invoiceID string) bool {
	if q.waitQuiet(ctx); ctx.Err() != nil {
		return false
	}
	stored, err := StoredPDFRecord(q.app, invoiceID)
	if err == nil && stored != nil {
		return true
	}
	var invoice *core.Record
	if err == nil {
		invoice, err = q.app.FindRecordById("invoices", invoiceID)
	}
	if err == nil {
		err = renderAndStore(q.app, invoice)
	}
	if err != nil {
		q.app.Logger().Error("PDF: could not render and store the PDF of an issued document; it will be rendered when requested",
			"invoice", invoiceID, "error", err)
		return false
	}
	return true
}
