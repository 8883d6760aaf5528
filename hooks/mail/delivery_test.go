package mail_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/mail"
	"github.com/kontor-app/kontor/hooks/outbox"
	"github.com/kontor-app/kontor/internal/testserver"
)

// resendConfig is a mailer on the fake Resend.
func resendConfig(f *fakeResend) mail.Config {
	return mail.Config{ResendAPIKey: fakeKey, ResendBaseURL: f.URL, PublicURL: "https://kontor.example", From: "Kontor <mail@kontor.example>"}
}

// queueWelcomes queues n welcome emails, to user000@… and on.
func queueWelcomes(t *testing.T, app core.App, m *mail.Mailer, n int) {
	t.Helper()
	err := app.RunInTransaction(func(tx core.App) error {
		for i := range n {
			err := m.Queue(tx, mail.Mail{Template: "welcome", Key: fmt.Sprintf("load:%03d", i),
				To: fmt.Sprintf("user%03d@example.com", i), Values: mail.Values{Name: fmt.Sprintf("User %d", i)}})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A provider that fails half the time, in every way a call can fail, loses
// none of 500 emails and sends none twice: every message ends sent, and
// Resend holds each exactly once, by idempotency key and by content.
func TestFlakyResendLosesNothingAndSendsNothingTwice(t *testing.T) {
	const n = 500
	app := newApp(t)
	fake := newFakeResend(t)
	rng := rand.New(rand.NewPCG(2026, 11))
	var rmu sync.Mutex
	failures := []step{fail500, dropBefore, dropAfter, fail504After}
	fake.behave = func(received, int) step {
		rmu.Lock()
		defer rmu.Unlock()
		if rng.IntN(2) == 0 {
			return accept
		}
		return failures[rng.IntN(len(failures))]
	}
	c := newClock()
	ob := outbox.New(app, outbox.Config{BaseDelay: time.Minute, MaxDelay: time.Hour, Timeout: 10 * time.Second, Parallel: 8, Now: c.Now})
	m := mail.Register(app, ob, resendConfig(fake))
	queueWelcomes(t, app, m, n)

	ctx := context.Background()
	retried := 0
	for round := 0; ; round++ {
		if round > 100 {
			t.Fatal("the outbox does not drain")
		}
		if _, err := ob.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if pending, _ := app.CountRecords(outbox.Collection, dbx.HashExp{"status": outbox.StatusPending}); pending > 0 {
			c.Add(time.Hour)
			continue
		}
		// messages that used up their attempts wait for an admin's retry
		failed, err := app.FindAllRecords(outbox.Collection, dbx.HashExp{"status": outbox.StatusFailed})
		if err != nil {
			t.Fatal(err)
		}
		if len(failed) == 0 {
			break
		}
		for _, r := range failed {
			if err := outbox.Retry(app, r); err != nil {
				t.Fatal(err)
			}
			retried++
		}
	}

	messages, err := app.FindAllRecords(outbox.Collection)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, r := range messages {
		if r.GetString("status") != outbox.StatusSent {
			t.Errorf("message %s is %s: %s", r.GetString("idempotency_key"), r.GetString("status"), r.GetString("last_error"))
		}
		ids[r.Id] = true
	}
	byKey, byRecipient := map[string]int{}, map[string]int{}
	for _, e := range fake.emails() {
		byKey[e.Key]++
		byRecipient[e.To[0]]++
		if !ids[e.Key] {
			t.Errorf("Resend got an email whose key %q is no outbox message", e.Key)
		}
	}
	duplicates := 0
	for _, counts := range []map[string]int{byKey, byRecipient} {
		for k, c := range counts {
			if c > 1 {
				duplicates += c - 1
				t.Errorf("%s sent %d times", k, c)
			}
		}
	}
	lost := 0
	for i := range n {
		if byRecipient[fmt.Sprintf("user%03d@example.com", i)] == 0 {
			lost++
		}
	}
	if len(messages) != n || len(fake.emails()) != n || lost != 0 {
		t.Errorf("%d messages, %d delivered, %d lost", len(messages), len(fake.emails()), lost)
	}
	maxAttempts := 0
	for _, a := range fake.attempts {
		maxAttempts = max(maxAttempts, a)
	}
	t.Logf("%d messages: %d delivered, %d duplicates, %d lost; %d requests (%d accepted, %d HTTP 500, %d dropped before, "+
		"%d dropped after acceptance, %d 504 after acceptance), %d answered from the idempotency key, at most %d attempts for one message, %d retried by hand after failing",
		n, len(fake.emails()), duplicates, lost, fake.requests, fake.steps[accept], fake.steps[fail500], fake.steps[dropBefore],
		fake.steps[dropAfter], fake.steps[fail504After], fake.replays, maxAttempts, retried)
}

// A timeout after Resend accepted the email is retried with the same
// idempotency key, and Resend answers the first email instead of sending
// a second.
func TestTimeoutAfterAcceptanceIsNotASecondEmail(t *testing.T) {
	app := newApp(t)
	fake := newFakeResend(t)
	fake.behave = func(_ received, attempt int) step {
		if attempt == 1 {
			return hangAfter
		}
		return accept
	}
	c := newClock()
	ob := outbox.New(app, outbox.Config{BaseDelay: time.Minute, Timeout: 300 * time.Millisecond, Now: c.Now})
	m := mail.Register(app, ob, resendConfig(fake))
	queueWelcomes(t, app, m, 1)

	ob.RunOnce(context.Background())
	r := message(t, app, "load:000")
	if r.GetString("status") != outbox.StatusPending || !strings.Contains(r.GetString("last_error"), "no answer from Resend in time") {
		t.Fatalf("after the timeout: %s, %q", r.GetString("status"), r.GetString("last_error"))
	}
	if len(fake.emails()) != 1 {
		t.Fatalf("Resend sent %d emails on the first attempt", len(fake.emails()))
	}
	for i := 0; i < 5 && r.GetString("status") == outbox.StatusPending; i++ {
		c.Add(time.Hour)
		ob.RunOnce(context.Background())
		r = message(t, app, "load:000")
	}
	if r.GetString("status") != outbox.StatusSent || len(fake.emails()) != 1 || fake.replays < 1 {
		t.Fatalf("%s after %d attempts; Resend sent %d emails, answered %d from the key", r.GetString("status"), r.GetInt("attempts"), len(fake.emails()), fake.replays)
	}
	if e := fake.emails()[0]; e.Key != r.Id {
		t.Errorf("the idempotency key is %q, want the outbox id %q", e.Key, r.Id)
	}
}

// An email Resend refuses fails at once; an outage is retried until the
// limit, then fails, and is kept for an admin's retry.
func TestRefusedAndExhausted(t *testing.T) {
	app := newApp(t)
	fake := newFakeResend(t)
	fake.behave = func(e received, _ int) step {
		if e.To[0] == "down@example.com" {
			return fail500
		}
		return accept
	}
	c := newClock()
	ob := outbox.New(app, outbox.Config{MaxAttempts: 3, BaseDelay: time.Minute, Now: c.Now})
	m := mail.Register(app, ob, resendConfig(fake))
	for key, address := range map[string]string{"refused": "nobody", "down": "down@example.com"} {
		if err := m.Queue(app, mail.Mail{Template: "welcome", Key: key, To: address}); err != nil {
			t.Fatal(err)
		}
	}
	for range 5 {
		ob.RunOnce(context.Background())
		c.Add(time.Hour)
	}
	refused, down := message(t, app, "refused"), message(t, app, "down")
	if refused.GetString("status") != outbox.StatusFailed || refused.GetInt("attempts") != 1 ||
		!strings.Contains(refused.GetString("last_error"), "refused by Resend (422 validation_error)") {
		t.Errorf("refused: %s after %d attempts: %s", refused.GetString("status"), refused.GetInt("attempts"), refused.GetString("last_error"))
	}
	if down.GetString("status") != outbox.StatusFailed || down.GetInt("attempts") != 3 ||
		!strings.Contains(down.GetString("last_error"), "failed at Resend (500)") {
		t.Errorf("down: %s after %d attempts: %s", down.GetString("status"), down.GetInt("attempts"), down.GetString("last_error"))
	}
	if len(fake.emails()) != 0 {
		t.Errorf("Resend sent %d emails", len(fake.emails()))
	}
}

// With neither Resend nor SMTP, emails are kept as not_sent, and the status
// route says mail is off; once SMTP is enabled, a retry sends through it.
func TestNoMailerThenSMTP(t *testing.T) {
	s := testserver.New(t)
	u := s.SignUp(t, "ana@example.com")
	if r := s.Must(t, u.Token, http.MethodGet, "/api/kontor/mail/status", nil); r.String("sender") != mail.SenderOff {
		t.Errorf("status: %s", r.Raw)
	}
	if r := s.Do(t, "", http.MethodGet, "/api/kontor/mail/status", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("guest status: %d", r.Status)
	}
	welcome := awaitStatus(t, s.App, "welcome:"+u.ID, outbox.StatusNotSent)
	if welcome.GetString("last_error") != "no mailer configured" || welcome.GetInt("attempts") != 1 {
		t.Errorf("not sent: %q after %d attempts", welcome.GetString("last_error"), welcome.GetInt("attempts"))
	}

	s.App.Settings().SMTP.Enabled = true
	if r := s.Must(t, u.Token, http.MethodGet, "/api/kontor/mail/status", nil); r.String("sender") != mail.SenderSMTP {
		t.Errorf("status with SMTP: %s", r.Raw)
	}
	if err := outbox.Retry(s.App, welcome); err != nil {
		t.Fatal(err)
	}
	awaitStatus(t, s.App, "welcome:"+u.ID, outbox.StatusSent)
	sent := s.App.TestMailer.Messages()
	if len(sent) != 1 || sent[0].Subject != "Welcome to Kontor" || sent[0].To[0].Address != "ana@example.com" ||
		!strings.Contains(sent[0].Text, "Your Kontor account is ready.") {
		t.Errorf("through SMTP: %+v", sent)
	}
}
