package hooks

import (
	"context"
	"net/url"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/einvoice"
	"github.com/kontor-app/kontor/hooks/invoicing"
	"github.com/kontor-app/kontor/hooks/privacy"
)

// privacyConfig is cfg.Privacy with what privacy asks of the rest of
// Kontor: the sub-processors configured, the deletion of issued invoices
// whose retention ended (invoicing), and e-invoices for the export archive
// (einvoice, through the format plugins).
func privacyConfig(cfg Config, plugins einvoice.Renderer) privacy.Config {
	pc := cfg.Privacy
	pc.Subprocessors = subprocessors(cfg)
	pc.DeleteInvoice = invoicing.DeleteAfterRetention
	docs := documents{plugins: plugins}
	pc.EInvoice = func(ctx context.Context, app core.App, invoice *core.Record, format string) (string, []byte, error) {
		f, err := docs.EInvoice(ctx, app, invoice, format)
		return f.Name, f.Content, err
	}
	return pc
}

// subprocessors lists the external services cfg and the app's settings
// actually send personal data to, for the sub-processors page: only what
// is configured, so the page never claims a service that is off or misses
// one that is on. The app's settings (SMTP, S3) and the workspaces'
// payment, telephony and assistant accounts are read at each call, as an
// admin may change them at any time.
func subprocessors(cfg Config) func(app core.App) []privacy.Subprocessor {
	return func(app core.App) []privacy.Subprocessor {
		var out []privacy.Subprocessor
		add := func(name, purpose, address, data string) {
			out = append(out, privacy.Subprocessor{Name: name, Purpose: purpose, Host: hostOf(address), Data: data})
		}
		if cfg.Billing.Enabled() {
			add("Stripe", "Subscription billing of Kontor", orDefault(cfg.Billing.APIBase, "https://api.stripe.com"),
				"Account email, workspace name, plan and payment status; card data stays with Stripe")
		}
		if cfg.Mail.ResendAPIKey != "" {
			add("Resend", "Sending emails", orDefault(cfg.Mail.ResendBaseURL, "https://api.resend.com"),
				"Recipients' names and email addresses, and the content of the emails")
		} else if smtp := app.Settings().SMTP; smtp.Enabled && smtp.Host != "" {
			add("SMTP server "+smtp.Host, "Sending emails", smtp.Host,
				"Recipients' names and email addresses, and the content of the emails")
		}
		if cfg.Conversions.Ads != nil {
			add("Google Ads", "Conversion measurement, with advertising consent only", cfg.Conversions.Ads.APIBase,
				"Click ids, SHA-256 of email addresses, conversion values")
		}
		if cfg.Conversions.GA4 != nil {
			add("Google Analytics 4", "Conversion measurement, with advertising consent only", cfg.Conversions.GA4.Endpoint,
				"Analytics client ids, user ids, conversion events")
		}
		if cfg.GotenbergURL != "" {
			add("Gotenberg", "Rendering PDFs from HTML", cfg.GotenbergURL,
				"The content of the documents rendered: sellers, buyers, amounts")
		}
		if cfg.VIES.URL != "" {
			add("VIES (European Commission)", "Checking clients' VAT numbers", cfg.VIES.URL,
				"Clients' VAT numbers and the workspace's own VAT number")
		}
		if s3 := app.Settings().S3; s3.Enabled {
			add("S3 storage "+s3.Bucket, "Storing uploaded files and generated documents", s3.Endpoint,
				"Invoice and proposal PDFs, signatures, logos, export archives")
		}
		if s3 := app.Settings().Backups.S3; s3.Enabled {
			add("S3 backups "+s3.Bucket, "Storing backups of the database", s3.Endpoint, "Everything in the database")
		}
		// the providers the workspaces connected their own accounts to
		for _, a := range []struct{ table, name, purpose, data string }{
			{"payment_accounts", "Payment provider", "Payments of invoices by buyers, for the workspaces that connected it",
				"Invoice numbers and amounts, buyers' names and email addresses"},
			{"telephony_accounts", "Telephony provider", "Click-to-call, for the workspaces that connected it",
				"The phone numbers of the caller and of the contact called, call times and durations"},
			{"assistant_accounts", "LLM provider", "The assistant, for the workspaces that connected it",
				"The questions asked and the workspace's records the assistant's tools read for them"},
		} {
			var providers []string
			_ = app.DB().NewQuery("SELECT DISTINCT provider FROM " + a.table + " WHERE enabled = TRUE ORDER BY provider").Column(&providers)
			for _, p := range providers {
				add(a.name+" "+p, a.purpose, p, a.data)
			}
		}
		return out
	}
}

// hostOf is the host of an address, or the address itself when it is not
// a URL.
func hostOf(address string) string {
	if u, err := url.Parse(address); err == nil && u.Host != "" {
		return u.Host
	}
	return strings.TrimSpace(address)
}

// orDefault is s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
