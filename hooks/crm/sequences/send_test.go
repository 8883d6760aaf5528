package sequences_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kontor-app/kontor/hooks/crm/sequences"
)

func TestSequenceTimingWithAFakeClock(t *testing.T) {
	w := newWorld(t, nil)
	brussels, _ := time.LoadLocation("Europe/Brussels")
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	company := w.s.Create(t, w.owner, "companies", map[string]any{"workspace": w.ws, "name": "Acme SL"}).String("id")
	ana := w.contact(t, map[string]any{"company": company})
	ken := w.contact(t, map[string]any{"first_name": "Ken", "last_name": "Sato", "email": "ken@example.jp", "timezone": "Asia/Tokyo"})
	// step 1 at once, step 2 two business days after step 1
	seq := w.sequence(t, map[string]any{"business_days": true}, [2]int{0, 0}, [2]int{2, 0})

	r := w.enroll(t, seq, ana, ken)
	if r.String("enrolled") != "2" || r.String("skipped") != "[]" {
		t.Fatalf("enroll: %s", r.Raw)
	}
	// Friday 16:30 in Brussels is inside Ana's window: due now. In Tokyo
	// it is Saturday 00:30, so Ken's first email waits for Monday 09:00
	// there.
	if got := w.enrollment(t, seq, ana).GetDateTime("next_send_at").Time(); !got.Equal(friday) {
		t.Errorf("Ana's first email is due %s, want %s", got, friday)
	}
	kenDue := time.Date(2025, 11, 24, 9, 0, 0, 0, tokyo)
	if got := w.enrollment(t, seq, ken).GetDateTime("next_send_at").Time(); !got.Equal(kenDue) {
		t.Errorf("Ken's first email is due %s, want %s", got.In(tokyo), kenDue)
	}

	if res := w.send(t, friday); res.Sent != 1 {
		t.Fatalf("Friday: %+v, want 1 sent", res)
	}
	e := w.enrollment(t, seq, ana)
	key := "sequence:" + e.Id + ":1"
	email := w.email(t, key)
	if email.Subject != "Step Ana A" || !strings.Contains(email.Text, "Hi Ana,\n\nshall we talk about Acme SL?\n\nNordlicht GmbH") {
		t.Errorf("email: %q\n%s", email.Subject, email.Text)
	}
	if !strings.HasPrefix(email.From, "Nordlicht GmbH <") || email.To[0] != "ana@acme.example" {
		t.Errorf("from %q to %v, want the workspace's name to Ana", email.From, email.To)
	}
	if !strings.HasPrefix(email.ReplyTo, "reply+") || !strings.HasSuffix(email.ReplyTo, "@reply.example.com") {
		t.Errorf("reply-to %q", email.ReplyTo)
	}
	if email.Headers["List-Unsubscribe-Post"] != "List-Unsubscribe=One-Click" ||
		!strings.HasPrefix(email.Headers["List-Unsubscribe"], "<https://sealed-link.invalid/>, <mailto:reply+") ||
		!strings.HasPrefix(email.Headers["Message-ID"], "<seq.") {
		t.Errorf("headers %v", email.Headers)
	}
	if strings.Contains(email.Text, "kontor.example/u/") || email.SealedLink == "" {
		t.Error("the unsubscribe link is not sealed in the outbox")
	}
	// step 2: two business days after Friday 16:30 is Tuesday 16:30
	tuesday := time.Date(2025, 11, 25, 16, 30, 0, 0, brussels)
	if got := e.GetDateTime("next_send_at").Time(); !got.Equal(tuesday) || e.GetInt("next_step") != 2 || e.GetInt("sent_count") != 1 {
		t.Errorf("after step 1: next %d at %s (sent %d), want 2 at %s", e.GetInt("next_step"), got.In(brussels), e.GetInt("sent_count"), tuesday)
	}

	// a second run at the same time sends nothing again
	if res := w.send(t, friday.Add(time.Minute)); res.Sent != 0 {
		t.Errorf("a second run sent %d", res.Sent)
	}
	// Monday: Ken's first email (09:00 Tokyo is 00:00 UTC); Ana waits
	if res := w.send(t, time.Date(2025, 11, 24, 1, 0, 0, 0, time.UTC)); res.Sent != 1 || w.enrollment(t, seq, ken).GetInt("sent_count") != 1 {
		t.Errorf("Monday: %+v, want Ken's email only", res)
	}
	if res := w.send(t, tuesday.Add(-time.Minute)); res.Sent != 0 {
		t.Errorf("a minute early: %+v", res)
	}
	// the job ran late, after Ana's window closed on Tuesday: the step
	// moves to Wednesday's opening rather than going out at night
	late := time.Date(2025, 11, 25, 22, 0, 0, 0, brussels)
	if res := w.send(t, late); res.Sent != 0 || res.Deferred < 1 {
		t.Errorf("Tuesday night: %+v, want Ana's step deferred", res)
	}
	wednesday := time.Date(2025, 11, 26, 9, 0, 0, 0, brussels)
	if got := w.enrollment(t, seq, ana).GetDateTime("next_send_at").Time(); !got.Equal(wednesday) {
		t.Errorf("deferred to %s, want %s", got.In(brussels), wednesday)
	}
	if res := w.send(t, wednesday); res.Sent != 1 || res.Completed != 1 {
		t.Errorf("Wednesday: %+v, want Ana's last step, completed", res)
	}
	if e := w.enrollment(t, seq, ana); e.GetString("status") != sequences.StatusCompleted || e.GetInt("sent_count") != 2 || !e.GetDateTime("next_send_at").IsZero() {
		t.Errorf("Ana's enrolment is %s with %d sent", e.GetString("status"), e.GetInt("sent_count"))
	}
	if n := w.sequenceEmails(t); n != 3 {
		t.Errorf("%d sequence emails in the outbox, want 3", n)
	}
}

