package host

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
)

func TestSlogAdapter(t *testing.T) {
	var buf bytes.Buffer
	a := newSlogAdapter(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})), "plugin")
	a.Named("peppol").With("pid", 7).Error("plugin process exited", "error", "exit status 3")
	a.Trace("trace is below the adapter's level")
	a.SetLevel(hclog.Warn)
	a.Info("dropped")
	a.StandardLogger(nil).Print("from a standard logger")
	out := buf.String()
	for _, want := range []string{`level=ERROR msg="plugin process exited" logger=plugin.peppol pid=7 error="exit status 3"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	for _, not := range []string{"trace is below", "dropped", "from a standard logger"} {
		if strings.Contains(out, not) {
			t.Errorf("log has %q:\n%s", not, out)
		}
	}
}
