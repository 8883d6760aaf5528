// Command render measures Kontor's native PDF renderer, in one run: renders
// per second and latency percentiles of a one-page invoice with a logo and
// a ten-page invoice, and, where Chromium is installed, the same invoices
// printed from the HTML template by headless Chromium, with the ratio.
//
//	go run ./bench/render [-n 2000] [-n10 300] [-chromium-runs 5]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kontor-app/kontor/hooks/render"
)

// Targets printed beside the figures.
const (
	targetP50   = 10 * time.Millisecond
	targetRatio = 100.0
)

// result is one document's figures.
type result struct {
	Name         string  `json:"name"`
	Pages        int     `json:"pages"`
	Lines        int     `json:"lines"`
	Bytes        int     `json:"bytes"`
	Native       timing  `json:"native"`
	ParallelRate float64 `json:"native_parallel_per_second"`
	Chromium     *timing `json:"chromium,omitempty"`
	ChromePages  int     `json:"chromium_pages,omitempty"`
	ChromeBytes  int     `json:"chromium_bytes,omitempty"`
	Ratio        float64 `json:"ratio,omitempty"`
}

func main() {
	n1 := flag.Int("n", 2000, "timed renders of the one-page invoice")
	n10 := flag.Int("n10", 300, "timed renders of the ten-page invoice")
	chromeRuns := flag.Int("chromium-runs", 5, "timed Chromium prints of each invoice (0 skips Chromium)")
	chromium := flag.String("chromium", "/usr/bin/chromium", "Chromium binary")
	parallel := flag.Duration("parallel", 2*time.Second, "duration of the parallel phase (one worker per CPU)")
	asJSON := flag.Bool("json", false, "print the results as JSON")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *n1, *n10, *chromeRuns, *chromium, *parallel, *asJSON); err != nil {
		fmt.Fprintln(os.Stderr, "bench/render:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, n1, n10, chromeRuns int, chromium string, parallel time.Duration, asJSON bool) error {
	logo := logo()
	one, err := invoicePages(1, logo)
	if err != nil {
		return err
	}
	ten, err := invoicePages(10, logo)
	if err != nil {
		return err
	}
	if _, err := os.Stat(chromium); err != nil {
		chromeRuns = 0
	}
	dir, err := os.MkdirTemp("", "kontor-bench-render-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	var results []result
	for _, c := range []struct {
		name string
		doc  render.Document
		n    int
	}{{"1 page, logo", one, n1}, {"10 pages", ten, n10}} {
		fmt.Fprintf(os.Stderr, "%s: native renders...\n", c.name)
		r, err := measure(ctx, c.name, c.doc, c.n, parallel)
		if err != nil {
			return err
		}
		if chromeRuns > 0 {
			fmt.Fprintf(os.Stderr, "%s: Chromium prints...\n", c.name)
			if err := measureChromium(ctx, &r, c.doc, chromium, dir, chromeRuns); err != nil {
				return err
			}
		}
		results = append(results, r)
	}

	if asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(results)
	}
	report(results, chromeRuns > 0)
	return nil
}

// measure renders the document n times one after the other, then with one
// worker per CPU for the given duration.
func measure(ctx context.Context, name string, doc render.Document, n int, parallel time.Duration) (result, error) {
	r := result{Name: name, Lines: len(doc.Lines)}
	out, err := render.Invoice(doc)
	if err != nil {
		return r, err
	}
	r.Bytes, r.Pages = len(out), pageCount(out)
	for i := 0; i < 20; i++ { // warm up
		render.Invoice(doc)
	}
	durations := make([]time.Duration, 0, n)
	for i := 0; i < n && ctx.Err() == nil; i++ {
		start := time.Now()
		if _, err := render.Invoice(doc); err != nil {
			return r, err
		}
		durations = append(durations, time.Since(start))
	}
	r.Native = summarise(durations)

	var done atomic.Int64
	var wg sync.WaitGroup
	deadline := time.Now().Add(parallel)
	start := time.Now()
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) && ctx.Err() == nil {
				if _, err := render.Invoice(doc); err == nil {
					done.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	r.ParallelRate = float64(done.Load()) / time.Since(start).Seconds()
	return r, ctx.Err()
}

// measureChromium prints the document's HTML with a fresh headless
// Chromium, once untimed to warm the disk cache, then runs times.
func measureChromium(ctx context.Context, r *result, doc render.Document, chromium, dir string, runs int) error {
	html, err := render.InvoiceHTML(doc)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, "invoice.html")
	if err := os.WriteFile(path, html, 0o600); err != nil {
		return err
	}
	if _, _, err := printHTML(ctx, chromium, dir, path); err != nil {
		return err
	}
	var durations []time.Duration
	var pdf []byte
	for i := 0; i < runs && ctx.Err() == nil; i++ {
		d, out, err := printHTML(ctx, chromium, dir, path)
		if err != nil {
			return err
		}
		durations = append(durations, d)
		pdf = out
	}
	t := summarise(durations)
	r.Chromium = &t
	r.ChromeBytes = len(pdf)
	if _, err := exec.LookPath("pdfinfo"); err == nil {
		r.ChromePages = pdfPages(filepath.Join(dir, "chromium.pdf"))
	}
	r.Ratio = float64(t.P50) / float64(r.Native.P50)
	return nil
}

func report(results []result, chromium bool) {
	fmt.Printf("Kontor PDF benchmark: %s/%s, %d CPUs, Go %s\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
	fmt.Println("native: render.Invoice, one render after the other; parallel: one worker per CPU")
	for _, r := range results {
		fmt.Printf("%-13s %s %4d lines %7d bytes  native p50 %7.2fms  p99 %7.2fms  %7.0f renders/s  parallel %7.0f renders/s\n",
			r.Name, pages(r.Pages), r.Lines, r.Bytes, ms(r.Native.P50), ms(r.Native.P99), r.Native.PerSec, r.ParallelRate)
		if r.Chromium != nil {
			fmt.Printf("%-13s %s            %7d bytes  chromium p50 %7.0fms  p99 %7.0fms  %7.2f prints/s  (%d runs, one fresh process each)\n",
				"", pages(r.ChromePages), r.ChromeBytes, ms(r.Chromium.P50), ms(r.Chromium.P99), r.Chromium.PerSec, r.Chromium.Runs)
			fmt.Printf("%-13s ratio chromium/native p50 = %.0f×\n", "", r.Ratio)
		}
	}
	if len(results) > 0 {
		r := results[0]
		fmt.Printf("1-page p50 %.2fms (target ≤ %.0fms: %s)\n", ms(r.Native.P50), ms(targetP50), verdict(r.Native.P50 <= targetP50))
		if chromium && r.Chromium != nil {
			fmt.Printf("1-page ratio %.0f× (target ≥ %.0f×: %s)\n", r.Ratio, targetRatio, verdict(r.Ratio >= targetRatio))
		} else {
			fmt.Println("Chromium not found: no comparison (install Debian's chromium or pass -chromium)")
		}
	}
}

// pages prints a page count in a fixed width.
func pages(n int) string {
	switch n {
	case 0:
		return "  ? pages"
	case 1:
		return fmt.Sprintf("%3d page ", n)
	}
	return fmt.Sprintf("%3d pages", n)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}
