package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"
)

// chromiumFlags are the flags of a headless print, as HTML-to-PDF services
// start Chromium, plus no header and footer of Chromium's own (the page
// prints its own footer and page numbers).
var chromiumFlags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--no-pdf-header-footer",
}

// printHTML prints an HTML file to PDF with a fresh Chromium process and
// returns how long it took and the PDF.
func printHTML(ctx context.Context, chromium, dir, html string) (time.Duration, []byte, error) {
	profile, err := os.MkdirTemp(dir, "profile-")
	if err != nil {
		return 0, nil, err
	}
	defer os.RemoveAll(profile)
	out := filepath.Join(dir, "chromium.pdf")
	os.Remove(out)
	args := append(append([]string(nil), chromiumFlags...),
		"--user-data-dir="+profile, "--print-to-pdf="+out, "file://"+html)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	start := time.Now()
	res, err := exec.CommandContext(ctx, chromium, args...).CombinedOutput()
	elapsed := time.Since(start)
	if err != nil {
		return elapsed, nil, fmt.Errorf("chromium: %v: %s", err, res)
	}
	pdf, err := os.ReadFile(out)
	if err != nil {
		return elapsed, nil, fmt.Errorf("chromium wrote no PDF: %v: %s", err, res)
	}
	return elapsed, pdf, nil
}

var pagesLine = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)

// pdfPages counts the pages of any PDF with pdfinfo, 0 when it cannot.
func pdfPages(path string) int {
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		return 0
	}
	m := pagesLine.FindSubmatch(out)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}
