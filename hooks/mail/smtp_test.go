package mail

import (
	"io"
	"testing"
)

// An email becomes PocketBase's mail message: addresses parsed, Reply-To as
// a header, files as attachments or inline ones.
func TestSMTPMessage(t *testing.T) {
	email := Email{
		From: address("Müller, Schmidt & Co.", "mail@kontor.example"), To: []string{"Ana Díaz <ana@example.es>"},
		Cc: []string{"books@example.es"}, ReplyTo: "billing@example.com", Subject: "Factura", HTML: "<p>Hola</p>", Text: "Hola",
	}
	msg, err := smtpMessage(email, []File{{Name: "INV-1.pdf", Content: []byte("%PDF-1.7")}, {Name: "logo.png", Content: []byte("png"), Inline: true}})
	if err != nil {
		t.Fatal(err)
	}
	if msg.From.Name != "Müller, Schmidt & Co." || msg.From.Address != "mail@kontor.example" ||
		msg.To[0].Name != "Ana Díaz" || msg.To[0].Address != "ana@example.es" || msg.Cc[0].Address != "books@example.es" ||
		msg.Headers["Reply-To"] != "billing@example.com" || msg.Text != "Hola" {
		t.Errorf("message: %+v", msg)
	}
	pdf, _ := io.ReadAll(msg.Attachments["INV-1.pdf"])
	logo, _ := io.ReadAll(msg.InlineAttachments["logo.png"])
	if string(pdf) != "%PDF-1.7" || string(logo) != "png" || len(msg.Attachments) != 1 {
		t.Errorf("attachments: %q, inline %q", pdf, logo)
	}
	for _, bad := range []Email{{From: "nobody", To: []string{"a@example.com"}}, {From: "a@example.com", To: []string{"not an address"}}} {
		if _, err := smtpMessage(bad, nil); err == nil {
			t.Errorf("%+v was taken", bad)
		}
	}
}