func TestEnrollSkipsAndRefuses(t *testing.T) {
	w := newWorld(t, nil)
	ana := w.contact(t, nil)
	noEmail := w.contact(t, map[string]any{"first_name": "Bo", "email": ""})
	gone := w.contact(t, map[string]any{"first_name": "Cy", "email": "cy@example.com"})
	unsubscribed := w.record(t, "contacts", gone)
	unsubscribed.Set("unsubscribed", true)
	if err := w.s.App.Save(unsubscribed); err != nil {
		t.Fatal(err)
	}
	seq := w.sequence(t, nil, [2]int{1, 0})
	w.enroll(t, seq, ana)

	r := w.enroll(t, seq, ana, noEmail, gone)
	if r.String("enrolled") != "0" || r.String("skipped.0.reason") != sequences.SkipActive ||
		r.String("skipped.1.reason") != sequences.SkipNoEmail || r.String("skipped.2.reason") != sequences.SkipUnsubscribed {
		t.Errorf("enroll again: %s", r.Raw)
	}

	theirs := w.s.Create(t, w.outsider, "contacts", map[string]any{"workspace": w.ws2, "first_name": "Dee", "email": "dee@example.com"}).String("id")
	paused := w.sequence(t, map[string]any{"active": false}, [2]int{0, 1})
	empty := w.sequence(t, nil)
	before := w.count(t, "sequence_enrollments", "id != ''", nil)
	for _, tc := range []struct {
		name, seq string
		body      any
		field     string
	}{
		{"another workspace's contact", seq, map[string]any{"contacts": []string{noEmail, theirs}}, "contacts"},
		{"no contacts", seq, map[string]any{"contacts": []string{}}, "contacts"},
		{"not JSON", seq, "contacts", "contacts"},
		{"a paused sequence", paused, map[string]any{"contacts": []string{noEmail}}, "sequence"},
		{"a sequence without steps", empty, map[string]any{"contacts": []string{noEmail}}, "sequence"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := w.s.Do(t, w.owner.Token, http.MethodPost, "/api/kontor/sequences/"+tc.seq+"/enroll", tc.body)
			if r.Status != 400 || r.String("data."+tc.field+".message") == "" {
				t.Errorf("%d %s", r.Status, r.Raw)
			}
		})
	}
	if after := w.count(t, "sequence_enrollments", "id != ''", nil); after != before {
		t.Errorf("refused requests wrote %d enrolments", after-before)
	}
}

func TestDailyLimit(t *testing.T) {
	w := newWorld(t, nil)
	ws := w.record(t, "workspaces", w.ws)
	ws.Set("sequence_daily_limit", 2)
	if err := w.s.App.Save(ws); err != nil {
		t.Fatal(err)
	}
	seq := w.sequence(t, nil, [2]int{0, 0})
	var contacts []string
	for _, name := range []string{"ana", "bo", "cy"} {
		contacts = append(contacts, w.contact(t, map[string]any{"first_name": name, "email": name + "@example.com"}))
	}
	w.enroll(t, seq, contacts...)

	if res := w.send(t, friday); res.Sent != 2 || res.Limited != 1 {
		t.Fatalf("first run: %+v, want 2 sent and 1 held by the limit", res)
	}
	if res := w.send(t, friday.Add(10*time.Minute)); res.Sent != 0 || res.Limited != 1 {
		t.Errorf("later the same day: %+v", res)
	}
	// the limit is per UTC day: Saturday at 09:00 in Brussels (08:00 UTC)
	// the third goes
	saturday := time.Date(2025, 11, 22, 8, 0, 0, 0, time.UTC)
	if res := w.send(t, saturday); res.Sent != 1 {
		t.Errorf("next day: %+v, want the third sent", res)
	}
	if n := w.sequenceEmails(t); n != 3 {
		t.Errorf("%d emails queued, want 3", n)
	}
	// another workspace's limit is its own
	if res := w.send(t, saturday.Add(time.Hour)); res.Limited != 0 {
		t.Errorf("%+v", res)
	}
}
