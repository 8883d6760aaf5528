// Package e2e runs the browser tests of the web UI, every *.test.mjs here
// (invoice-flow, proposal-flow; node --test, playwright-core, Debian's
// Chromium), against a Kontor server built and started fresh for the test,
// so that `go test ./...` covers them.
// The server checks VAT numbers with a fake VIES (hooks/vies/viestest).
//
// Without node or Chromium the test is skipped, unless KONTOR_E2E=require
// (as in CI), when it fails instead. KONTOR_CHROMIUM overrides the browser
// path (default /usr/bin/chromium).
package e2e

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kontor-app/kontor/hooks/vies/viestest"
	"github.com/kontor-app/kontor/internal/testserver"
)

// overall limit of the test: build, server start, npm ci and the browser run
const testTimeout = 6 * time.Minute

func TestInvoiceFlowInBrowser(t *testing.T) {
	required := os.Getenv("KONTOR_E2E") == "require"
	unavailable := func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, args...)
		if required {
			t.Fatalf("%s (KONTOR_E2E=require)", msg)
		}
		t.Skipf("%s; set KONTOR_E2E=require to make this a failure", msg)
	}
	if testing.Short() && !required {
		t.Skip("browser test skipped in -short mode")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		unavailable("node is not installed")
	}
	chromium := os.Getenv("KONTOR_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		unavailable("Chromium is not installed at %s", chromium)
	}

	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()

	root := testserver.ModuleRoot(t)
	e2eDir := filepath.Join(root, "e2e")
	bin := testserver.Build(t)
	dataDir := t.TempDir()
	// With a superuser in place, PocketBase does not try to open a browser
	// on its installer page at the first start.
	run(ctx, t, root, bin, "superuser", "upsert", "e2e-admin@example.com", "e2e-admin-password-1", "--dir", dataDir)
	// A fake VIES, so that the client form's "Check with VIES" runs without
	// the network: the flow's client's VAT number is valid there.
	vies := viestest.New(t)
	vies.Script("ESB12345678", viestest.Answer{Valid: true, Name: "CLIENTE EJEMPLO SL", Address: "CALLE MAYOR 5, MADRID"})
	// testserver.Start passes the test process's environment to the server.
	t.Setenv("KONTOR_VIES_URL", vies.URL)
	baseURL := testserver.Start(t, bin, dataDir).URL

	if _, err := os.Stat(filepath.Join(e2eDir, "node_modules", "playwright-core", "package.json")); err != nil {
		npm, err := exec.LookPath("npm")
		if err != nil {
			unavailable("npm is not installed (needed once for `npm ci` in e2e/)")
		}
		run(ctx, t, e2eDir, npm, "ci", "--no-audit", "--no-fund")
	}

	files, err := filepath.Glob(filepath.Join(e2eDir, "*.test.mjs"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no browser tests (*.test.mjs) in %s: %v", e2eDir, err)
	}
	args := []string{"--test", "--test-reporter=spec"}
	for _, f := range files {
		args = append(args, filepath.Base(f))
	}
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = e2eDir
	cmd.Env = append(os.Environ(), "KONTOR_URL="+baseURL, "KONTOR_CHROMIUM="+chromium, "NO_COLOR=1", "FORCE_COLOR=0")
	if err := streamed(t, cmd, "node"); err != nil {
		t.Fatalf("browser test failed: %v (screenshots, if any, are in %s)", err, filepath.Join(e2eDir, "test-results"))
	}
	// the browser's check reached the fake, with the workspace as requester
	calls := vies.Calls()
	if len(calls) != 1 {
		t.Fatalf("fake VIES got %d checks, want 1: %+v", len(calls), calls)
	}
	want := viestest.Call{CountryCode: "ES", VATNumber: "B12345678", RequesterMemberStateCode: "DE", RequesterNumber: "123456789"}
	if calls[0] != want {
		t.Errorf("fake VIES got %+v, want %+v", calls[0], want)
	}
}

// run runs a command to completion in dir, failing the test with its output
// when it fails.
func run(ctx context.Context, t *testing.T, dir, name string, args ...string) {
	t.Helper()
	start := time.Now()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	t.Logf("%s %s: done in %s", filepath.Base(name), args[0], time.Since(start).Round(time.Millisecond))
}

// streamed runs cmd with its stdout and stderr sent line by line to the test
// log as they come, and returns its error.
func streamed(t *testing.T, cmd *exec.Cmd, prefix string) error {
	t.Helper()
	pr, pw := io.Pipe()
	cmd.Stdout = pw
	cmd.Stderr = pw
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			t.Logf("%s: %s", prefix, sc.Text())
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	err := cmd.Start()
	if err == nil {
		err = cmd.Wait()
	}
	_ = pw.Close()
	wg.Wait()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return fmt.Errorf("%s exited with code %d", prefix, exitErr.ExitCode())
	}
	return err
}
