// Package stripemock starts stripe-mock, Stripe's own fake of its API, for
// tests that call Stripe through the real stripe-go client. .ci/run
// installs it (go install github.com/stripe/stripe-mock@v0.203.0).
//
// Without the binary the test is skipped, unless KONTOR_E2E=require (as in
// CI), when it fails instead.
package stripemock

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Start runs stripe-mock on a free local port until the test ends and
// returns its base URL, e.g. http://127.0.0.1:41234.
func Start(t testing.TB) string {
	t.Helper()
	bin := find()
	if bin == "" {
		msg := "stripe-mock is not installed (go install github.com/stripe/stripe-mock@v0.203.0)"
		if os.Getenv("KONTOR_E2E") == "require" {
			t.Fatalf("%s (KONTOR_E2E=require)", msg)
		}
		t.Skip(msg + "; set KONTOR_E2E=require to make this a failure")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	// stripe-mock also serves HTTPS, on 12112 unless told otherwise
	cmd := exec.Command(bin, "-http-addr", addr, "-https-addr", "127.0.0.1:0")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return "http://" + addr
		}
		if time.Now().After(deadline) {
			t.Fatalf("stripe-mock did not listen on %s: %s", addr, out.String())
		}
	}
}

// find returns the path of stripe-mock: on PATH, else in Go's bin folder.
func find() string {
	if p, err := exec.LookPath("stripe-mock"); err == nil {
		return p
	}
	gobin := os.Getenv("GOBIN")
	if gobin == "" {
		if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
			gobin = filepath.Join(strings.TrimSpace(string(out)), "bin")
		}
	}
	p := filepath.Join(gobin, "stripe-mock")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return ""
}
