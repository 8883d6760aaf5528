// Package reminders sends payment reminders for overdue invoices, claims
// late-payment interest and compensation on a dunning letter, and issues
// recurring invoices, on PocketBase's cron.
//
// Both jobs are functions of the time they are given (RunReminders,
// RunRecurring) and keep what they did on the records they act on, so
// running one twice, or after the server was down for days, does each
// thing once: a reminder level is sent once per invoice, and a recurring
// invoice creates one invoice per period.
package reminders

import (
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// Mailer is what reminders need of mail.
type Mailer interface {
	// QueueInvoiceMail queues, in app's transaction, an email about an
	// issued invoice to its client, from the named template, once per key.
	QueueInvoiceMail(app core.App, invoice *core.Record, template, key string, data map[string]any) error
}

// Interval is how often the jobs run, as a cron expression; they also run
// once when the server starts, so that downtime is caught up at once.
const Interval = "*/15 * * * *"

// runnerKey is where Register keeps the app's Runner in its store.
const runnerKey = "kontor.reminders.runner"

// Register binds the reminder settings of workspaces, the rules of
// recurring invoices and reference rates, the dunning-letter route, and the
// reminder and recurring-invoice jobs: on the app's cron every 15 minutes,
// and once at start.
func Register(app core.App, mailer Mailer) {
	r := &Runner{app: app, mailer: mailer}
	app.Store().Set(runnerKey, r)
	now := time.Now

	app.OnRecordCreateRequest("workspaces").BindFunc(enableOnCreate)
	app.OnRecordCreate("workspaces").BindFunc(checkSettings)
	app.OnRecordUpdate("workspaces").BindFunc(checkSettings)

	app.OnRecordCreate("reference_rates").BindFunc(checkRate)
	app.OnRecordUpdate("reference_rates").BindFunc(checkRate)

	app.OnRecordCreateRequest(recurringCollection).BindFunc(guardRecurringRequest)
	app.OnRecordUpdateRequest(recurringCollection).BindFunc(guardRecurringRequest)
	app.OnRecordCreate(recurringCollection).BindFunc(saveRecurring(now))
	app.OnRecordUpdate(recurringCollection).BindFunc(saveRecurring(now))
	app.OnRecordDelete(recurringCollection).BindFunc(deleteRecurring)

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/kontor/clients/{id}/dunning-letter", letterRoute(now))
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			r.Run(now())
		}()
		return se.Next()
	})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		r.stop()
		return e.Next()
	})
	app.Cron().MustAdd("kontorReminders", Interval, func() { r.Run(now()) })
}

// Runner runs an app's jobs with the mailer they were registered with, one
// run at a time.
type Runner struct {
	app    core.App
	mailer Mailer

	mu      sync.Mutex // one run at a time
	wg      sync.WaitGroup
	stopped bool
}

// RunnerOf returns the runner Register bound to the app, or nil.
func RunnerOf(app core.App) *Runner {
	r, _ := app.Store().Get(runnerKey).(*Runner)
	return r
}

// Run runs the recurring invoices due at now, then the reminders due at
// now, and logs what it did. A run still going when the next one starts
// makes the next one wait; a stopped runner does nothing.
func (r *Runner) Run(now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped {
		return
	}
	log := r.app.Logger()
	res, err := RunRecurring(r.app, r.mailer, now)
	if err != nil {
		log.Error("recurring invoices: the run stopped", "error", err)
	}
	if res != (RecurringResult{}) {
		log.Info("recurring invoices", "invoices", res.Invoices, "issued", res.Issued, "sent", res.Sent, "failed", res.Failed)
	}
	sent, err := RunReminders(r.app, r.mailer, now)
	if err != nil {
		log.Error("reminders: the run stopped", "error", err)
	}
	if sent > 0 {
		log.Info("reminders", "queued", sent)
	}
}

// stop waits for the run in progress and refuses further ones, before the
// app closes its database.
func (r *Runner) stop() {
	r.wg.Wait()
	r.mu.Lock()
	r.stopped = true
	r.mu.Unlock()
}
