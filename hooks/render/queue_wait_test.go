package render

import (
	"context"
	"testing"
	"time"
)

// The PDF worker gives way to issuing: it waits while documents keep being
// queued, starts once none was for pdfQuiet, and waits no longer than
// pdfMaxWait for that.
func TestWaitQuiet(t *testing.T) {
	was, wasMax := pdfQuiet, pdfMaxWait
	pdfQuiet, pdfMaxWait = 60*time.Millisecond, 400*time.Millisecond
	t.Cleanup(func() { pdfQuiet, pdfMaxWait = was, wasMax })

	// issues every 10 ms for d, or until stop is closed
	issuing := func(q *pdfQueue, d time.Duration, stop <-chan struct{}) {
		for end := time.Now().Add(d); time.Now().Before(end); {
			q.lastAdd.Store(time.Now().UnixNano())
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
	tests := []struct {
		name     string
		issueFor time.Duration // 0: nothing issued
		min, max time.Duration // how long waitQuiet may take
	}{
		{"nothing issued: at once", 0, 0, 40 * time.Millisecond},
		{"a burst: until quiet after it", 150 * time.Millisecond, 200 * time.Millisecond, 390 * time.Millisecond},
		{"never quiet: at most pdfMaxWait", time.Hour, 390 * time.Millisecond, 800 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := &pdfQueue{}
			stop := make(chan struct{})
			defer close(stop)
			if tt.issueFor > 0 {
				q.lastAdd.Store(time.Now().UnixNano())
				go issuing(q, tt.issueFor, stop)
			}
			start := time.Now()
			q.waitQuiet(context.Background())
			if took := time.Since(start); took < tt.min || took > tt.max {
				t.Errorf("waited %v, want %v to %v", took, tt.min, tt.max)
			}
		})
	}

	t.Run("stopping the worker ends the wait", func(t *testing.T) {
		q := &pdfQueue{}
		q.lastAdd.Store(time.Now().Add(time.Hour).UnixNano())
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(20*time.Millisecond, cancel)
		start := time.Now()
		q.waitQuiet(ctx)
		if took := time.Since(start); took > 200*time.Millisecond {
			t.Errorf("waited %v after the worker stopped", took)
		}
	})
}
