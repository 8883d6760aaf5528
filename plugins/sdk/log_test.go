package sdk

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/hashicorp/go-hclog"
)

// TestLogger checks that the plugin's slog lines come out as the JSON lines
// go-plugin reads into Kontor's log.
func TestLogger(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(&hclogHandler{l: hclog.New(&hclog.LoggerOptions{Level: hclog.Info, Output: &buf, JSONFormat: true})})
	l.Debug("dropped")
	l.With("format", "x").WithGroup("req").Warn("slow render", "ms", 12)
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("%v: %q", err, buf.String())
	}
	if line["@level"] != "warn" || line["@message"] != "slow render" || line["format"] != "x" || line["req.ms"] != float64(12) {
		t.Errorf("got %v", line)
	}
}
