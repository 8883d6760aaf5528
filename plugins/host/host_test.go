package host_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kontor-app/kontor/plugins/host"
	"github.com/kontor-app/kontor/plugins/sdk"
)

func render(h *host.Host, format, number string) (*sdk.Document, error) {
	return h.Render(context.Background(), format, &sdk.Invoice{Number: number})
}

func TestBuiltinRunsOutOfProcess(t *testing.T) {
	h, log := start(t, host.Config{Builtin: builtin})
	if got := names(h.Formats()); got != "echo" {
		t.Fatalf("formats: %s", got)
	}
	if o := h.Formats()[0].Origin; o != "built-in" {
		t.Errorf("origin %q", o)
	}
	doc, err := render(h, "echo", "INV-1")
	if err != nil || string(doc.Content) != "echo INV-1" {
		t.Fatalf("render: %v %+v", err, doc)
	}
	// a crash of a first-party plugin fails its call only
	_, err = render(h, "echo", "CRASH")
	var ce *host.CallError
	if !errors.As(err, &ce) || ce.Reason != host.ReasonCrashed {
		t.Fatalf("crash: want a crashed CallError, got %v", err)
	}
	doc, err = render(h, "echo", "INV-2")
	if err != nil || string(doc.Content) != "echo INV-2" {
		t.Fatalf("after the crash: %v %+v", err, doc)
	}
	if !strings.Contains(log.String(), "plugin crashed during a call") {
		t.Errorf("the crash is not logged:\n%s", log)
	}
}

func TestCrashMidCall(t *testing.T) {
	h, log := start(t, host.Config{PluginsDir: pluginsDir(t, "crashy")})
	if got := names(h.Formats()); got != "crashy" {
		t.Fatalf("formats: %s\n%s", got, log)
	}
	if _, err := render(h, "crashy", "A-1"); err != nil {
		t.Fatal(err)
	}
	_, err := render(h, "crashy", "CRASH")
	var ce *host.CallError
	if !errors.As(err, &ce) || ce.Reason != host.ReasonCrashed || ce.Plugin != "crashy" {
		t.Fatalf("want a crashed CallError, got %v", err)
	}
	if !strings.Contains(err.Error(), "crashed") || !strings.Contains(err.Error(), "try again") {
		t.Errorf("message: %v", err)
	}
	doc, err := render(h, "crashy", "A-2")
	if err != nil || string(doc.Content) != "A-2" {
		t.Fatalf("the call after the crash: %v %+v", err, doc)
	}
	for _, want := range []string{"plugin crashed during a call", "plugin restarted", "crashy rendered"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
}

func TestCallTimeout(t *testing.T) {
	h, _ := start(t, host.Config{PluginsDir: pluginsDir(t, "crashy"), CallTimeout: 300 * time.Millisecond})
	began := time.Now()
	_, err := render(h, "crashy", "HANG")
	var ce *host.CallError
	if !errors.As(err, &ce) || ce.Reason != host.ReasonTimeout {
		t.Fatalf("want a timeout CallError, got %v", err)
	}
	if d := time.Since(began); d > 3*time.Second {
		t.Errorf("the timeout took %s", d)
	}
	if doc, err := render(h, "crashy", "B-1"); err != nil || string(doc.Content) != "B-1" {
		t.Fatalf("after the timeout: %v %+v", err, doc)
	}
}

func TestPluginError(t *testing.T) {
	h, _ := start(t, host.Config{PluginsDir: pluginsDir(t, "crashy")})
	_, err := render(h, "crashy", "FAIL")
	var ce *host.CallError
	if !errors.As(err, &ce) || ce.Reason != host.ReasonFailed || !strings.Contains(err.Error(), "crashy cannot render this") {
		t.Fatalf("want a failed CallError, got %v", err)
	}
}

func TestRefused(t *testing.T) {
	cases := []struct {
		binary string
		log    string
	}{
		{"badcookie", "handshake refused: it exited before the handshake: not a Kontor plugin, or built with another magic cookie"},
		{"badversion", "handshake refused: it speaks another plugin protocol version; this Kontor speaks protocol 1"},
		{"notaplugin", "handshake refused: it did not answer the handshake: not a Kontor plugin"},
		{"badkind", `its description is not valid: crashy has kind`},
	}
	for _, tc := range cases {
		t.Run(tc.binary, func(t *testing.T) {
			h, log := start(t, host.Config{PluginsDir: pluginsDir(t, tc.binary), StartTimeout: 5 * time.Second})
			if got := names(h.Plugins("")); got != "" {
				t.Errorf("loaded %s", got)
			}
			if !strings.Contains(log.String(), "plugin refused: "+tc.log) {
				t.Errorf("log lacks %q:\n%s", tc.log, log)
			}
		})
	}
}

func TestAllowList(t *testing.T) {
	raw, err := os.ReadFile(testPlugin)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(raw)
	cases := []struct {
		name    string
		allowed []string
		loaded  string
	}{
		{"not listed", []string{strings.Repeat("0", 64)}, ""},
		{"listed", []string{strings.ToUpper(hex.EncodeToString(sum[:]))}, "crashy"},
		{"no list", nil, "crashy"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, log := start(t, host.Config{PluginsDir: pluginsDir(t, "crashy"), AllowedSHA256: tc.allowed})
			if got := names(h.Formats()); got != tc.loaded {
				t.Errorf("loaded %q, want %q", got, tc.loaded)
			}
			if tc.loaded == "" && !strings.Contains(log.String(), "not in the allow-list") {
				t.Errorf("log:\n%s", log)
			}
		})
	}
}

func TestDuplicateName(t *testing.T) {
	h, log := start(t, host.Config{PluginsDir: pluginsDir(t, "crashy1", "crashy2")})
	if got := names(h.Formats()); got != "crashy" {
		t.Errorf("formats: %s", got)
	}
	if !strings.Contains(log.String(), "has the name of the plugin from") {
		t.Errorf("log:\n%s", log)
	}
}

func TestNotFound(t *testing.T) {
	h, _ := start(t, host.Config{Builtin: builtin})
	_, err := render(h, "fatturapa", "X")
	var nf *host.NotFoundError
	if !errors.As(err, &nf) || !errors.Is(err, host.ErrNotFound) || !strings.Contains(err.Error(), "available: echo") {
		t.Fatalf("got %v", err)
	}
}

func TestHealthCheckRestarts(t *testing.T) {
	h, log := start(t, host.Config{PluginsDir: pluginsDir(t, "crashy"), HealthInterval: 50 * time.Millisecond})
	if _, err := render(h, "crashy", "C-1"); err != nil {
		t.Fatal(err)
	}
	pid := h.PID("crashy")
	p, err := os.FindProcess(pid)
	if pid == 0 || err != nil {
		t.Fatalf("pid %d: %v", pid, err)
	}
	if err := p.Kill(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for h.PID("crashy") == pid || h.PID("crashy") == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("not restarted:\n%s", log)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(log.String(), "plugin failed its health check; restarting it") {
		t.Errorf("log:\n%s", log)
	}
	if _, err := render(h, "crashy", "C-2"); err != nil {
		t.Fatal(err)
	}
}
