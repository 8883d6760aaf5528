// Package mail sends Kontor's emails through the outbox.
package mail

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/outbox"
)

// Config is how mail is sent.
type Config struct {
	// ResendAPIKey turns on sending through Resend (KONTOR_RESEND_API_KEY).
	ResendAPIKey string
	// ResendBaseURL overrides Resend's API base (KONTOR_RESEND_BASE_URL).
	ResendBaseURL string
	// PublicURL is where users reach Kontor, for links (KONTOR_PUBLIC_URL).
	PublicURL string
}

// Mailer queues Kontor's emails.
type Mailer struct{}

// Register binds the mail hooks and routes and the outbox handler of
// emails, and returns the mailer other capabilities queue emails with.
func Register(app core.App, ob *outbox.Worker, cfg Config) *Mailer {
	return &Mailer{}
}

// QueueInvoiceMail queues, in app's transaction, an email about an issued
// invoice to its client, from the template of the name (e.g.
// "invoice_sent", "reminder"), with the idempotency key given; data adds
// values for the template.
func (m *Mailer) QueueInvoiceMail(app core.App, invoice *core.Record, template, key string, data map[string]any) error {
	return nil
}
