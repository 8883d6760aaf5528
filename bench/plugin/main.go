// Command plugin measures what running a format out of process costs: the
// latency of rendering one 20-line invoice as Peppol BIS 3 through the
// plugin host (a separate process, gRPC over a local socket), beside the
// same rendering called in-process, in the same run.
//
//	go run ./bench/plugin [-n 2000] [-lines 20] [-json]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"time"

	"github.com/kontor-app/kontor/plugins/firstparty"
	"github.com/kontor-app/kontor/plugins/host"
	"github.com/kontor-app/kontor/plugins/peppol"
)

// target is the p50 the out-of-process rendering should stay under.
const target = 3 * time.Millisecond

func main() {
	// the host starts this binary again as "<binary> plugin peppol-bis-3"
	if host.RunCommand(os.Args[1:], firstparty.Plugins()) {
		return
	}
	n := flag.Int("n", 2000, "renderings measured in each mode")
	lines := flag.Int("lines", 20, "lines of the invoice")
	asJSON := flag.Bool("json", false, "print the results as JSON")
	flag.Parse()
	if err := run(os.Stdout, *n, *lines, *asJSON); err != nil {
		fmt.Fprintln(os.Stderr, "bench/plugin:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, n, lines int, asJSON bool) error {
	inv, err := Invoice(lines)
	if err != nil {
		return err
	}
	ctx := context.Background()

	h := host.New(host.Config{Builtin: firstparty.Plugins(), HealthInterval: -1},
		slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err := h.Start(ctx); err != nil {
		return err
	}
	defer h.Close()

	started := time.Now()
	first, err := h.Render(ctx, peppol.Name, inv) // starts the plugin process
	if err != nil {
		return err
	}
	startup := time.Since(started)
	local, err := peppol.Format{}.Render(ctx, inv)
	if err != nil {
		return err
	}
	if string(first.Content) != string(local.Content) {
		return fmt.Errorf("the plugin and the in-process rendering differ")
	}

	in := Measure(n, func() error { _, err := peppol.Format{}.Render(ctx, inv); return err })
	out := Measure(n, func() error { _, err := h.Render(ctx, peppol.Name, inv); return err })
	if in.Err != nil || out.Err != nil {
		return fmt.Errorf("rendering failed: %v %v", in.Err, out.Err)
	}

	report := Report{
		Lines: lines, N: n, Bytes: len(first.Content), CPUs: runtime.NumCPU(),
		FirstCall: startup, InProcess: in, OutOfProcess: out,
		Overhead: out.P50 - in.P50, Target: target, Met: out.P50 <= target,
	}
	if asJSON {
		return json.NewEncoder(w).Encode(report)
	}
	report.Print(w)
	return nil
}
