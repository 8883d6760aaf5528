package main

import (
	"sort"
	"time"
)

// timing summarises the durations of repeated runs.
type timing struct {
	Runs   int           `json:"runs"`
	Total  time.Duration `json:"total_ns"`
	P50    time.Duration `json:"p50_ns"`
	P99    time.Duration `json:"p99_ns"`
	Max    time.Duration `json:"max_ns"`
	PerSec float64       `json:"per_second"`
}

// summarise computes the percentiles (nearest rank) and the rate of runs
// done one after the other.
func summarise(d []time.Duration) timing {
	if len(d) == 0 {
		return timing{}
	}
	sorted := append([]time.Duration(nil), d...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	var total time.Duration
	for _, x := range d {
		total += x
	}
	rank := func(p float64) time.Duration {
		i := int(p*float64(len(sorted))+0.999999) - 1
		return sorted[max(0, min(i, len(sorted)-1))]
	}
	return timing{Runs: len(d), Total: total, P50: rank(0.50), P99: rank(0.99), Max: sorted[len(sorted)-1],
		PerSec: float64(len(d)) / total.Seconds()}
}
