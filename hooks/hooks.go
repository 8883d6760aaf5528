// Package hooks binds Kontor's business rules to a PocketBase app.
package hooks

import (
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/kontor-app/kontor/hooks/assistant"
	"github.com/kontor-app/kontor/hooks/billing"
	"github.com/kontor-app/kontor/hooks/calls"
	"github.com/kontor-app/kontor/hooks/consent"
	"github.com/kontor-app/kontor/hooks/conversions"
	"github.com/kontor-app/kontor/hooks/crm"
	"github.com/kontor-app/kontor/hooks/crm/scoring"
	"github.com/kontor-app/kontor/hooks/crm/sequences"
	"github.com/kontor-app/kontor/hooks/einvoice"
	"github.com/kontor-app/kontor/hooks/invoicing"
	"github.com/kontor-app/kontor/hooks/mail"
	"github.com/kontor-app/kontor/hooks/outbox"
	"github.com/kontor-app/kontor/hooks/payments"
	"github.com/kontor-app/kontor/hooks/privacy"
	"github.com/kontor-app/kontor/hooks/proposals"
	"github.com/kontor-app/kontor/hooks/reminders"
	"github.com/kontor-app/kontor/hooks/render"
	"github.com/kontor-app/kontor/hooks/security"
	"github.com/kontor-app/kontor/hooks/vies"
	"github.com/kontor-app/kontor/hooks/workspaces"
	"github.com/kontor-app/kontor/plugins/host"
)

// Register binds every capability's hooks, routes and jobs, in order.
func Register(app core.App, cfg Config) {
	box := secrets(app, cfg)
	cfg.Security.Secrets, cfg.Security.Sealed = box, sealedFields
	guard := security.Register(app, cfg.Security)
	ob := outbox.Register(app, cfg.Outbox)
	workspaces.Register(app, cfg.DefaultPaymentTermsDays)
	invoicing.Register(app)
	// the PDF and the emails of an invoice print its public page, which
	// payments gives it when it is issued
	var links *payments.Links
	payURL := func(app core.App, invoice *core.Record) string { return links.URL(app, invoice) }
	render.Register(app, render.Config{GotenbergURL: cfg.GotenbergURL, PayURL: payURL})
	plugins := host.Register(app, cfg.Plugins)
	cfg.Billing.PublicURL = cfg.Mail.PublicURL
	plans := billing.Register(app, ob, cfg.Billing)
	einvoice.Register(app, plugins, plans.AllowsFormat)
	links = payments.Register(app, payments.Config{PublicURL: cfg.Mail.PublicURL, Providers: plugins, Secrets: box,
		Canonical: canonical, PDF: render.StoredPDF, QRSVG: render.EPCQRSVG})
	cfg.Mail.Documents = documents{plugins: plugins}
	cfg.Mail.Secrets = box
	cfg.Mail.PayURL = payURL
	mailer := mail.Register(app, ob, cfg.Mail)
	guard.Mailer = lockMail{mailer}
	proposals.Register(app, proposals.Config{PublicURL: cfg.Mail.PublicURL, Mailer: mailer, Renderer: documents{plugins: plugins}})
	crm.Register(app, crm.Config{})
	reminders.Register(app, mailer)
	sequences.Register(app, sequences.Config{InboundWebhookSecret: cfg.Sequences.InboundWebhookSecret,
		InboundReplyDomain: cfg.Sequences.InboundReplyDomain, PublicURL: cfg.Mail.PublicURL, Mailer: mailer, Secrets: box})
	scoring.Register(app)
	assistant.Register(app, assistant.Config{Plugins: plugins, Secrets: box, LogAccess: privacy.LogAccess})
	calls.Register(app, calls.Config{Plugins: plugins, Secrets: box, PublicURL: cfg.Mail.PublicURL})
	vies.Register(app, ob, cfg.VIES)
	consent.Register(app, consent.Config{})
	privacy.Register(app, ob, privacyConfig(cfg, plugins))
	cfg.Conversions.Allowed = privacy.UnlessRestricted(consent.AdvertisingAllowed)
	conversions.Register(app, ob, cfg.Conversions)

	// the web UI, after every other route so none is shadowed
	if cfg.Public == nil {
		return
	}
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Func: func(e *core.ServeEvent) error {
			if !e.Router.HasRoute(http.MethodGet, "/{path...}") {
				e.Router.GET("/{path...}", apis.Static(cfg.Public, true))
			}
			return e.Next()
		},
		Priority: 999,
	})
}
