package outbox

import (
	"context"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
)

// Register makes the app's outbox worker: it starts with the server, stops
// with it, and is woken by every new message once its transaction commits.
// It also binds POST /api/kontor/outbox/{id}/retry.
func Register(app core.App, cfg Config) *Worker {
	w := New(app, cfg)
	var stop context.CancelFunc
	var done <-chan struct{}
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.POST("/api/kontor/outbox/{id}/retry", retryRoute(w))
		var ctx context.Context
		ctx, stop = context.WithCancel(context.Background())
		done = w.Start(ctx)
		return e.Next()
	})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		if stop != nil {
			stop()
			<-done
		}
		return e.Next()
	})
	app.OnModelAfterCreateSuccess(Collection).BindFunc(func(e *core.ModelEvent) error {
		w.Wake()
		return e.Next()
	})
	return w
}

// retryRoute is POST /api/kontor/outbox/{id}/retry: a failed or not sent
// message is tried again, by an owner or admin of its workspace (a message
// of no workspace, by a superuser).
func retryRoute(w *Worker) func(e *core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		if e.Auth == nil {
			return e.UnauthorizedError("Sign in to do this.", nil)
		}
		r, err := e.App.FindRecordById(Collection, e.Request.PathValue("id"))
		if err != nil {
			return e.NotFoundError("", nil)
		}
		if !e.HasSuperuserAuth() {
			ws := r.GetString("workspace")
			if ws == "" {
				return e.NotFoundError("", nil)
			}
			if err := access.Require(e, ws, access.Admin); err != nil {
				return err
			}
		}
		if err := Retry(e.App, r); err != nil {
			return e.BadRequestError(err.Error(), nil)
		}
		w.Wake()
		return e.JSON(http.StatusOK, r)
	}
}
