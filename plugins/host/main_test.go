package host_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/kontor-app/kontor/plugins/host"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// echo is a first-party format of the tests, served by the test binary
// itself through the hidden subcommand, as the server binary serves its own.
type echo struct{}

func (echo) Describe() sdk.Description {
	return sdk.Description{Kind: sdk.KindFormat, Name: "echo", Title: "Echo", Version: "1.0.0",
		Capabilities: []string{sdk.CapabilityInvoice}, MediaType: "text/plain"}
}

func (echo) Render(_ context.Context, inv *sdk.Invoice) (*sdk.Document, error) {
	if inv.Number == "CRASH" {
		os.Exit(3)
	}
	return &sdk.Document{Content: []byte("echo " + inv.Number), MediaType: "text/plain", FileName: inv.Number + ".txt"}, nil
}

var builtin = []sdk.Plugin{echo{}, slowLLM{}}

// testPlugin is the path of testdata/testplugin, built once.
var testPlugin string

func TestMain(m *testing.M) {
	if host.RunCommand(os.Args[1:], builtin) {
		return
	}
	dir, err := os.MkdirTemp("", "kontor-host-test")
	if err != nil {
		panic(err)
	}
	testPlugin = filepath.Join(dir, "testplugin")
	if out, err := exec.Command("go", "build", "-o", testPlugin, "./testdata/testplugin").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the test plugin: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// pluginsDir returns a plugins directory with the test plugin under each
// of the names.
func pluginsDir(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range names {
		if err := os.Link(testPlugin, filepath.Join(dir, n)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// logBuffer is a log the tests read.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// start starts a host with cfg and returns it with its log.
func start(t *testing.T, cfg host.Config) (*host.Host, *logBuffer) {
	t.Helper()
	log := &logBuffer{}
	h := host.New(cfg, slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		h.Close()
		if t.Failed() {
			t.Logf("host log:\n%s", log.String())
		}
	})
	return h, log
}

func names(infos []host.Info) string {
	var out []string
	for _, i := range infos {
		out = append(out, i.Name)
	}
	return strings.Join(out, ",")
}
