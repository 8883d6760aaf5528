package host

import (
	"context"

	"github.com/pocketbase/pocketbase/core"
)

// Register runs a plugin host with the app: the plugins load when the app
// starts serving (logging to the app's log) and stop when it terminates.
// The returned host is ready to pass to the capabilities that call plugins;
// until the app serves, it has no plugin.
func Register(app core.App, cfg Config) *Host {
	h := New(cfg, nil)
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		h.setLogger(e.App.Logger())
		if err := h.Start(context.Background()); err != nil {
			return err
		}
		return e.Next()
	})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		h.Close()
		return e.Next()
	})
	return h
}
