package main

import (
	"testing"
	"time"
)

func TestSummarise(t *testing.T) {
	var d []time.Duration
	for i := 100; i >= 1; i-- {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	s := summarise(d)
	cases := []struct {
		name      string
		got, want time.Duration
	}{
		{"p50", s.P50, 50 * time.Millisecond},
		{"p99", s.P99, 99 * time.Millisecond},
		{"max", s.Max, 100 * time.Millisecond},
		{"total", s.Total, 5050 * time.Millisecond},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if s.Runs != 100 || s.PerSec < 19.8 || s.PerSec > 19.81 {
		t.Errorf("runs %d, per second %f", s.Runs, s.PerSec)
	}
}
