package main

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// listPage is how many records one verification request lists.
const listPage = 500

// trailingDigits finds the running number at the end of a document number.
var trailingDigits = regexp.MustCompile(`(\d+)$`)

// seriesCheck is the numbering found in one series.
type seriesCheck struct {
	Series   string `json:"series"`
	Expected int    `json:"expected"`
	Found    int    `json:"found"`
	First    string `json:"first,omitempty"`
	Last     string `json:"last,omitempty"`
	Problem  string `json:"problem,omitempty"`
}

// numbering is the result of the check over all series.
type numbering struct {
	Series []seriesCheck `json:"series"`
	Total  int           `json:"total"`
	OK     bool          `json:"ok"`
}

// verify lists the issued documents of each series as the workspace's owner
// and checks that their running numbers are exactly 1..n, n being the number
// of drafts of the series the issue phase issued.
func verify(ctx context.Context, a *api, e *env) (numbering, error) {
	expected := map[[2]int]int{}
	for i := range e.drafts {
		if d := &e.drafts[i]; d.issued.Load() {
			expected[[2]int{d.workspace, d.series}]++
		}
	}
	out := numbering{OK: true}
	for k, w := range e.workspaces {
		for j, s := range w.series {
			numbers, err := issuedNumbers(ctx, a, w.token, s.id)
			if err != nil {
				return out, err
			}
			c := checkSeries(fmt.Sprintf("workspace %d %s", k+1, s.code), numbers, expected[[2]int{k, j}])
			out.Series = append(out.Series, c)
			out.Total += c.Found
			out.OK = out.OK && c.Problem == ""
		}
	}
	if !out.OK {
		return out, fmt.Errorf("numbering is wrong: %s", out.problems())
	}
	return out, nil
}

// issuedNumbers lists the numbers of every document of a series that is no
// longer a draft.
func issuedNumbers(ctx context.Context, a *api, token, seriesID string) ([]string, error) {
	filter := fmt.Sprintf("series='%s' && status!='draft'", seriesID)
	var numbers []string
	for page := 1; ; page++ {
		items, err := a.list(ctx, token, "invoices", filter, page, listPage, "number")
		if err != nil {
			return nil, err
		}
		for _, r := range items {
			numbers = append(numbers, r.Number)
		}
		if len(items) < listPage {
			return numbers, nil
		}
	}
}

// checkSeries checks that the running numbers are 1..expected, each once.
func checkSeries(name string, numbers []string, expected int) seriesCheck {
	c := seriesCheck{Series: name, Expected: expected, Found: len(numbers)}
	seqs := make([]int, 0, len(numbers))
	bySeq := map[int]string{}
	var bad []string
	for _, n := range numbers {
		m := trailingDigits.FindString(n)
		seq, err := strconv.Atoi(m)
		if err != nil {
			bad = append(bad, strconv.Quote(n))
			continue
		}
		seqs = append(seqs, seq)
		bySeq[seq] = n
	}
	slices.Sort(seqs)
	if len(seqs) > 0 {
		c.First, c.Last = bySeq[seqs[0]], bySeq[seqs[len(seqs)-1]]
	}
	var problems []string
	if len(bad) > 0 {
		problems = append(problems, "numbers without a running number: "+sample(bad))
	}
	if c.Found != expected {
		problems = append(problems, fmt.Sprintf("%d documents issued, %d expected", c.Found, expected))
	}
	if gaps, dups := gapsAndDuplicates(seqs, expected); len(gaps)+len(dups) > 0 {
		problems = append(problems, "missing "+sample(gaps)+"; duplicated or out of range "+sample(dups))
	}
	c.Problem = strings.Join(problems, "; ")
	return c
}

// gapsAndDuplicates returns the numbers of 1..n missing from sorted seqs and
// those in seqs more than once or outside 1..n.
func gapsAndDuplicates(seqs []int, n int) (gaps, dups []string) {
	seen := make(map[int]int, len(seqs))
	for _, s := range seqs {
		seen[s]++
		if seen[s] == 2 || (seen[s] == 1 && (s < 1 || s > n)) {
			dups = append(dups, strconv.Itoa(s))
		}
	}
	for i := 1; i <= n; i++ {
		if seen[i] == 0 {
			gaps = append(gaps, strconv.Itoa(i))
		}
	}
	return gaps, dups
}

// sample lists up to ten items, or "none".
func sample(items []string) string {
	switch {
	case len(items) == 0:
		return "none"
	case len(items) > 10:
		return strings.Join(items[:10], ", ") + fmt.Sprintf(" … (%d in all)", len(items))
	}
	return strings.Join(items, ", ")
}

// problems joins the problems of every series.
func (n numbering) problems() string {
	var out []string
	for _, s := range n.Series {
		if s.Problem != "" {
			out = append(out, s.Series+": "+s.Problem)
		}
	}
	return strings.Join(out, " | ")
}
