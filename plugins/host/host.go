package host

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"sort"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// Host runs the plugins and calls them by name. Its methods are safe for
// concurrent use.
type Host struct {
	cfg  Config
	log  *slog.Logger
	hlog hclog.Logger

	mu      sync.RWMutex
	plugins map[string]*instance
	started bool
	stop    chan struct{}
	done    sync.WaitGroup
}

// New returns a host that logs to logger (nil for slog.Default()). Start
// loads the plugins.
func New(cfg Config, logger *slog.Logger) *Host {
	h := &Host{
		cfg:     cfg.withDefaults(),
		plugins: map[string]*instance{},
		stop:    make(chan struct{}),
	}
	h.setLogger(logger)
	return h
}

// setLogger sets the logger, before Start.
func (h *Host) setLogger(logger *slog.Logger) {
	if logger == nil {
		logger = slog.Default()
	}
	h.log = logger
	h.hlog = newSlogAdapter(logger, "plugin")
}

// Start loads the plugins: the first-party ones by their description (their
// processes start on first use), then every binary of the plugins
// directory, which is started, checked and asked to describe itself. A
// plugin that is refused is logged with the reason and left out; Start
// fails only on a mistake in the first-party list.
func (h *Host) Start(ctx context.Context) error {
	h.mu.Lock()
	again := h.started
	h.started = true
	h.mu.Unlock()
	if again {
		return nil
	}
	if err := h.loadBuiltin(); err != nil {
		return err
	}
	h.loadDir(ctx)
	if h.cfg.HealthInterval > 0 {
		h.done.Add(1)
		go h.watch()
	}
	return nil
}

func (h *Host) loadBuiltin() error {
	if os.Getenv(sdk.Handshake.MagicCookieKey) != "" && len(h.cfg.Builtin) > 0 {
		// a plugin process that builds a host must not start the
		// executable again: it would be itself
		h.log.Warn("first-party plugins are not loaded inside a plugin process")
		return nil
	}
	exe := h.cfg.Executable
	if len(h.cfg.Builtin) > 0 && exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return fmt.Errorf("plugin host: cannot find the running executable to serve the first-party plugins: %w", err)
		}
	}
	for _, p := range h.cfg.Builtin {
		if err := sdk.Check(p); err != nil {
			return fmt.Errorf("plugin host: first-party plugin: %w", err)
		}
		d := p.Describe()
		d.ModelVersion = sdk.ModelVersion
		name := d.Name
		in := &instance{h: h, desc: d, origin: "built-in", cmd: func() *exec.Cmd {
			return exec.Command(exe, CommandName, name)
		}}
		if err := h.add(in); err != nil {
			return fmt.Errorf("plugin host: first-party plugin: %w", err)
		}
	}
	return nil
}

// add puts a plugin in the registry, unless its name is taken.
func (h *Host) add(in *instance) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if other, ok := h.plugins[in.desc.Name]; ok {
		return fmt.Errorf("%s from %s has the name of the plugin from %s", in.desc.Name, in.origin, other.origin)
	}
	h.plugins[in.desc.Name] = in
	return nil
}

// Close stops every plugin process. The host cannot be used afterwards.
func (h *Host) Close() {
	h.mu.Lock()
	select {
	case <-h.stop:
	default:
		close(h.stop)
	}
	all := make([]*instance, 0, len(h.plugins))
	for _, in := range h.plugins {
		all = append(all, in)
	}
	h.mu.Unlock()
	h.done.Wait()
	for _, in := range all {
		in.close()
	}
}

// Info is a loaded plugin as the host lists it.
type Info struct {
	sdk.Description
	// Origin is "built-in" or the path of the third-party binary.
	Origin string `json:"origin"`
}

