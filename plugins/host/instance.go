package host

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-plugin"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// crashLoop is how many crashes within crashWindow stop the eager restart
// of a plugin; it then starts again on its next use.
const (
	crashLoop   = 3
	crashWindow = time.Minute
)

// instance is one loaded plugin: what it said it is and, while it runs, its
// process and connection. Each start is a new generation, so that a failed
// call only stops the process it was made to.
type instance struct {
	h      *Host
	desc   sdk.Description
	origin string           // "built-in" or the path of the binary
	cmd    func() *exec.Cmd // a fresh command for each start
	sum    []byte           // SHA-256 the binary must still have; nil for built-in

	mu      sync.Mutex
	client  *plugin.Client
	proto   plugin.ClientProtocol
	conn    *sdk.Client
	gen     int
	closed  bool
	crashes []time.Time
}

// connect returns the connection to the plugin and its generation, starting
// the process when it is not running.
func (in *instance) connect() (*sdk.Client, int, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.closed {
		return nil, 0, errors.New("the plugin host is shut down")
	}
	if in.client != nil && !in.client.Exited() {
		return in.conn, in.gen, nil
	}
	if in.client != nil {
		in.client.Kill()
		in.client = nil
	}
	if err := in.startLocked(); err != nil {
		return nil, 0, err
	}
	return in.conn, in.gen, nil
}

func (in *instance) startLocked() error {
	s, err := in.h.launch(in.desc.Name, in.cmd(), in.sum)
	if err != nil {
		in.h.log.Error("plugin could not be started", "plugin", in.desc.Name, "from", in.origin, "error", err.Error())
		return err
	}
	in.client, in.proto, in.conn = s.client, s.proto, s.conn
	in.gen++
	if in.gen > 1 {
		in.h.log.Info("plugin restarted", "plugin", in.desc.Name, "from", in.origin, "start", in.gen)
	}
	return nil
}

// running returns the running process and its generation, or nil.
func (in *instance) running() (*plugin.Client, plugin.ClientProtocol, int) {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.client, in.proto, in.gen
}

// detach takes the process of generation gen out of service, so that the
// next call starts a new one, and returns it; nil when it is already out
// (another call or the health check took it).
func (in *instance) detach(gen int) *plugin.Client {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.gen != gen || in.client == nil {
		return nil
	}
	old := in.client
	in.client, in.proto, in.conn = nil, nil, nil
	return old
}

// replace stops a detached process and starts a new one, unless a call
// already did or the plugin crashed too often lately (it then starts on its
// next use).
func (in *instance) replace(old *plugin.Client) {
	if old == nil {
		return
	}
	old.Kill()
	in.mu.Lock()
	defer in.mu.Unlock()
	now := time.Now()
	recent := in.crashes[:0]
	for _, t := range in.crashes {
		if now.Sub(t) < crashWindow {
			recent = append(recent, t)
		}
	}
	in.crashes = append(recent, now)
	if in.closed || in.client != nil {
		return
	}
	if len(in.crashes) >= crashLoop {
		in.h.log.Error("plugin keeps crashing; it will be started again on its next use",
			"plugin", in.desc.Name, "crashes", len(in.crashes), "within", crashWindow.String())
		return
	}
	_ = in.startLocked()
}

// close stops the process for good.
func (in *instance) close() {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.closed = true
	if in.client != nil {
		in.client.Kill()
		in.client, in.proto, in.conn = nil, nil, nil
	}
}

// started is a plugin process after a successful handshake.
type started struct {
	client *plugin.Client
	proto  plugin.ClientProtocol
	conn   *sdk.Client
}

// launch starts a plugin process and completes the handshake. A binary
// that is not a Kontor plugin, has another magic cookie, speaks another
// protocol version or changed since it was checked is refused, and the
// error says which.
func (h *Host) launch(name string, cmd *exec.Cmd, sum []byte) (*started, error) {
	tail := &tailBuffer{max: 2048}
	cfg := &plugin.ClientConfig{
		HandshakeConfig:  sdk.Handshake,
		VersionedPlugins: sdk.PluginSets(),
		Cmd:              cmd,
		Managed:          true,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           h.hlog.Named(name),
		StartTimeout:     h.cfg.StartTimeout,
		GRPCDialOptions:  sdk.DialOptions(),
		Stderr:           tail,
		SyncStdout:       lineWriter(func(line string) { h.log.Info(line, "plugin", name, "stream", "stdout") }),
		SyncStderr:       lineWriter(func(line string) { h.log.Warn(line, "plugin", name, "stream", "stderr") }),
	}
	if sum != nil {
		cfg.SecureConfig = &plugin.SecureConfig{Checksum: sum, Hash: sha256.New()}
	}
	client := plugin.NewClient(cfg)
	proto, err := client.Client()
	if err != nil {
		client.Kill()
		return nil, handshakeError(err, tail.String())
	}
	raw, err := proto.Dispense(sdk.PluginName)
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("handshake refused: %w", err)
	}
	conn, ok := raw.(*sdk.Client)
	if !ok {
		client.Kill()
		return nil, fmt.Errorf("handshake refused: unexpected client %T", raw)
	}
	return &started{client: client, proto: proto, conn: conn}, nil
}

// handshakeError says in words why a plugin process was refused; stderr is
// the end of what it wrote there.
func handshakeError(err error, stderr string) error {
	msg := err.Error()
	lower := strings.ToLower(msg)
	var why string
	quote := false
	switch {
	case errors.Is(err, plugin.ErrChecksumsDoNotMatch):
		why = "the binary changed since it was checked (SHA-256 differs)"
	case strings.Contains(lower, "incompatible api version"):
		why = fmt.Sprintf("it speaks another plugin protocol version; this Kontor speaks protocol %d", sdk.ProtocolVersion)
	case strings.Contains(lower, "exited before we could connect"),
		strings.Contains(lower, "unrecognized remote plugin message") && strings.Contains(lower, "failed to read any lines"),
		strings.HasSuffix(strings.TrimSpace(firstLine(msg)), "message:"):
		why, quote = "it exited before the handshake: not a Kontor plugin, or built with another magic cookie", true
	case strings.Contains(lower, "unrecognized remote plugin message"):
		why, quote = "it did not answer the handshake: not a Kontor plugin", true
	case strings.Contains(lower, "timeout while waiting"):
		why, quote = "it did not complete the handshake in time", true
	default:
		why = "it could not be started"
	}
	if last := lastLines(stderr, 4); quote && last != "" {
		return fmt.Errorf("handshake refused: %s (%s; its last output: %q)", why, firstLine(msg), last)
	}
	return fmt.Errorf("handshake refused: %s (%s)", why, firstLine(msg))
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// lastLines joins the last n non-empty lines of s with spaces.
func lastLines(s string, n int) string {
	var out []string
	lines := strings.Split(s, "\n")
	for i := len(lines) - 1; i >= 0 && len(out) < n; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			out = append([]string{l}, out...)
		}
	}
	return strings.Join(out, " ")
}

// tailBuffer keeps the last bytes written to it: the end of a plugin's
// standard error, quoted when it is refused.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = append([]byte(nil), t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// describe asks a freshly started plugin what it is.
func describe(ctx context.Context, conn *sdk.Client, timeout time.Duration) (sdk.Description, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return conn.Describe(ctx)
}
