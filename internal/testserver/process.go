package testserver

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Process is `kontor serve` running as a process of its own, for tests that
// need the real binary: crashes, the browser, the shipped web UI.
type Process struct {
	URL    string
	cmd    *exec.Cmd
	exited chan error
	log    *lockedBuffer
}

// ModuleRoot is the folder of Kontor's go.mod.
func ModuleRoot(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	gomod := strings.TrimSpace(string(out))
	if err != nil || gomod == "" || gomod == os.DevNull {
		t.Fatalf("go env GOMOD: %v %q", err, gomod)
	}
	return filepath.Dir(gomod)
}

// Build builds the kontor binary into a folder of the test and returns its path.
func Build(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "kontor")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = ModuleRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// Start runs `bin serve` on a free loopback port over dataDir, with the web
// UI built into the binary, and waits until it answers /api/health. The
// process ends with the test; when the test failed, its output is logged.
func Start(t testing.TB, bin, dataDir string) *Process {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	p := &Process{URL: "http://" + addr, exited: make(chan error, 1), log: &lockedBuffer{}}
	p.cmd = exec.Command(bin, "serve", "--http", addr, "--dir", dataDir, "--dev=false")
	p.cmd.Env = append(os.Environ(), "KONTOR_PUBLIC_DIR=")
	if os.Getenv("KONTOR_RATE_LIMIT") == "" {
		p.cmd.Env = append(p.cmd.Env, "KONTOR_RATE_LIMIT=off") // tests outpace any client
	}
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- p.cmd.Wait() }()
	t.Cleanup(func() {
		p.Kill()
		if t.Failed() {
			t.Logf("kontor output:\n%s", p.log.String())
		}
	})

	client := &http.Client{Timeout: 2 * time.Second}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		select {
		case err := <-p.exited:
			p.exited <- err
			t.Fatalf("kontor exited before it was ready: %v\n%s", err, p.log.String())
		default:
		}
		if res, err := client.Get(p.URL + "/api/health"); err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p
			}
		}
	}
	t.Fatalf("kontor at %s not healthy after 30s\n%s", p.URL, p.log.String())
	return nil
}

// Kill stops the process with SIGKILL, as a crash would, and waits for it.
func (p *Process) Kill() {
	p.cmd.Process.Kill()
	err := <-p.exited
	p.exited <- err
}

// lockedBuffer collects the output of a process.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
