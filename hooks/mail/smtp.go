package mail

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"net/textproto"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"

	"github.com/kontor-app/kontor/hooks/outbox"
)

// sendSMTP sends the email with its files through PocketBase's mail client,
// with the SMTP settings of the dashboard. A refusal of the SMTP server
// (a 5xx reply) is permanent; anything else is retried.
func sendSMTP(app core.App, email Email, files []File) error {
	msg, err := smtpMessage(email, files)
	if err != nil {
		return outbox.Permanent(err)
	}
	err = app.NewMailClient().Send(msg)
	var reply *textproto.Error
	if errors.As(err, &reply) && reply.Code >= 500 {
		return outbox.Permanent(fmt.Errorf("the SMTP server refused the email: %w", err))
	}
	return err
}

// smtpMessage is the email as PocketBase's mailer takes it.
func smtpMessage(email Email, files []File) (*mailer.Message, error) {
	from, err := mail.ParseAddress(email.From)
	if err != nil {
		return nil, fmt.Errorf("the sender %q is not an email address", email.From)
	}
	msg := &mailer.Message{From: *from, Subject: email.Subject, HTML: email.HTML, Text: email.Text, Headers: map[string]string{}}
	for _, list := range []struct {
		in  []string
		out *[]mail.Address
	}{{email.To, &msg.To}, {email.Cc, &msg.Cc}, {email.Bcc, &msg.Bcc}} {
		for _, s := range list.in {
			a, err := mail.ParseAddress(s)
			if err != nil {
				return nil, fmt.Errorf("the recipient %q is not an email address", s)
			}
			*list.out = append(*list.out, *a)
		}
	}
	for k, v := range email.Headers {
		msg.Headers[k] = v
	}
	if email.ReplyTo != "" {
		msg.Headers["Reply-To"] = email.ReplyTo
	}
	for _, f := range files {
		target := &msg.Attachments
		if f.Inline {
			target = &msg.InlineAttachments
		}
		if *target == nil {
			*target = map[string]io.Reader{}
		}
		(*target)[f.Name] = bytes.NewReader(f.Content)
	}
	return msg, nil
}
