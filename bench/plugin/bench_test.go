package main

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/plugins/firstparty"
	"github.com/kontor-app/kontor/plugins/host"
	"github.com/kontor-app/kontor/plugins/peppol"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// TestMain lets the test binary serve the first-party plugins.
func TestMain(m *testing.M) {
	if host.RunCommand(os.Args[1:], firstparty.Plugins()) {
		return
	}
	os.Exit(m.Run())
}

func benchInvoice(b *testing.B) *sdk.Invoice {
	inv, err := Invoice(20)
	if err != nil {
		b.Fatal(err)
	}
	return inv
}

// BenchmarkInProcess renders the 20-line invoice by calling the format.
func BenchmarkInProcess(b *testing.B) {
	inv, ctx := benchInvoice(b), context.Background()
	for b.Loop() {
		if _, err := (peppol.Format{}).Render(ctx, inv); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOutOfProcess renders it through the plugin host and process.
func BenchmarkOutOfProcess(b *testing.B) {
	inv, ctx := benchInvoice(b), context.Background()
	h := host.New(host.Config{Builtin: firstparty.Plugins(), HealthInterval: -1}, slog.New(slog.DiscardHandler))
	if err := h.Start(ctx); err != nil {
		b.Fatal(err)
	}
	defer h.Close()
	if _, err := h.Render(ctx, peppol.Name, inv); err != nil { // start the process
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := h.Render(ctx, peppol.Name, inv); err != nil {
			b.Fatal(err)
		}
	}
}

// TestReport runs the tool's measurement briefly, so it keeps working.
func TestReport(t *testing.T) {
	var out strings.Builder
	if err := run(&out, 50, 20, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "out of process  p50") {
		t.Errorf("report:\n%s", out.String())
	}
}
