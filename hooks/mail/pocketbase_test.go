package mail_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/mails"

	"github.com/kontor-app/kontor/hooks/mail"
	"github.com/kontor-app/kontor/hooks/outbox"
	"github.com/kontor-app/kontor/internal/testserver"
)

// resendServer is Kontor with Resend configured on the fake.
func resendServer(t *testing.T) (*testserver.Server, *fakeResend) {
	t.Helper()
	fake := newFakeResend(t)
	s := testserver.NewWithEnv(t, map[string]string{
		"KONTOR_RESEND_API_KEY": fakeKey, "KONTOR_RESEND_BASE_URL": fake.URL,
		"KONTOR_PUBLIC_URL": "https://kontor.example", "KONTOR_MAIL_FROM": "Kontor <mail@kontor.example>",
	})
	return s, fake
}

// PocketBase's own mails go through the outbox to Resend: the verification
// mail of a new user arrives there, and so does the welcome email.
func TestPocketBaseMailsGoThroughResend(t *testing.T) {
	s, fake := resendServer(t)
	u := s.SignUp(t, "ana@example.com")
	if r := s.Must(t, u.Token, http.MethodGet, "/api/kontor/mail/status", nil); r.String("sender") != mail.SenderResend {
		t.Errorf("status: %s", r.Raw)
	}
	s.Must(t, "", http.MethodPost, "/api/collections/users/request-verification", map[string]any{"email": u.Email})

	verify := fake.await(t, "to verify the address", to(u.Email, "Verify"))
	if verify.From != "Kontor <mail@kontor.example>" || !strings.Contains(verify.HTML, "/confirm-verification/") || verify.Key == "" {
		t.Errorf("verification mail: from %q, key %q\n%s", verify.From, verify.Key, verify.HTML)
	}
	var keys []string
	if err := s.App.DB().NewQuery("SELECT idempotency_key FROM outbox WHERE idempotency_key LIKE 'pb:%'").Column(&keys); err != nil || len(keys) != 1 {
		t.Fatalf("PocketBase's mail in the outbox: %v, %v", keys, err)
	}
	if r := awaitStatus(t, s.App, keys[0], outbox.StatusSent); r.Id != verify.Key {
		t.Errorf("Resend's idempotency key %q is not the outbox id %q", verify.Key, r.Id)
	}
	welcome := fake.await(t, "of welcome", to(u.Email, "Welcome to Kontor"))
	if !strings.Contains(welcome.Text, "https://kontor.example") {
		t.Errorf("the welcome email does not link to KONTOR_PUBLIC_URL:\n%s", welcome.Text)
	}
	if len(s.App.TestMailer.Messages()) != 0 {
		t.Errorf("PocketBase's own mailer sent %d mails", len(s.App.TestMailer.Messages()))
	}
}

// PocketBase's alert of a sign-in from a new device is Kontor's
// security_alert, in the user's language, sent through Resend.
func TestSecurityAlertInTheUsersLanguage(t *testing.T) {
	s, fake := resendServer(t)
	u := s.SignUp(t, "ana@example.com")
	user, err := s.App.FindRecordById("users", u.ID)
	if err != nil {
		t.Fatal(err)
	}
	user.Set("language", "de")
	if err := s.App.Save(user); err != nil {
		t.Fatal(err)
	}
	if err := mails.SendRecordAuthAlert(s.App, user, "Firefox on Linux, 203.0.113.9"); err != nil {
		t.Fatal(err)
	}
	alert := fake.await(t, "of the sign-in", to(u.Email, "Neue Anmeldung"))
	if !strings.Contains(alert.Text, "Firefox on Linux, 203.0.113.9") || !strings.Contains(alert.Text, "ändern Sie sofort Ihr Passwort") {
		t.Errorf("alert:\n%s", alert.Text)
	}
	if n, _ := s.App.CountRecords(outbox.Collection); n < 2 {
		t.Errorf("%d outbox messages, want the welcome and the alert", n)
	}
}
