package main

import (
	"strings"
	"testing"
)

func TestCheckSeries(t *testing.T) {
	tests := []struct {
		name     string
		numbers  []string
		expected int
		problem  string // a part of the problem; "" for none
	}{
		{"contiguous", []string{"INV-2026-0002", "INV-2026-0001", "INV-2026-0003"}, 3, ""},
		{"pattern digits are not the sequence", []string{"B26-00001", "B26-00002"}, 2, ""},
		{"gap", []string{"INV-2026-0001", "INV-2026-0003"}, 2, "missing 2"},
		{"duplicate", []string{"INV-2026-0001", "INV-2026-0001", "INV-2026-0002"}, 3, "duplicated or out of range 1"},
		{"fewer than issued", []string{"INV-2026-0001"}, 2, "1 documents issued, 2 expected"},
		{"no running number", []string{"INV-"}, 1, "without a running number"},
		{"none", nil, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := checkSeries("s", tt.numbers, tt.expected)
			if tt.problem == "" && c.Problem != "" {
				t.Fatalf("problem %q, want none", c.Problem)
			}
			if !strings.Contains(c.Problem, tt.problem) {
				t.Fatalf("problem %q, want it to contain %q", c.Problem, tt.problem)
			}
		})
	}
}
