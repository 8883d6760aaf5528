package sequences_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/crm/sequences"
	"github.com/kontor-app/kontor/hooks/mail"
	"github.com/kontor-app/kontor/hooks/outbox"
	"github.com/kontor-app/kontor/internal/testserver"
)

// world is Kontor with workspace W1 (its owner and a viewer) and W2 of
// an outsider, sequences configured with an inbound secret and a reply
// domain, and the runner on a clock the test sets.
type world struct {
	s        *testserver.Server
	owner    testserver.User
	viewer   testserver.User
	outsider testserver.User
	ws, ws2  string
	runner   *sequences.Runner
	now      time.Time
}

// friday is Friday 21 November 2025, 15:30 UTC: 16:30 in Brussels.
var friday = time.Date(2025, 11, 21, 15, 30, 0, 0, time.UTC)

func newWorld(t *testing.T, env map[string]string) *world {
	t.Helper()
	base := map[string]string{
		"KONTOR_INBOUND_WEBHOOK_SECRET": sequences.TestSecret,
		"KONTOR_INBOUND_REPLY_DOMAIN":   "reply.example.com",
		"KONTOR_PUBLIC_URL":             "https://kontor.example",
	}
	for k, v := range env {
		base[k] = v
	}
	s := testserver.NewWithEnv(t, base)
	w := &world{s: s, owner: s.SignUp(t, "owner@example.com"), now: friday}
	w.ws = s.Workspace(t, w.owner, "Nordlicht GmbH")
	w.viewer = s.SignUp(t, "viewer@example.com")
	s.Create(t, w.owner, "memberships", map[string]any{"workspace": w.ws, "user": w.viewer.ID, "role": "viewer"})
	w.outsider = s.SignUp(t, "outsider@example.com")
	w.ws2 = s.Workspace(t, w.outsider, "Other Ltd")
	w.runner = sequences.RunnerOf(s.App)
	if w.runner == nil {
		t.Fatal("sequences are not registered")
	}
	w.runner.SetClock(func() time.Time { return w.now })
	return w
}

// contact creates a contact of W1 with the fields over Ana's defaults.
func (w *world) contact(t *testing.T, fields map[string]any) string {
	t.Helper()
	body := map[string]any{"workspace": w.ws, "first_name": "Ana", "last_name": "García", "email": "ana@acme.example",
		"timezone": "Europe/Brussels", "language": "en"}
	for k, v := range fields {
		body[k] = v
	}
	return w.s.Create(t, w.owner, "contacts", body).String("id")
}

// sequence creates an active sequence of W1 with the steps, each
// {delay_days, delay_hours}, at positions 1, 2, ….
func (w *world) sequence(t *testing.T, fields map[string]any, delays ...[2]int) string {
	t.Helper()
	body := map[string]any{"workspace": w.ws, "name": "Follow-up", "active": true}
	for k, v := range fields {
		body[k] = v
	}
	seq := w.s.Create(t, w.owner, "sequences", body).String("id")
	for i, d := range delays {
		w.s.Create(t, w.owner, "sequence_steps", map[string]any{"workspace": w.ws, "sequence": seq, "position": i + 1,
			"delay_days": d[0], "delay_hours": d[1], "subject": "Step {{first_name}} " + string(rune('A'+i)),
			"body": "Hi {{first_name}},\n\nshall we talk about {{company}}?\n\n{{sender}}"})
	}
	return seq
}

// enroll enrols the contacts as the owner and returns the answer.
func (w *world) enroll(t *testing.T, seq string, contacts ...string) testserver.Response {
	t.Helper()
	return w.s.Must(t, w.owner.Token, http.MethodPost, "/api/kontor/sequences/"+seq+"/enroll", map[string]any{"contacts": contacts})
}

// enrollment reads the latest enrolment of the contact in the sequence.
func (w *world) enrollment(t *testing.T, seq, contact string) *core.Record {
	t.Helper()
	rs, err := w.s.App.FindRecordsByFilter("sequence_enrollments", "sequence = {:s} && contact = {:c}", "-created", 1, 0,
		dbx.Params{"s": seq, "c": contact})
	if err != nil || len(rs) == 0 {
		t.Fatalf("no enrolment of %s in %s: %v", contact, seq, err)
	}
	return rs[0]
}

// send runs the sending job at t.
func (w *world) send(t *testing.T, at time.Time) sequences.Result {
	t.Helper()
	res, err := w.runner.SendDue(at)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// email reads the queued email of the key from the outbox.
func (w *world) email(t *testing.T, key string) mail.Email {
	t.Helper()
	r, err := w.s.App.FindFirstRecordByData(outbox.Collection, "idempotency_key", key)
	if err != nil {
		t.Fatalf("no email %s in the outbox", key)
	}
	var e mail.Email
	if err := json.Unmarshal([]byte(r.GetString("payload")), &e); err != nil {
		t.Fatal(err)
	}
	return e
}

// sequenceEmails counts the sequence emails in the outbox.
func (w *world) sequenceEmails(t *testing.T) int {
	t.Helper()
	n, err := w.s.App.CountRecords(outbox.Collection, dbx.Like("idempotency_key", "sequence:").Match(false, true))
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// record reads a record as it is now.
func (w *world) record(t *testing.T, collection, id string) *core.Record {
	t.Helper()
	r, err := w.s.App.FindRecordById(collection, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// inbound posts a webhook body, signed at the world's time with the
// secret unless unsigned.
func (w *world) inbound(t *testing.T, body string, sign bool) testserver.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, w.s.URL+"/api/kontor/inbound/reply", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if sign {
		for k, v := range sequences.Signed(sequences.TestSecret, "msg_"+body[len(body)-8:], w.now, []byte(body)) {
			req.Header[k] = v
		}
	}
	return doRaw(t, req)
}

// form posts a form to a public page as a browser or mail client does.
func (w *world) form(t *testing.T, path string, form url.Values) testserver.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, w.s.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return doRaw(t, req)
}

// get opens a page.
func (w *world) get(t *testing.T, path string) testserver.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, w.s.URL+path, nil)
	return doRaw(t, req)
}

func doRaw(t *testing.T, req *http.Request) testserver.Response {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out := testserver.Response{Status: res.StatusCode, Header: res.Header}
	out.Raw, _ = io.ReadAll(res.Body)
	_ = json.Unmarshal(out.Raw, &out.Body)
	return out
}

// count counts the rows of a collection that match the filter.
func (w *world) count(t *testing.T, collection, filter string, params dbx.Params) int {
	t.Helper()
	rs, err := w.s.App.FindRecordsByFilter(collection, filter, "", 0, 0, params)
	if err != nil {
		t.Fatal(err)
	}
	return len(rs)
}
