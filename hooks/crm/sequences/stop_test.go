package sequences_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"github.com/kontor-app/kontor/hooks/crm/sequences"
)

// fakeResend is an httptest server speaking Resend's POST /emails: it
// keeps each email's JSON and answers with an id.
type fakeResend struct {
	*httptest.Server
	mu     sync.Mutex
	emails []map[string]any
}

func newFakeResend(t *testing.T) *fakeResend {
	f := &fakeResend{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/emails" || r.Header.Get("Authorization") != "Bearer re_test" {
			http.Error(w, `{"name":"not_found"}`, http.StatusNotFound)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var e map[string]any
		if err := json.Unmarshal(body, &e); err != nil {
			http.Error(w, `{"name":"validation_error"}`, http.StatusUnprocessableEntity)
			return
		}
		f.mu.Lock()
		f.emails = append(f.emails, e)
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"49a3999c-0ce1-4ea6-ab68-afcd6dc2e794"}`))
	}))
	t.Cleanup(f.Close)
	return f
}

// await waits for the email to the address.
func (f *fakeResend) await(t *testing.T, to string) map[string]any {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		f.mu.Lock()
		for _, e := range f.emails {
			if list, _ := e["to"].([]any); len(list) > 0 && list[0] == to {
				f.mu.Unlock()
				return e
			}
		}
		f.mu.Unlock()
	}
	t.Fatalf("no email to %s reached Resend", to)
	return nil
}

func TestStopOnUnsubscribe(t *testing.T) {
	resend := newFakeResend(t)
	w := newWorld(t, map[string]string{"KONTOR_RESEND_API_KEY": "re_test", "KONTOR_RESEND_BASE_URL": resend.URL})
	ana := w.contact(t, nil)
	seq := w.sequence(t, nil, [2]int{0, 0}, [2]int{1, 0})
	other := w.sequence(t, map[string]any{"name": "Newsletter"}, [2]int{3, 0})
	w.enroll(t, seq, ana)
	w.enroll(t, other, ana)
	if res := w.send(t, friday); res.Sent != 1 {
		t.Fatalf("%+v", res)
	}

	// what Resend gets: the headers, the reply address, the real link
	sent := resend.await(t, "ana@acme.example")
	headers, _ := sent["headers"].(map[string]any)
	list, _ := headers["List-Unsubscribe"].(string)
	if headers["List-Unsubscribe-Post"] != "List-Unsubscribe=One-Click" || !strings.HasPrefix(list, "<https://kontor.example/u/") {
		t.Fatalf("headers at Resend: %v", headers)
	}
	if rt := sent["reply_to"]; rt == nil || !strings.Contains(strings.Join(strings.Fields(strings.Trim(jsonString(rt), `[]"`)), ""), "reply+") {
		t.Errorf("reply_to at Resend: %v", sent["reply_to"])
	}
	link := strings.TrimPrefix(list[:strings.Index(list, ">")], "<")
	path := strings.TrimPrefix(link, "https://kontor.example")
	if text, _ := sent["text"].(string); !strings.Contains(text, link) {
		t.Errorf("the text does not carry the link: %s", text)
	}

	// a link scanner's GET changes nothing
	page := w.get(t, path)
	if page.Status != 200 || !strings.Contains(string(page.Raw), `action="`+path+`"`) || !strings.Contains(string(page.Raw), "Nordlicht GmbH") {
		t.Fatalf("GET %s: %d %s", path, page.Status, page.Raw)
	}
	if w.record(t, "contacts", ana).GetBool("unsubscribed") || w.enrollment(t, seq, ana).GetString("status") != sequences.StatusActive {
		t.Fatal("GET unsubscribed")
	}
	if csp := page.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || page.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("headers: %v", page.Header)
	}

	// the mail client's one-click POST (RFC 8058)
	if r := w.form(t, path, url.Values{"List-Unsubscribe": {"One-Click"}}); r.Status != 200 || !strings.Contains(string(r.Raw), "You are unsubscribed") {
		t.Fatalf("one-click POST: %d %s", r.Status, r.Raw)
	}
	c := w.record(t, "contacts", ana)
	if !c.GetBool("unsubscribed") || c.GetDateTime("unsubscribed_at").Time().IsZero() {
		t.Error("the contact is not unsubscribed")
	}
	for _, s := range []string{seq, other} {
		if e := w.enrollment(t, s, ana); e.GetString("status") != sequences.StatusUnsubscribed {
			t.Errorf("enrolment in %s is %s", s, e.GetString("status"))
		}
	}
	if res := w.send(t, friday.Add(72*time.Hour)); res.Sent != 0 {
		t.Errorf("sent after unsubscribing: %+v", res)
	}
	// posting again is fine; enrolling again is skipped
	if r := w.form(t, path, url.Values{"confirm": {"yes"}}); r.Status != 200 {
		t.Errorf("second POST: %d", r.Status)
	}
	if r := w.enroll(t, w.sequence(t, map[string]any{"name": "Again"}, [2]int{0, 0}), ana); r.String("skipped.0.reason") != sequences.SkipUnsubscribed {
		t.Errorf("enrol after unsubscribing: %s", r.Raw)
	}
	// an unknown link
	if r := w.get(t, "/u/not-a-token"); r.Status != 404 || !strings.Contains(string(r.Raw), "This link does not work") {
		t.Errorf("unknown link: %d", r.Status)
	}
	if r := w.form(t, "/u/not-a-token", url.Values{"List-Unsubscribe": {"One-Click"}}); r.Status != 404 {
		t.Errorf("unknown link POST: %d", r.Status)
	}
	if r := w.get(t, "/u-assets/unsubscribe.css"); r.Status != 200 {
		t.Errorf("stylesheet: %d", r.Status)
	}
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// received is a Resend email.received event to the addresses.
func received(id, subject string, to ...string) string {
	b, _ := json.Marshal(map[string]any{
		"type": "email.received", "created_at": "2025-11-21T15:31:00.000Z",
		"data": map[string]any{"email_id": id, "created_at": "2025-11-21T15:31:00.000Z", "from": "Ana García <ana@acme.example>",
			"to": to, "cc": []string{}, "bcc": []string{}, "message_id": "<" + id + "@mail.acme.example>", "subject": subject,
			"attachments": []any{}},
	})
	return string(b)
}

