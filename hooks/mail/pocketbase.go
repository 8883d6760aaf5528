package mail

import (
	"crypto/sha256"
	"encoding/hex"
	"html"
	"io"
	"net/mail"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"

	"github.com/kontor-app/kontor/hooks/outbox"
)

// queuePocketBaseMail is bound to OnMailerSend. When Resend is configured,
// a mail of PocketBase's own (verification, password reset, email change,
// OTP, login alert, a test mail from the dashboard) goes into the outbox
// instead of PocketBase's SMTP client, and the worker sends it through
// Resend. Without Resend, PocketBase sends it as usual.
func (m *Mailer) queuePocketBaseMail(e *core.MailerEvent) error {
	if m.resend != nil {
		e.Mailer = outboxMailer{app: e.App, mailer: m}
	}
	return e.Next()
}

// outboxMailer is a PocketBase mail client that queues into the outbox.
type outboxMailer struct {
	app    core.App
	mailer *Mailer
}

// Send queues the message. Its key is a hash of the message and the second
// it was sent in, so the same mail sent twice at once (a double submit) is
// one email, and the same alert on another day is another.
func (q outboxMailer) Send(msg *mailer.Message) error {
	email := Email{Subject: msg.Subject, HTML: msg.HTML, Text: msg.Text, Headers: msg.Headers}
	from := q.mailer.from(q.app)
	if q.mailer.cfg.From == "" && msg.From.Address != "" {
		from = msg.From
	}
	email.From = address(from.Name, from.Address)
	for _, list := range []struct {
		in  []mail.Address
		out *[]string
	}{{msg.To, &email.To}, {msg.Cc, &email.Cc}, {msg.Bcc, &email.Bcc}} {
		for _, a := range list.in {
			*list.out = append(*list.out, address(a.Name, a.Address))
		}
	}
	for inline, files := range map[bool]map[string]io.Reader{false: msg.Attachments, true: msg.InlineAttachments} {
		for name, r := range files {
			content, err := io.ReadAll(r)
			if err != nil {
				return err
			}
			email.Attachments = append(email.Attachments, Attachment{Name: name, Content: content, Inline: inline})
		}
	}

	h := sha256.New()
	for _, part := range []string{strings.Join(email.To, ","), email.Subject, email.HTML, email.Text,
		strconv.FormatInt(q.mailer.now().Unix(), 10)} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	summary := email.Subject
	if len(email.To) > 0 {
		summary += " to " + strings.Join(email.To, ", ")
	}
	_, _, err := outbox.Enqueue(q.app, outbox.Message{Kind: Kind, Key: "pb:" + hex.EncodeToString(h.Sum(nil))[:32],
		Summary: summary, Payload: email})
	return err
}

// writeSecurityAlert is bound to OnMailerRecordAuthAlertSend: PocketBase's
// alert of a sign-in from a new device is written from Kontor's
// security_alert template, in the user's language.
func (m *Mailer) writeSecurityAlert(e *core.MailerRecordEvent) error {
	info, _ := e.Meta["info"].(string)
	r, err := render("security_alert", Language(e.Record.GetString("language")), Values{
		Name: e.Record.GetString("name"), AppURL: m.cfg.PublicURL, Info: html.UnescapeString(info),
	})
	if err != nil {
		return err
	}
	e.Message.Subject, e.Message.HTML, e.Message.Text = r.Subject, r.HTML, r.Text
	return e.Next()
}
