// Package reminders sends payment reminders for overdue invoices and issues
// recurring invoices, on PocketBase's cron.
package reminders

import (
	"github.com/pocketbase/pocketbase/core"
)

// Mailer is what reminders need of mail.
type Mailer interface {
	// QueueInvoiceMail queues, in app's transaction, an email about an
	// issued invoice to its client, from the named template, once per key.
	QueueInvoiceMail(app core.App, invoice *core.Record, template, key string, data map[string]any) error
}

// Register binds the reminder and recurring-invoice jobs and routes.
func Register(app core.App, mailer Mailer) {}