func TestStopOnReply(t *testing.T) {
	w := newWorld(t, nil)
	ana := w.contact(t, nil)
	seq := w.sequence(t, nil, [2]int{0, 0}, [2]int{1, 0})
	w.enroll(t, seq, ana)
	w.send(t, friday)
	e := w.enrollment(t, seq, ana)
	replyTo := w.email(t, "sequence:"+e.Id+":1").ReplyTo

	activities := func() int {
		return w.count(t, "activities", "contact = {:c} && type = 'email'", dbx.Params{"c": ana})
	}
	// a bad signature writes nothing
	body := received("a1b2c3d4", "Re: Step Ana A", replyTo)
	if r := w.inbound(t, body, false); r.Status != 400 {
		t.Errorf("unsigned: %d %s", r.Status, r.Raw)
	}
	tampered := strings.Replace(body, "Re: Step", "Re: step", 1)
	req, _ := http.NewRequest(http.MethodPost, w.s.URL+"/api/kontor/inbound/reply", strings.NewReader(tampered))
	for k, v := range sequences.Signed(sequences.TestSecret, "msg_1", w.now, []byte(body)) {
		req.Header[k] = v
	}
	if r := doRaw(t, req); r.Status != 400 {
		t.Errorf("tampered: %d", r.Status)
	}
	// a signature of over 5 minutes ago is a replay
	old := w.now
	w.now = old.Add(-10 * time.Minute)
	signedEarlier := sequences.Signed(sequences.TestSecret, "msg_2", w.now, []byte(body))
	w.now = old
	req, _ = http.NewRequest(http.MethodPost, w.s.URL+"/api/kontor/inbound/reply", strings.NewReader(body))
	for k, v := range signedEarlier {
		req.Header[k] = v
	}
	if r := doRaw(t, req); r.Status != 400 {
		t.Errorf("replayed: %d", r.Status)
	}
	if w.enrollment(t, seq, ana).GetString("status") != sequences.StatusActive || activities() != 0 {
		t.Fatal("a refused webhook changed something")
	}

	// other events and other addresses are acknowledged and change nothing
	if r := w.inbound(t, `{"type":"email.delivered","data":{}}`, true); r.Status != 200 {
		t.Errorf("another event: %d", r.Status)
	}
	if r := w.inbound(t, received("zzzz0000", "Hello", "sales@reply.example.com"), true); r.Status != 200 || r.String("matched") != "false" {
		t.Errorf("another address: %d %s", r.Status, r.Raw)
	}

	// the reply
	if r := w.inbound(t, body, true); r.Status != 200 || r.String("result") != sequences.StatusReplied {
		t.Fatalf("reply: %d %s", r.Status, r.Raw)
	}
	if e := w.enrollment(t, seq, ana); e.GetString("status") != sequences.StatusReplied || e.GetDateTime("stopped_at").IsZero() {
		t.Errorf("enrolment %s", e.GetString("status"))
	}
	if activities() != 1 {
		t.Errorf("%d email activities, want 1", activities())
	}
	// delivered twice, recorded once
	if r := w.inbound(t, body, true); r.Status != 200 || activities() != 1 {
		t.Errorf("redelivery: %s, %d activities", r.Raw, activities())
	}
	if res := w.send(t, friday.Add(48*time.Hour)); res.Sent != 0 {
		t.Errorf("sent after the reply: %+v", res)
	}

	// the In-Reply-To of a provider that sends headers names it as well
	bo := w.contact(t, map[string]any{"first_name": "Bo", "email": "bo@example.com"})
	w.enroll(t, seq, bo)
	w.send(t, friday)
	msgID := w.email(t, "sequence:"+w.enrollment(t, seq, bo).Id+":1").Headers["Message-ID"]
	withHeaders := `{"type":"email.received","data":{"from":"bo@example.com","to":["sales@nordlicht.example"],"subject":"Re: hi","message_id":"<b0b0b0b0@x>","headers":{"In-Reply-To":"` + msgID + `"}}}`
	if r := w.inbound(t, withHeaders, true); r.String("result") != sequences.StatusReplied {
		t.Errorf("In-Reply-To: %s", r.Raw)
	}
}

