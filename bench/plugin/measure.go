package main

import (
	"fmt"
	"io"
	"sort"
	"time"
)

// Latencies are the timings of one mode.
type Latencies struct {
	P50, P90, P99, Max, Mean time.Duration
	Err                      error `json:"-"`
}

// Measure calls fn n times, after n/10 untimed warm-up calls, one after the
// other, and returns the latencies.
func Measure(n int, fn func() error) Latencies {
	for i := 0; i < n/10; i++ {
		if err := fn(); err != nil {
			return Latencies{Err: err}
		}
	}
	times := make([]time.Duration, n)
	var total time.Duration
	for i := range times {
		start := time.Now()
		if err := fn(); err != nil {
			return Latencies{Err: err}
		}
		times[i] = time.Since(start)
		total += times[i]
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	at := func(q float64) time.Duration { return times[int(q*float64(n-1))] }
	return Latencies{P50: at(0.50), P90: at(0.90), P99: at(0.99), Max: times[n-1], Mean: total / time.Duration(n)}
}

// Report is what the tool measured.
type Report struct {
	Lines, N, Bytes, CPUs int
	FirstCall             time.Duration // includes starting the plugin process
	InProcess             Latencies
	OutOfProcess          Latencies
	Overhead              time.Duration // p50 out of process − p50 in process
	Target                time.Duration
	Met                   bool
}

// Print writes the report for a person.
func (r Report) Print(w io.Writer) {
	fmt.Fprintf(w, "Peppol BIS 3, %d-line invoice (%d bytes of XML), %d renderings per mode, %d CPUs\n", r.Lines, r.Bytes, r.N, r.CPUs)
	row := func(name string, l Latencies) {
		fmt.Fprintf(w, "%-15s p50 %8s  p90 %8s  p99 %8s  max %8s  mean %8s\n", name, us(l.P50), us(l.P90), us(l.P99), us(l.Max), us(l.Mean))
	}
	row("in process", r.InProcess)
	row("out of process", r.OutOfProcess)
	met := "met"
	if !r.Met {
		met = "MISSED"
	}
	fmt.Fprintf(w, "overhead of the plugin process at p50: %s; first call (starts the plugin): %s\n", us(r.Overhead), ms(r.FirstCall))
	fmt.Fprintf(w, "out-of-process p50 %s (target ≤ %s: %s)\n", us(r.OutOfProcess.P50), ms(r.Target), met)
}

func us(d time.Duration) string { return fmt.Sprintf("%.0fµs", float64(d)/float64(time.Microsecond)) }
func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond)) }
