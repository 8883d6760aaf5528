// Package sequences sends a workspace's sales sequences: ordered emails
// the user writes (sequence_steps), each after a delay, to the contacts
// enrolled in a sequence (sequence_enrollments), through the outbox in the
// workspace's name; and groups sequences in campaigns with their counts.
//
// A job on PocketBase's cron, every minute, queues the emails that are due
// (SendDue): one transaction per email queues it and advances its
// enrolment, so none is sent twice. It sends only inside the sending
// window of the contact's day, in the contact's timezone, and at most the
// workspace's sequence_daily_limit emails a UTC day.
//
// An enrolment stops when the contact replies (an inbound mail provider's
// webhook, Svix-signed), unsubscribes (the one-click List-Unsubscribe link
// of every email, RFC 8058), or when a deal of the contact is won.
//
// Routes:
//
//	POST /api/kontor/sequences/{id}/enroll    enrol contacts
//	POST /api/kontor/enrollments/{id}/stop    stop an enrolment
//	GET  /api/kontor/campaigns/{id}/stats     a campaign's counts
//	POST /api/kontor/inbound/reply            a provider's inbound-email webhook
//	GET  /u/{token}, POST /u/{token}          the unsubscribe page and its one-click POST
package sequences

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/mail"
	"github.com/kontor-app/kontor/secret"
)

// Mailer queues an email in app's transaction (hooks/mail).
type Mailer interface {
	Queue(app core.App, m mail.Mail) error
}

// Config is how sequences send and hear back.
type Config struct {
	// InboundWebhookSecret is the signing secret of the inbound-email
	// webhook, "whsec_<base64>" (KONTOR_INBOUND_WEBHOOK_SECRET); empty
	// turns the webhook off.
	InboundWebhookSecret string
	// InboundReplyDomain is a domain whose mail the provider hands to the
	// webhook (KONTOR_INBOUND_REPLY_DOMAIN). When set, sequence emails
	// ask for replies at reply+{key}@{domain}, so a reply stops its
	// enrolment; empty leaves replies to the workspace's email.
	InboundReplyDomain string
	// PublicURL is where contacts reach Kontor, for the unsubscribe link;
	// hooks.Register sets it.
	PublicURL string
	// Mailer queues the emails; Secrets seals each enrolment's
	// unsubscribe secret. hooks.Register sets both.
	Mailer  Mailer
	Secrets *secret.Box
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

// ConfigFromEnv reads the KONTOR_INBOUND_* variables through getenv.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	var cfg Config
	if v := strings.TrimSpace(getenv("KONTOR_INBOUND_WEBHOOK_SECRET")); v != "" {
		if _, err := SecretKey(v); err != nil || !strings.HasPrefix(v, "whsec_") {
			return cfg, fmt.Errorf("KONTOR_INBOUND_WEBHOOK_SECRET must be the webhook's signing secret, whsec_ followed by base64")
		}
		cfg.InboundWebhookSecret = v
	}
	if v := strings.ToLower(strings.TrimSpace(getenv("KONTOR_INBOUND_REPLY_DOMAIN"))); v != "" {
		if u, err := url.Parse("http://" + v); err != nil || u.Host != v || strings.ContainsAny(v, ":/@ ") || !strings.Contains(v, ".") {
			return cfg, fmt.Errorf("KONTOR_INBOUND_REPLY_DOMAIN must be a domain such as reply.example.com, got %q", v)
		}
		cfg.InboundReplyDomain = v
	}
	return cfg, nil
}

// runnerKey is where Register keeps the app's Runner in its store.
const runnerKey = "kontor.sequences.runner"

// Interval is how often the sending job runs, as a cron expression.
const Interval = "* * * * *"

// Runner sends an app's sequences with the configuration it was
// registered with, one run at a time.
type Runner struct {
	app core.App
	cfg Config
	key []byte // the inbound webhook's key; nil when off

	mu sync.Mutex
}

// Register binds the rules of campaigns, sequences and steps, the stop of
// a won deal's enrolments, the routes and the sending job, and returns the
// runner.
func Register(app core.App, cfg Config) *Runner {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	r := &Runner{app: app, cfg: cfg}
	if cfg.InboundWebhookSecret != "" {
		key, err := SecretKey(cfg.InboundWebhookSecret)
		if err != nil {
			app.Logger().Error("sequences: the inbound webhook secret cannot be used; inbound replies are off", "error", err)
		}
		r.key = key
	}
	app.Store().Set(runnerKey, r)

	bindRules(app)
	app.OnRecordCreate("deals").BindFunc(r.stopOnWonDeal)
	app.OnRecordUpdate("deals").BindFunc(r.stopOnWonDeal)

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/kontor/sequences/{id}/enroll", r.enrollRoute)
		se.Router.POST("/api/kontor/enrollments/{id}/stop", r.stopRoute)
		se.Router.GET("/api/kontor/campaigns/{id}/stats", statsRoute)
		se.Router.POST("/api/kontor/inbound/reply", r.inboundRoute)
		se.Router.GET("/u/{token}", r.unsubscribePage)
		se.Router.POST("/u/{token}", r.unsubscribePost)
		se.Router.GET("/u-assets/{file}", pageAssets.Serve)
		if r.key == nil {
			se.App.Logger().Info("sequences: inbound replies are off; set KONTOR_INBOUND_WEBHOOK_SECRET to stop sequences on reply")
		}
		return se.Next()
	})
	app.Cron().MustAdd("kontor_sequences_send", Interval, func() { r.Run(r.cfg.Now()) })
	return r
}

// RunnerOf returns the runner Register bound to the app, or nil.
func RunnerOf(app core.App) *Runner {
	r, _ := app.Store().Get(runnerKey).(*Runner)
	return r
}

// Run queues the emails due at now and logs what it did; a run still
// going makes the next one wait.
func (r *Runner) Run(now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	res, err := r.SendDue(now)
	if err != nil {
		r.app.Logger().Error("sequences: the run stopped", "error", err)
	}
	if res != (Result{}) {
		r.app.Logger().Info("sequences", "sent", res.Sent, "deferred", res.Deferred, "limited", res.Limited, "stopped", res.Stopped, "completed", res.Completed)
	}
}

// unavailable is the answer of a feature that is not configured.
func unavailable(e *core.RequestEvent, message string) error {
	return e.JSON(http.StatusServiceUnavailable, map[string]any{"status": http.StatusServiceUnavailable, "message": message, "data": map[string]any{}})
}

// SetClock replaces the runner's clock (for enrolments, stops and
// replies), e.g. with a fixed time in tests; the sending job is given its
// time by Run and SendDue.
func (r *Runner) SetClock(now func() time.Time) {
	r.mu.Lock()
	r.cfg.Now = now
	r.mu.Unlock()
}
