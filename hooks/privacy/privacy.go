// Package privacy keeps Kontor's GDPR promises: the requests of a user's
// rights (access, rectification, erasure, restriction, objection, consent
// withdrawal), each logged with its one-month deadline; the export archive
// of everything about a user and the workspaces they own; the erasure that
// anonymises an account while its issued invoices stay under legal hold;
// the deletion of a workspace that keeps its issued invoices as a
// tombstone readable only by superusers; the daily retention jobs; the log
// of every read of personal data through the API; and the public list of
// the sub-processors actually configured. docs/privacy.md is the contract.
package privacy

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/outbox"
)

// The collections.
const (
	Requests  = "privacy_requests"
	AccessLog = "access_log"
)

// The types of request, in the words of GDPR arts. 15 to 21.
const (
	TypeAccess            = "access"
	TypeRectification     = "rectification"
	TypeErasure           = "erasure"
	TypeRestriction       = "restriction"
	TypeObjection         = "objection"
	TypeConsentWithdrawal = "consent_withdrawal"
)

// The statuses of a request.
const (
	StatusOpen       = "open"       // received, for an admin to handle
	StatusProcessing = "processing" // the archive is being built
	StatusScheduled  = "scheduled"  // an erasure waiting for its grace period
	StatusReady      = "ready"      // the archive waits for its download
	StatusCompleted  = "completed"
	StatusCancelled  = "cancelled"
	StatusExpired    = "expired" // the archive was never downloaded in time
	StatusFailed     = "failed"
)

// ExportKind is the outbox kind of the message that builds an archive.
const ExportKind = "privacy_export"

// openStatuses are the statuses of a request not yet answered.
var openStatuses = []string{StatusOpen, StatusProcessing, StatusScheduled, StatusReady}

// types lists the request types a user may send.
var types = []string{TypeAccess, TypeRectification, TypeErasure, TypeRestriction, TypeObjection, TypeConsentWithdrawal}

// privacy holds what the hooks, routes and jobs share.
type privacy struct {
	app core.App
	cfg Config
}

// Register binds the request routes, the export builder (an outbox
// handler of ob), the guards of the server-written fields, the guard that
// keeps a workspace with issued invoices from being deleted, the access
// log, the sub-processors page and the daily retention jobs.
func Register(app core.App, ob *outbox.Worker, cfg Config) {
	p := &privacy{app: app, cfg: cfg.withDefaults()}

	app.OnRecordCreateRequest("users").BindFunc(guardUserFields)
	app.OnRecordUpdateRequest("users").BindFunc(guardUserFields)
	app.OnRecordCreateRequest("workspaces").BindFunc(guardWorkspaceFields)
	app.OnRecordUpdateRequest("workspaces").BindFunc(guardWorkspaceFields)
	app.OnRecordDelete("workspaces").BindFunc(guardWorkspaceDelete)

	bindAccessLog(app)
	ob.Handle(ExportKind, p.buildExport)

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/kontor/privacy")
		g.POST("/requests", p.createRoute)
		g.GET("/requests", p.listRoute)
		g.POST("/requests/{id}/cancel", p.cancelRoute)
		g.GET("/requests/{id}/export", p.downloadRoute)
		g.DELETE("/restriction", p.liftRestrictionRoute)
		g.POST("/workspaces/{id}/delete", p.deleteWorkspaceRoute)
		g.GET("/subprocessors", p.subprocessorsRoute)
		se.Router.GET("/subprocessors", p.subprocessorsPage)
		se.App.Logger().Info("Privacy: invoices kept " + itoa(p.cfg.InvoiceRetentionYears) +
			" years from the end of their year of issue; erasure after " + itoa(p.cfg.ErasureGraceDays) +
			" days of grace; retention jobs on \"" + p.cfg.Schedule + "\"")
		return se.Next()
	})

	app.Cron().MustAdd("kontor_privacy_retention", p.cfg.Schedule, func() {
		p.runAndLog(app)
	})
}
