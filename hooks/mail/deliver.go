package mail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"strings"

	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/kontor-app/kontor/hooks/outbox"
)

// Senders: how emails leave.
const (
	SenderResend = "resend" // Resend's API (KONTOR_RESEND_API_KEY)
	SenderSMTP   = "smtp"   // PocketBase's SMTP settings
	SenderOff    = "off"    // neither: emails stay in the outbox as not_sent
)

// notSentReason is why an email is not sent when mail is off.
const notSentReason = "no mailer configured"

// Sender says how emails are sent now: through Resend when it is
// configured, else through PocketBase's SMTP settings when they are
// enabled (they can change while the server runs), else not at all.
func (m *Mailer) Sender() string {
	switch {
	case m.resend != nil:
		return SenderResend
	case m.app.Settings().SMTP.Enabled:
		return SenderSMTP
	}
	return SenderOff
}

// deliver is the outbox handler of emails: it resolves the attachments and
// sends the email through the active sender.
func (m *Mailer) deliver(ctx context.Context, item outbox.Item) error {
	var email Email
	if err := json.Unmarshal(item.Payload, &email); err != nil {
		return outbox.Permanent(fmt.Errorf("the email cannot be read: %w", err))
	}
	if len(email.To)+len(email.Cc)+len(email.Bcc) == 0 {
		return outbox.Permanent(errors.New("the email has no recipient"))
	}
	sender := m.Sender()
	if sender == SenderOff {
		return outbox.NotSent(notSentReason)
	}
	if err := m.unseal(&email); err != nil {
		return outbox.Permanent(err)
	}
	files, err := m.attachments(ctx, item, email)
	if err != nil {
		return err
	}
	if sender == SenderResend {
		return m.resend.send(ctx, m.app.Logger(), item.ID, email, files)
	}
	return sendSMTP(m.app, email, files)
}

// attachments reads or produces the files of an email. A document that is
// gone fails the email; an e-invoice that cannot be made for the invoice
// is left out, with a warning in the log, rather than holding back the
// invoice itself; anything else (a plugin that crashed) is retried.
func (m *Mailer) attachments(ctx context.Context, item outbox.Item, email Email) ([]File, error) {
	var files []File
	add := func(f File) {
		for i := range files {
			if files[i].Name == f.Name {
				files[i] = f
				return
			}
		}
		files = append(files, f)
	}
	for _, a := range email.Attachments {
		switch {
		case a.InvoicePDF != "", a.EInvoice != nil:
			id := a.InvoicePDF
			if a.EInvoice != nil {
				id = a.EInvoice.Invoice
			}
			if m.cfg.Documents == nil {
				return nil, outbox.Permanent(errors.New("this server cannot attach invoice documents"))
			}
			invoice, err := m.app.FindRecordById("invoices", id)
			if err != nil {
				return nil, outbox.Permanent(fmt.Errorf("the invoice %s to attach is gone", id))
			}
			if a.InvoicePDF != "" {
				f, err := m.cfg.Documents.PDF(ctx, m.app, invoice)
				if err != nil {
					return nil, fmt.Errorf("the PDF of %s: %w", invoice.GetString("number"), err)
				}
				add(f)
				continue
			}
			f, err := m.cfg.Documents.EInvoice(ctx, m.app, invoice, a.EInvoice.Format)
			var apiErr *router.ApiError
			switch {
			case errors.As(err, &apiErr) && apiErr.Status < 500:
				m.app.Logger().Warn("mail: the e-invoice cannot be made for this invoice; the email goes without it",
					"message", item.ID, "invoice", invoice.GetString("number"), "format", a.EInvoice.Format, "error", apiErr.Message)
			case err != nil:
				return nil, fmt.Errorf("the %s e-invoice of %s: %w", a.EInvoice.Format, invoice.GetString("number"), err)
			default:
				add(f)
			}
		case a.DunningLetter != nil:
			if m.cfg.Documents == nil {
				return nil, outbox.Permanent(errors.New("this server cannot attach dunning letters"))
			}
			f, err := m.cfg.Documents.DunningLetter(ctx, m.app, a.DunningLetter.Client, a.DunningLetter.Date)
			if err != nil {
				return nil, fmt.Errorf("the dunning letter: %w", err)
			}
			add(f)
		case a.Name != "":
			add(File{Name: a.Name, ContentType: a.ContentType, Content: a.Content, Inline: a.Inline})
		}
	}
	return files, nil
}

// unseal writes the email's secret link into its HTML and text.
func (m *Mailer) unseal(email *Email) error {
	if email.SealedLink == "" {
		return nil
	}
	if m.cfg.Secrets == nil {
		return errors.New("the email's link is sealed, and no key opens it")
	}
	link, err := m.cfg.Secrets.Open(email.SealedLink)
	if err != nil {
		return fmt.Errorf("the email's link: %w", err)
	}
	email.HTML = strings.ReplaceAll(email.HTML, sealedLink, html.EscapeString(string(link)))
	email.Text = strings.ReplaceAll(email.Text, sealedLink, string(link))
	for k, h := range email.Headers {
		email.Headers[k] = strings.ReplaceAll(h, sealedLink, string(link))
	}
	email.SealedLink = ""
	return nil
}
