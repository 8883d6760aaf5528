package render

import (
	"context"

	"github.com/pocketbase/pocketbase/core"
)

// pdfQueueSize is how many issued documents may wait for their PDF.
const pdfQueueSize = 4096

// pdfQueue renders and stores the PDFs of issued documents in the
// background, one at a time, after the issuing transaction has committed.
// Issuing answers without waiting for its PDF, and a burst of issues is not
// slowed by file saves competing for the one SQLite writer. A document whose
// PDF is not stored yet (the queue was full, the process stopped) is
// rendered and stored when it is first requested: nothing is lost, since
// the PDF is made from the frozen record.
type pdfQueue struct {
	app     core.App
	jobs    chan string
	cancel  context.CancelFunc
	stopped chan struct{}
}

// newPDFQueue starts the queue's worker.
func newPDFQueue(app core.App) *pdfQueue {
	ctx, cancel := context.WithCancel(context.Background())
	q := &pdfQueue{app: app, jobs: make(chan string, pdfQueueSize), cancel: cancel, stopped: make(chan struct{})}
	go q.run(ctx)
	return q
}

// stop ends the worker after the document it is on, before the app closes
// its database; the documents still queued get their PDF on request.
func (q *pdfQueue) stop() {
	q.cancel()
	<-q.stopped
}

// add queues an invoice; false when the queue is full.
func (q *pdfQueue) add(invoiceID string) bool {
	select {
	case q.jobs <- invoiceID:
		return true
	default:
		return false
	}
}

func (q *pdfQueue) run(ctx context.Context) {
	defer close(q.stopped)
	for {
		select {
		case <-ctx.Done():
			return
		case id := <-q.jobs:
			q.store(id)
		}
	}
}

// store renders and stores one document's PDF, unless it has one.
func (q *pdfQueue) store(invoiceID string) {
	stored, err := StoredPDFRecord(q.app, invoiceID)
	if err == nil && stored != nil {
		return
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
	}
}