func TestInboundOffWithoutSecret(t *testing.T) {
	w := newWorld(t, map[string]string{"KONTOR_INBOUND_WEBHOOK_SECRET": "", "KONTOR_INBOUND_REPLY_DOMAIN": ""})
	r := w.inbound(t, received("a1b2c3d4", "Re: hi", "reply+0123456789abcdef0123456789abcdef@reply.example.com"), true)
	if r.Status != 503 || !strings.Contains(r.String("message"), "KONTOR_INBOUND_WEBHOOK_SECRET") {
		t.Errorf("%d %s", r.Status, r.Raw)
	}
	// without a reply domain, replies go to the workspace
	ana := w.contact(t, nil)
	seq := w.sequence(t, nil, [2]int{0, 0})
	w.enroll(t, seq, ana)
	w.send(t, friday)
	email := w.email(t, "sequence:"+w.enrollment(t, seq, ana).Id+":1")
	if email.ReplyTo != "billing@example.com" || strings.Contains(email.Headers["List-Unsubscribe"], "mailto:") {
		t.Errorf("reply-to %q, List-Unsubscribe %q", email.ReplyTo, email.Headers["List-Unsubscribe"])
	}
}

func TestStopOnWonDeal(t *testing.T) {
	w := newWorld(t, nil)
	ana := w.contact(t, nil)
	bo := w.contact(t, map[string]any{"first_name": "Bo", "email": "bo@example.com"})
	seq := w.sequence(t, nil, [2]int{0, 0}, [2]int{1, 0})
	w.enroll(t, seq, ana, bo)

	stage := func(kind string) string {
		rs, err := w.s.App.FindRecordsByFilter("pipeline_stages", "workspace = {:w} && kind = {:k}", "position", 1, 0, dbx.Params{"w": w.ws, "k": kind})
		if err == nil && len(rs) > 0 {
			return rs[0].Id
		}
		return w.s.Create(t, w.owner, "pipeline_stages", map[string]any{"workspace": w.ws, "name": kind, "kind": kind, "position": 9}).String("id")
	}
	deal := w.s.Create(t, w.owner, "deals", map[string]any{"workspace": w.ws, "title": "Website", "stage": stage("open"), "contact": ana}).String("id")
	if w.enrollment(t, seq, ana).GetString("status") != sequences.StatusActive {
		t.Fatal("an open deal stopped the enrolment")
	}
	d := w.record(t, "deals", deal)
	d.Set("stage", stage("won"))
	d.Set("status", "won")
	if err := w.s.App.Save(d); err != nil {
		t.Fatal(err)
	}
	if e := w.enrollment(t, seq, ana); e.GetString("status") != sequences.StatusWon || !strings.Contains(e.GetString("stop_reason"), "Website") {
		t.Errorf("Ana's enrolment is %s (%s)", e.GetString("status"), e.GetString("stop_reason"))
	}
	if e := w.enrollment(t, seq, bo); e.GetString("status") != sequences.StatusActive {
		t.Errorf("Bo's enrolment is %s", e.GetString("status"))
	}
	if res := w.send(t, friday); res.Sent != 1 {
		t.Errorf("%+v, want Bo's email only", res)
	}
}
