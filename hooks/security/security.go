// Package security guards sign-in and every request: it locks out an
// account+IP pair after repeated failed sign-ins (and a whole IP after
// many more), takes the client's IP from proxy headers only when the
// request comes through a trusted proxy, turns on PocketBase's rate
// limiter keyed on that IP, sets the security headers of every response,
// keeps users' tokens short-lived and tells the web UI when to sign out an
// idle session, re-encrypts sealed fields under the newest key, and
// truncates the IPs of the security log after 14 days. docs/security.md is
// the contract.
//
// Routes:
//
//	DELETE /api/kontor/security/locks/{id}   lift a lock (superusers)
//	POST   /api/kontor/security/encryption/rotate   re-encrypt sealed fields under the newest key (superusers)
//	GET    /api/kontor/client-config         session settings of the web UI (public)
package security

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// The collections.
const (
	Failures = "login_failures"
	Locks    = "login_locks"
	Events   = "security_events"
)

// The types of security events.
const (
	EventAccountLocked = "account_locked"
	EventIPLocked      = "ip_locked"
	EventLockLifted    = "lock_lifted"
)

// DefaultRetentionSchedule is when the security log's IPs older than
// Retention are truncated: daily at 03:45.
const DefaultRetentionSchedule = "45 3 * * *"

// Mailer tells an account's owner that sign-ins to it from one IP were
// locked, in the transaction that locks them.
type Mailer interface {
	AccountLocked(app core.App, user *core.Record, lock *core.Record) error
}

// Security is the registered capability.
type Security struct {
	cfg Config
	now func() time.Time
	// Mailer emails the owner of a locked account; hooks.Register sets it
	// once mail is registered. nil sends no email.
	Mailer Mailer
}

// Register binds the lockout, the trusted-proxy and header middlewares,
// the rate limiter's and the users' token settings, the lock-lifting and
// client-config routes and the daily retention job.
func Register(app core.App, cfg Config) *Security {
	cfg = cfg.withDefaults()
	s := &Security{cfg: cfg, now: time.Now}

	app.OnRecordAuthWithPasswordRequest().BindFunc(s.guardPasswordSignIn)
	app.OnRecordDeleteRequest(Locks).BindFunc(s.logLiftFromAPI)
	app.OnRecordUpdate(Events).BindFunc(refuseEventUpdate)

	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Func: func(se *core.ServeEvent) error {
			if err := s.applySettings(se.App); err != nil {
				return err
			}
			se.Router.Bind(&hook.Handler[*core.RequestEvent]{Id: "kontorTrustedProxies", Priority: TrustedProxiesPriority, Func: s.trustedProxies})
			se.Router.Bind(&hook.Handler[*core.RequestEvent]{Id: "kontorSecurityHeaders", Priority: HeadersPriority, Func: s.securityHeaders})
			se.Router.DELETE("/api/kontor/security/locks/{id}", s.liftRoute)
			se.Router.POST("/api/kontor/security/encryption/rotate", s.rotateRoute)
			se.Router.GET("/api/kontor/client-config", s.clientConfigRoute)
			se.App.Logger().Info("Security: " + s.cfg.summary())
			return se.Next()
		},
		Priority: -100, // settings first, before anything serves
	})

	app.Cron().MustAdd("kontor_security_retention", cfg.RetentionSchedule, func() {
		retainAndLog(app)
	})
	return s
}
