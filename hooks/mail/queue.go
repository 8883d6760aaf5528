package mail

import (
	"fmt"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/outbox"
)

// Mail is an email to queue, written from one of the Templates.
type Mail struct {
	// Template names the email, e.g. "proposal_sent".
	Template string
	// Key is its idempotency key in the outbox: one email per key, ever.
	Key string
	// Workspace is the workspace the email belongs to, whose owners and
	// admins see it in their outbox; nil for none. When Values.ToClient
	// is set, the email goes out in the workspace's name, with replies to
	// the workspace's email; otherwise in Kontor's.
	Workspace *core.Record
	// To is the recipient's address; Language the recipient's language
	// (English when it is not one of Languages).
	To, Language string
	// Summary describes the email in the outbox; empty takes its subject
	// and recipient.
	Summary string
	// Values are what the template shows.
	Values Values
	// Attachments are the files to attach.
	Attachments []Attachment
	// SecretLink is a link that is a key, such as a proposal's public
	// link: the template shows it as Values.Link, but the outbox keeps it
	// sealed (Config.Secrets) and it is written into the email only when
	// the email is sent, so nobody who reads the outbox can use it.
	SecretLink string
	// Subject and Body are an email the user wrote (Template Written):
	// plain text, sent as written, escaped into simple HTML; Footer is a
	// line below it, followed by Values.Link when set.
	Subject, Body, Footer string
	// Headers are extra headers of the email, such as List-Unsubscribe;
	// the SecretLink written in them is sealed like the one of the body.
	Headers map[string]string
	// ReplyTo replaces the address replies go to.
	ReplyTo string
}

// sealedLink stands in the stored email where its secret link goes.
const sealedLink = "https://sealed-link.invalid/"

// Queue writes the email and queues it through app, which should be the
// transaction of the change that causes it. An email whose key is already
// in the outbox is not queued again.
func (m *Mailer) Queue(app core.App, e Mail) error {
	lang := Language(e.Language)
	v := e.Values
	v.AppURL = m.cfg.PublicURL
	sealed := ""
	if e.SecretLink != "" {
		if m.cfg.Secrets == nil {
			return fmt.Errorf("mail: %s holds a secret link, and no key seals it", e.Key)
		}
		v.Link, sealed = sealedLink, m.cfg.Secrets.Seal([]byte(e.SecretLink))
	}
	var r rendered
	var err error
	if e.Template == Written {
		r, err = renderWritten(e.Subject, e.Body, e.Footer, v.Link)
	} else {
		r, err = render(e.Template, lang, v)
	}
	if err != nil {
		return err
	}
	from := m.from(app)
	email := Email{To: []string{e.To}, Subject: r.Subject, HTML: r.HTML, Text: r.Text,
		Language: lang, Template: e.Template, Attachments: e.Attachments, SealedLink: sealed}
	workspace := ""
	if e.Workspace != nil {
		workspace = e.Workspace.Id
		if v.ToClient {
			from.Name = e.Workspace.GetString("name")
			email.ReplyTo = e.Workspace.GetString("email")
		}
	}
	email.From = address(from.Name, from.Address)
	if e.ReplyTo != "" {
		email.ReplyTo = e.ReplyTo
	}
	for k, h := range e.Headers {
		if email.Headers == nil {
			email.Headers = map[string]string{}
		}
		if e.SecretLink != "" {
			h = strings.ReplaceAll(h, e.SecretLink, sealedLink)
		}
		email.Headers[k] = h
	}
	summary := e.Summary
	if summary == "" {
		summary = r.Subject + " to " + e.To
	}
	_, _, err = outbox.Enqueue(app, outbox.Message{Kind: Kind, Key: e.Key, Workspace: workspace, Summary: summary, Payload: email})
	return err
}

// address writes a mailbox as Name <address>, the form Resend takes, with
// the name in UTF-8 rather than encoded, and quoted when it holds a
// character that has a meaning in an address (RFC 5322 specials).
func address(name, addr string) string {
	name = strings.TrimSpace(strings.NewReplacer("\r", " ", "\n", " ").Replace(name))
	switch {
	case name == "":
		return addr
	case strings.ContainsAny(name, `()<>[]:;@\,."`):
		name = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name) + `"`
	}
	return name + " <" + addr + ">"
}