// Plugins lists the loaded plugins of the kind ("" for all), by name.
func (h *Host) Plugins(kind string) []Info {
	h.mu.RLock()
	defer h.mu.RUnlock()
	out := make([]Info, 0, len(h.plugins))
	for _, in := range h.plugins {
		if kind == "" || in.desc.Kind == kind {
			out = append(out, Info{Description: in.desc, Origin: in.origin})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Formats lists the loaded format plugins, by name.
func (h *Host) Formats() []Info {
	return h.Plugins(sdk.KindFormat)
}

// find returns the loaded plugin of the kind with the name.
func (h *Host) find(kind, name string) (*instance, error) {
	h.mu.RLock()
	in, ok := h.plugins[name]
	h.mu.RUnlock()
	if ok && in.desc.Kind == kind {
		return in, nil
	}
	var names []string
	for _, p := range h.Plugins(kind) {
		names = append(names, p.Name)
	}
	return nil, &NotFoundError{Kind: kind, Name: name, Available: names}
}

// Render renders the invoice with the format plugin of the name. A plugin
// that crashes, hangs past the call timeout or fails gives a *CallError
// (and is restarted when it crashed or hung); an unknown name a
// *NotFoundError.
func (h *Host) Render(ctx context.Context, format string, inv *sdk.Invoice) (*sdk.Document, error) {
	in, err := h.find(sdk.KindFormat, format)
	if err != nil {
		return nil, err
	}
	var doc *sdk.Document
	err = h.call(ctx, in, "render", func(ctx context.Context, c *sdk.Client) (err error) {
		doc, err = c.Render(ctx, inv)
		return err
	})
	return doc, err
}

// CreatePayment asks the payment plugin of the name for a payment link.
func (h *Host) CreatePayment(ctx context.Context, provider string, req sdk.PaymentRequest) (*sdk.PaymentLink, error) {
	in, err := h.find(sdk.KindPayment, provider)
	if err != nil {
		return nil, err
	}
	var link *sdk.PaymentLink
	err = h.call(ctx, in, "create payment", func(ctx context.Context, c *sdk.Client) (err error) {
		link, err = c.CreatePayment(ctx, req)
		return err
	})
	return link, err
}

// ParseWebhook asks the payment plugin of the name to verify and read a
// webhook.
func (h *Host) ParseWebhook(ctx context.Context, provider string, req sdk.WebhookRequest) (*sdk.PaymentEvent, error) {
	in, err := h.find(sdk.KindPayment, provider)
	if err != nil {
		return nil, err
	}
	var ev *sdk.PaymentEvent
	err = h.call(ctx, in, "parse webhook", func(ctx context.Context, c *sdk.Client) (err error) {
		ev, err = c.ParseWebhook(ctx, req)
		return err
	})
	return ev, err
}

// call runs fn against the plugin, starting it when needed, within the
// call timeout, and turns a failure into a *CallError.
func (h *Host) call(ctx context.Context, in *instance, what string, fn func(context.Context, *sdk.Client) error) error {
	return h.callWithin(ctx, in, what, h.cfg.CallTimeout, fn)
}

// callWithin is call with another timeout. A *sdk.ProviderError (the
// provider behind the plugin failed) stays the CallError's Err, so that
// callers can tell "unavailable" from "rejected".
func (h *Host) callWithin(ctx context.Context, in *instance, what string, timeout time.Duration, fn func(context.Context, *sdk.Client) error) error {
	conn, gen, err := in.connect()
	if err != nil {
		return &CallError{Plugin: in.desc.Name, Call: what, Reason: ReasonUnavailable, Err: err}
	}
	callCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	err = fn(callCtx, conn)
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err() // the caller gave up; the plugin is not at fault
	}
	name := in.desc.Name
	// the plugin may give up at its copy of the deadline a moment before
	// callCtx's timer fires
	deadline, _ := callCtx.Deadline()
	switch {
	case errors.Is(callCtx.Err(), context.DeadlineExceeded) || !time.Now().Before(deadline):
		h.log.Error("plugin did not answer in time; restarting it", "plugin", name, "call", what, "timeout", timeout.String())
		go in.replace(in.detach(gen))
		return &CallError{Plugin: name, Call: what, Reason: ReasonTimeout, Timeout: timeout, Err: err}
	case status.Code(err) == codes.Unavailable || in.exited(gen):
		if old := in.detach(gen); old != nil {
			h.log.Error("plugin crashed during a call; restarting it", "plugin", name, "call", what, "error", err.Error())
			go in.replace(old)
		}
		return &CallError{Plugin: name, Call: what, Reason: ReasonCrashed, Err: errors.New(status.Convert(err).Message())}
	}
	h.log.Warn("plugin call failed", "plugin", name, "call", what, "error", err.Error())
	var pe *sdk.ProviderError
	if errors.As(err, &pe) {
		return &CallError{Plugin: name, Call: what, Reason: ReasonFailed, Err: pe}
	}
	return &CallError{Plugin: name, Call: what, Reason: ReasonFailed, Err: errors.New(status.Convert(err).Message())}
}

// exited reports whether the process of generation gen has ended.
func (in *instance) exited(gen int) bool {
	client, _, current := in.running()
	return client == nil || current != gen || client.Exited()
}

// PID returns the process id of the running plugin of the name, or 0 when
// it is not running.
func (h *Host) PID(name string) int {
	h.mu.RLock()
	in, ok := h.plugins[name]
	h.mu.RUnlock()
	if !ok {
		return 0
	}
	client, _, _ := in.running()
	if client == nil || client.Exited() {
		return 0
	}
	if rc := client.ReattachConfig(); rc != nil {
		return rc.Pid
	}
	return 0
}
