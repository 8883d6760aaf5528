package main

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// cpuMeter returns the CPU time used so far by the server (-1 when unknown)
// and by this tool.
type cpuMeter func() (srv, tool time.Duration)

// maxKeptErrors is how many error messages a phase keeps to show.
const maxKeptErrors = 5

// phaseResult is what one phase measured.
type phaseResult struct {
	Name        string   `json:"name"`
	Requests    int      `json:"requests"`
	Errors      int      `json:"errors"`
	Seconds     float64  `json:"seconds"`
	PerSecond   float64  `json:"per_second"`
	P50ms       float64  `json:"p50_ms"`
	P99ms       float64  `json:"p99_ms"`
	MaxMs       float64  `json:"max_ms"`
	ServerCPUms float64  `json:"server_cpu_ms_per_request,omitempty"`
	ToolCPUms   float64  `json:"tool_cpu_ms_per_request"`
	FirstErrors []string `json:"first_errors,omitempty"`
}

// errorLog counts errors and keeps the first few messages.
type errorLog struct {
	mu    sync.Mutex
	count int
	first []string
}

func (l *errorLog) add(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.count++
	if len(l.first) < maxKeptErrors {
		l.first = append(l.first, err.Error())
	}
}

// runPhase runs op for i in 0..n-1 with the given number of workers, each
// taking the next i as soon as its previous request is answered, and
// measures throughput, latency and CPU.
func runPhase(ctx context.Context, name string, n, workers int, op func(context.Context, int) error, cpu cpuMeter) phaseResult {
	latencies := make([]time.Duration, n)
	var next atomic.Int64
	var errs errorLog
	var wg sync.WaitGroup

	srv0, tool0 := cpu()
	start := time.Now()
	for range min(workers, n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				t := time.Now()
				if err := op(ctx, i); err != nil {
					errs.add(err)
				}
				latencies[i] = time.Since(t)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	srv1, tool1 := cpu()

	r := phaseResult{Name: name, Requests: n, Errors: errs.count, FirstErrors: errs.first, Seconds: elapsed.Seconds()}
	r.PerSecond = float64(n) / elapsed.Seconds()
	slices.Sort(latencies)
	r.P50ms, r.P99ms, r.MaxMs = ms(percentile(latencies, 50)), ms(percentile(latencies, 99)), ms(latencies[n-1])
	r.ToolCPUms = ms(tool1-tool0) / float64(n)
	if srv0 >= 0 && srv1 >= 0 {
		r.ServerCPUms = ms(srv1-srv0) / float64(n)
	}
	return r
}

// percentile returns the p-th percentile (nearest rank) of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[max(rank-1, 0)]
}

// ms is a duration in milliseconds.
func ms(d time.Duration) float64 {
	return float64(d) / float64(time.Millisecond)
}

// line is the phase on one line of the report.
func (r phaseResult) line() string {
	s := fmt.Sprintf("%-9s %6d in %6.2fs = %6.0f/s  p50 %5.1fms  p99 %6.1fms  max %6.1fms  errors %d",
		r.Name, r.Requests, r.Seconds, r.PerSecond, r.P50ms, r.P99ms, r.MaxMs, r.Errors)
	if r.ServerCPUms > 0 {
		s += fmt.Sprintf("  cpu/req server %.2fms tool %.2fms", r.ServerCPUms, r.ToolCPUms)
	}
	for _, e := range r.FirstErrors {
		s += "\n          error: " + e
	}
	return s
}
