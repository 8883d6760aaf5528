package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// pdfWait is how the PDFs of the issued invoices were stored: the server
// renders them in the background after each issue, so some are still due
// when the issue phase ends.
type pdfWait struct {
	Stored int `json:"stored"`
	// PendingAtEnd is how many were not stored yet when the last issue
	// was answered; Seconds how long after that the last one was stored.
	PendingAtEnd int     `json:"pending_at_end"`
	Seconds      float64 `json:"seconds_after_issue_phase"`
}

// waitForPDFs waits until every one of the n issued invoices of env has
// its stored PDF (or timeout passes), so that rendering them does not run
// into the next phase; it reads invoice_pdfs as the superuser.
func waitForPDFs(ctx context.Context, a *api, env *env, n int, timeout time.Duration) (pdfWait, error) {
	filter := fmt.Sprintf("workspace = '%s' || workspace = '%s'", env.workspaces[0].id, env.workspaces[1].id)
	count := func() (int, error) {
		q := url.Values{"filter": {filter}, "perPage": {"1"}, "fields": {"id"}}
		var out struct {
			TotalItems int `json:"totalItems"`
		}
		err := a.do(ctx, a.suToken, http.MethodGet, "/api/collections/invoice_pdfs/records?"+q.Encode(), nil, &out)
		return out.TotalItems, err
	}
	start := time.Now()
	stored, err := count()
	if err != nil {
		return pdfWait{}, err
	}
	w := pdfWait{PendingAtEnd: n - stored}
	for stored < n {
		if time.Since(start) > timeout {
			return w, fmt.Errorf("%d of %d PDFs stored %s after the issue phase", stored, n, timeout)
		}
		select {
		case <-ctx.Done():
			return w, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if stored, err = count(); err != nil {
			return w, err
		}
	}
	w.Stored, w.Seconds = stored, time.Since(start).Seconds()
	return w, nil
}

// line is the PDF wait on one line.
func (w pdfWait) line() string {
	return fmt.Sprintf("pdfs        %d stored; %d were still being rendered when the issue phase ended, the last stored %.2fs after it",
		w.Stored, w.PendingAtEnd, w.Seconds)
}
