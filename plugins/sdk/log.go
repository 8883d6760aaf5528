package sdk

import (
	"context"
	"log/slog"
	"os"

	"github.com/hashicorp/go-hclog"
)

// hcLogger writes JSON lines to the plugin's standard error as it was when
// the plugin started (Serve later redirects os.Stderr); Kontor reads them
// into its own log, with their level, under the plugin's name.
var hcLogger = hclog.New(&hclog.LoggerOptions{
	Level:      hclog.Info,
	Output:     os.Stderr,
	JSONFormat: true,
})

var logger = slog.New(&hclogHandler{l: hcLogger})

// Logger returns the plugin's logger: what it logs appears in Kontor's log,
// with its level, under the plugin's name. What a plugin prints to standard
// output or standard error appears there too.
func Logger() *slog.Logger {
	return logger
}

// hclogHandler is a slog.Handler writing through an hclog.Logger, the
// format go-plugin passes from a plugin to its host.
type hclogHandler struct {
	l      hclog.Logger
	attrs  []any
	prefix string
}

func (h *hclogHandler) Enabled(_ context.Context, level slog.Level) bool {
	return toHCLevel(level) >= h.l.GetLevel()
}

func (h *hclogHandler) Handle(_ context.Context, r slog.Record) error {
	args := append([]any(nil), h.attrs...)
	r.Attrs(func(a slog.Attr) bool {
		args = append(args, h.prefix+a.Key, a.Value.Resolve().Any())
		return true
	})
	h.l.Log(toHCLevel(r.Level), r.Message, args...)
	return nil
}

func (h *hclogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	out := *h
	out.attrs = append([]any(nil), h.attrs...)
	for _, a := range attrs {
		out.attrs = append(out.attrs, h.prefix+a.Key, a.Value.Resolve().Any())
	}
	return &out
}

func (h *hclogHandler) WithGroup(name string) slog.Handler {
	out := *h
	out.prefix = h.prefix + name + "."
	return &out
}

func toHCLevel(l slog.Level) hclog.Level {
	switch {
	case l >= slog.LevelError:
		return hclog.Error
	case l >= slog.LevelWarn:
		return hclog.Warn
	case l >= slog.LevelInfo:
		return hclog.Info
	}
	return hclog.Debug
}
