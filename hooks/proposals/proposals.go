// Package proposals binds the rules of proposals (quotes) and their
// signature evidence: drafts totalled by the invoice engine, sending as a
// frozen, numbered version behind a private link, the buyer's public page
// where they tick optional lines and sign or decline, an append-only audit
// trail whose events are chained by SHA-256, the signed PDF with its audit
// certificate, expiry, and turning a signed proposal into a draft invoice.
//
// Routes:
//
//	POST /api/kontor/proposals/preview        totals of lines not yet saved
//	POST /api/kontor/proposals/{id}/send      freeze, number, link, email
//	GET  /api/kontor/proposals/{id}/verify    recompute the chain and hashes
//	POST /api/kontor/proposals/{id}/invoice   a signed proposal → draft invoice, once
//	GET  /api/kontor/proposals/{id}/pdf       the signed PDF, or the current one
//	GET  /p/{token}                           the buyer's page (and its POST forms)
//
// docs/proposals.md describes the collections and routes in full.
package proposals

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// Statuses of a proposal.
const (
	StatusDraft    = "draft"
	StatusSent     = "sent"
	StatusViewed   = "viewed"
	StatusSigned   = "signed"
	StatusDeclined = "declined"
	StatusExpired  = "expired"
)

// ConsentSentence is what a signer agrees to by ticking the consent box.
const ConsentSentence = "I agree that typing my name is my electronic signature on this document."

// defaultValidityDays is how long a proposal sent without a validity date
// can be signed.
const defaultValidityDays = 30

// Mailer queues the proposal emails in app's transaction: "proposal_sent"
// to the client, with the public link sealed until it is sent;
// "proposal_signed" and "proposal_declined" to the user who created the
// proposal.
type Mailer interface {
	QueueProposalMail(app core.App, proposal *core.Record, template, key, publicLink string) error
}

// Renderer makes a proposal's PDF.
type Renderer interface {
	ProposalPDF(doc Document) (data []byte, name string, err error)
}

// Config is what proposals need from the rest of Kontor.
type Config struct {
	// PublicURL is where buyers reach Kontor; links are PublicURL/p/{token}.
	PublicURL string
	// Mailer queues the emails; nil queues none.
	Mailer Mailer
	// Renderer makes the PDFs; nil offers none.
	Renderer Renderer
}

// proposals holds what the hooks and routes share.
type proposals struct {
	cfg Config
	now func() time.Time
}

// Register binds the proposal hooks, routes and the expiry job.
func Register(app core.App, cfg Config) {
	p := &proposals{cfg: cfg, now: time.Now}

	app.OnRecordCreateRequest("proposals").BindFunc(p.createRequest)
	app.OnRecordUpdateRequest("proposals").BindFunc(guardRequest)
	app.OnRecordCreate("proposals").BindFunc(saveProposal)
	app.OnRecordUpdate("proposals").BindFunc(saveProposal)
	app.OnRecordDelete("proposals").BindFunc(guardDelete)
	for _, c := range []string{"proposal_events", "proposal_versions"} {
		app.OnRecordUpdate(c).BindFunc(refuseChange)
		app.OnRecordDelete(c).BindFunc(guardEvidenceDelete)
	}

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/kontor/proposals")
		g.POST("/preview", previewRoute)
		g.POST("/{id}/send", p.sendRoute)
		g.GET("/{id}/verify", verifyRoute)
		g.POST("/{id}/invoice", p.convertRoute)
		g.GET("/{id}/pdf", p.pdfRoute)

		// the page's script and style sit beside /p: under it, they would
		// clash with the routes of a link
		se.Router.GET("/p-assets/{file}", assetsRoute)
		pub := se.Router.Group("/p")
		pub.GET("/{token}", p.pageRoute)
		pub.POST("/{token}/totals", p.totalsRoute)
		pub.POST("/{token}/accept", p.formRoute("error_signature", p.accept))
		pub.POST("/{token}/decline", p.formRoute("error_reason", p.decline))
		pub.GET("/{token}/pdf", p.publicPDFRoute)
		return se.Next()
	})

	// expiry: at start, for what fell due while the server was down, and
	// every 15 minutes
	expire := func() {
		if _, err := ExpireDue(app, p.now()); err != nil {
			app.Logger().Error("proposals: expiry failed", "error", err)
		}
	}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		expire()
		return se.Next()
	})
	app.Cron().MustAdd("kontor_proposals_expire", "*/15 * * * *", expire)
}
