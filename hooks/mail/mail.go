// Package mail sends Kontor's emails through the outbox. Every email is an
// outbox message of kind "email", written in the transaction of the change
// that causes it, rendered when it is queued (from templates/mail, in the
// recipient's language), and sent by the outbox worker: through Resend when
// KONTOR_RESEND_API_KEY is set, else through PocketBase's SMTP settings when
// they are enabled; with neither, it is kept as not_sent until an admin
// retries it. When Resend is configured, PocketBase's own mails
// (verification, password reset, email change, OTP, login alerts) take the
// same way.
//
// Emails: welcome (sign-up), workspace_invitation (a new membership),
// invoice_sent (the send route), payment_received (a recorded payment),
// reminder (QueueInvoiceMail), security_alert (PocketBase's login alert),
// account_locked (a sign-in lock of hooks/security),
// and the proposal emails; and emails a user writes (Written: the steps
// of a sales sequence), sent as written.
//
// Routes:
//
//	POST /api/kontor/invoices/{id}/send   email an issued invoice to its client
//	GET  /api/kontor/mail/status          how emails are sent now
package mail

import (
	"net/mail"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/outbox"
	"github.com/kontor-app/kontor/secret"
)

// Config is how mail is sent.
type Config struct {
	// ResendAPIKey turns on sending through Resend (KONTOR_RESEND_API_KEY).
	ResendAPIKey string
	// ResendBaseURL overrides Resend's API base (KONTOR_RESEND_BASE_URL).
	ResendBaseURL string
	// PublicURL is where users reach Kontor, for links (KONTOR_PUBLIC_URL).
	PublicURL string
	// From is the sender of every email, such as "Kontor
	// <mail@kontor.example>" (KONTOR_MAIL_FROM); empty takes the sender of
	// PocketBase's mail settings. Resend sends only from a verified
	// domain, so a workspace's email goes out from this address in the
	// workspace's name, with the workspace's email as Reply-To.
	From string
	// Documents produces the files invoice emails attach; hooks.Register
	// sets it. Without it, invoice emails that attach files fail.
	Documents Documents
	// Secrets seals the secret links of emails in the outbox (a
	// proposal's public link); hooks.Register sets it. Without it, an
	// email with a secret link cannot be queued.
	Secrets *secret.Box
	// PayURL returns an issued invoice's public page, where the buyer pays
	// online (hooks/payments); the invoice and reminder emails link to it.
	// nil links to none.
	PayURL func(app core.App, invoice *core.Record) string
}

// Mailer queues Kontor's emails and sends them from the outbox.
type Mailer struct {
	app    core.App
	cfg    Config
	resend *resendSender // nil when Resend is not configured
	now    func() time.Time
}

// Register binds the mail hooks and routes and the outbox handler of
// emails, and returns the mailer other capabilities queue emails with.
func Register(app core.App, ob *outbox.Worker, cfg Config) *Mailer {
	m := &Mailer{app: app, cfg: cfg, now: time.Now}
	if cfg.ResendAPIKey != "" {
		s, err := newResendSender(cfg.ResendAPIKey, cfg.ResendBaseURL)
		if err != nil {
			app.Logger().Error("mail: Resend cannot be used", "error", err)
		}
		m.resend = s
	}
	ob.Handle(Kind, m.deliver)

	app.OnMailerSend().BindFunc(m.queuePocketBaseMail)
	app.OnMailerRecordAuthAlertSend("users").BindFunc(m.writeSecurityAlert)
	app.OnRecordCreate("users").BindFunc(m.queueWelcome)
	app.OnRecordCreate("memberships").BindFunc(m.queueInvitation)
	app.OnRecordCreate("payments").BindFunc(m.queuePaymentReceived)

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/kontor/invoices/{id}/send", m.sendRoute)
		se.Router.GET("/api/kontor/mail/status", m.statusRoute)
		switch m.Sender() {
		case SenderResend:
			se.App.Logger().Info("mail: sending through Resend", "from", m.fromAddress(se.App))
		case SenderSMTP:
			se.App.Logger().Info("mail: sending through SMTP (PocketBase's mail settings)", "from", m.fromAddress(se.App))
		default:
			se.App.Logger().Warn("mail is OFF: messages are kept in the outbox as not_sent; set KONTOR_RESEND_API_KEY or enable SMTP in the dashboard's mail settings")
		}
		return se.Next()
	})
	return m
}

// fromAddress is the sender of Kontor's emails as written in them.
func (m *Mailer) fromAddress(app core.App) string {
	a := m.from(app)
	return address(a.Name, a.Address)
}

// from is the sender of Kontor's emails: KONTOR_MAIL_FROM, else
// PocketBase's sender settings.
func (m *Mailer) from(app core.App) mail.Address {
	if m.cfg.From != "" {
		if a, err := mail.ParseAddress(m.cfg.From); err == nil {
			return *a
		}
	}
	meta := app.Settings().Meta
	return mail.Address{Name: meta.SenderName, Address: meta.SenderAddress}
}
