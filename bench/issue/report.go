package main

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strings"
)

// report is everything one run measured.
type report struct {
	Server      string        `json:"server"`
	N           int           `json:"n"`
	Concurrency int           `json:"concurrency"`
	CPUs        int           `json:"cpus"`
	Phases      []phaseResult `json:"phases"`
	PDFs        *pdfWait      `json:"pdfs,omitempty"`
	Summary     summary       `json:"summary"`
	Numbering   numbering     `json:"numbering"`
}

// summary sets the issue figure against the plain create figure.
type summary struct {
	IssuesPerSecond       float64 `json:"issues_per_second"`
	CreatesPerSecond      float64 `json:"creates_per_second"`
	Ratio                 float64 `json:"ratio"`
	TargetIssuesPerSecond float64 `json:"target_issues_per_second"`
	TargetRatio           float64 `json:"target_ratio"`
	IssuesMet             bool    `json:"issues_target_met"`
	RatioMet              bool    `json:"ratio_target_met"`
}

// numCPU is the number of CPUs the server and the tool share.
func numCPU() int { return runtime.NumCPU() }

// errors is the number of failed requests over all phases.
func (r *report) errors() int {
	n := 0
	for _, p := range r.Phases {
		n += p.Errors
	}
	return n
}

// summarize works out the summary: issues per second, and creates per second
// over both create phases together (requests over their summed time).
func (r *report) summarize() {
	var creates, createSeconds float64
	for _, p := range r.Phases {
		switch {
		case p.Name == "issue":
			r.Summary.IssuesPerSecond = p.PerSecond
		case strings.HasPrefix(p.Name, "create"):
			creates += float64(p.Requests)
			createSeconds += p.Seconds
		}
	}
	s := &r.Summary
	if createSeconds > 0 {
		s.CreatesPerSecond = creates / createSeconds
		s.Ratio = s.IssuesPerSecond / s.CreatesPerSecond
	}
	s.TargetIssuesPerSecond, s.TargetRatio = targetIssuesPerSecond, targetRatio
	s.IssuesMet = s.IssuesPerSecond >= targetIssuesPerSecond
	s.RatioMet = s.Ratio >= targetRatio
}

// print writes the report as text or JSON.
func (r *report) print(w io.Writer, asJSON bool) error {
	r.summarize()
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Kontor issue benchmark: %s, n=%d, concurrency %d, %d CPUs shared by server and tool\n",
		r.Server, r.N, r.Concurrency, r.CPUs)
	for _, p := range r.Phases {
		b.WriteString(p.line() + "\n")
		if p.Name == "issue" && r.PDFs != nil {
			b.WriteString(r.PDFs.line() + "\n")
		}
	}
	s := r.Summary
	fmt.Fprintf(&b, "issues/s  %.0f  (target ≥ %d: %s)\n", s.IssuesPerSecond, targetIssuesPerSecond, verdict(s.IssuesMet))
	fmt.Fprintf(&b, "ratio issue/create = %.0f/%.0f = %.2f  (target ≥ %.2f: %s)\n",
		s.IssuesPerSecond, s.CreatesPerSecond, s.Ratio, targetRatio, verdict(s.RatioMet))
	b.WriteString(r.Numbering.line() + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// verdict names whether a target is met.
func verdict(met bool) string {
	if met {
		return "met"
	}
	return "MISSED"
}

// line is the numbering check on one line (and one more per failing series).
func (n numbering) line() string {
	if n.Series == nil {
		return "numbering: not checked"
	}
	if n.OK {
		return fmt.Sprintf("numbering: %d series, %d numbers, each series exactly 1..n, no gap, no duplicate", len(n.Series), n.Total)
	}
	s := fmt.Sprintf("numbering: FAILED over %d series, %d numbers", len(n.Series), n.Total)
	for _, c := range n.Series {
		if c.Problem != "" {
			s += fmt.Sprintf("\n  %s (%s … %s): %s", c.Series, c.First, c.Last, c.Problem)
		}
	}
	return s
}
