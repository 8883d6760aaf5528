package mail_test

import (
	"bytes"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/outbox"
	"github.com/kontor-app/kontor/internal/testserver"
)

// sendWorld is a workspace with a user of each role, an outsider, and a
// client with an email address.
type sendWorld struct {
	s      *testserver.Server
	fake   *fakeResend
	owner  testserver.User
	ws     string
	client string
	users  map[string]testserver.User
}

func newSendWorld(t *testing.T) *sendWorld {
	s, fake := resendServer(t)
	w := &sendWorld{s: s, fake: fake, owner: s.SignUp(t, "owner@example.com"), users: map[string]testserver.User{}}
	w.ws = s.Workspace(t, w.owner, "Nordlicht GmbH")
	w.users["owner"] = w.owner
	for _, role := range []string{"admin", "member", "viewer"} {
		u := s.SignUp(t, role+"@example.com")
		s.Create(t, w.owner, "memberships", map[string]any{"workspace": w.ws, "user": u.ID, "role": role})
		w.users[role] = u
	}
	outsider := s.SignUp(t, "outsider@example.com")
	s.Workspace(t, outsider, "Other Ltd")
	w.users["outsider"] = outsider
	w.users["guest"] = testserver.User{}
	w.client = s.Client(t, w.owner, w.ws, map[string]any{"email": "ap@acme.example", "language": "es"})
	return w
}

// issued issues a new invoice to the client and returns its id and number.
func (w *sendWorld) issued(t *testing.T, client string) (string, string) {
	t.Helper()
	id := w.s.Draft(t, w.owner, w.ws, client, testserver.Line("Consulting", "10", "100"))
	r := w.s.Issue(t, w.owner, id)
	if r.Status != http.StatusOK {
		t.Fatalf("issue: %s", r.Raw)
	}
	return id, r.String("number")
}

func (w *sendWorld) send(t *testing.T, u testserver.User, id string, body any) testserver.Response {
	t.Helper()
	return w.s.Do(t, u.Token, http.MethodPost, "/api/kontor/invoices/"+id+"/send", body)
}

// sends counts the outbox messages of the sends of an invoice.
func (w *sendWorld) sends(t *testing.T, id string) int {
	t.Helper()
	var n int
	if err := w.s.App.DB().NewQuery("SELECT COUNT(*) FROM outbox WHERE idempotency_key LIKE 'invoice_sent:' || {:id} || ':%'").
		Bind(map[string]any{"id": id}).Row(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Members and up send an invoice; a viewer may not, an outsider does not
// see it, a guest must sign in.
func TestSendRouteRoles(t *testing.T) {
	w := newSendWorld(t)
	cases := []struct {
		role   string
		status int
	}{{"owner", 200}, {"admin", 200}, {"member", 200}, {"viewer", 403}, {"outsider", 404}, {"guest", 401}}
	for _, c := range cases {
		t.Run(c.role, func(t *testing.T) {
			id, _ := w.issued(t, w.client)
			r := w.send(t, w.users[c.role], id, nil)
			if r.Status != c.status {
				t.Fatalf("%d %s", r.Status, r.Raw)
			}
			wantSends, wantStatus := 0, "issued"
			if c.status == 200 {
				wantSends, wantStatus = 1, "sent"
			}
			invoice, _ := w.s.App.FindRecordById("invoices", id)
			if n := w.sends(t, id); n != wantSends || invoice.GetString("status") != wantStatus {
				t.Errorf("%d messages, status %s", n, invoice.GetString("status"))
			}
		})
	}
}

// Sending an invoice records it as sent and emails it, in the client's
// language, from the workspace's name with replies to its email, with the
// invoice's PDF.
func TestSendInvoice(t *testing.T) {
	w := newSendWorld(t)
	id, number := w.issued(t, w.client)
	r := w.send(t, w.owner, id, nil)
	if r.Status != 200 || r.String("status") != "sent" || r.String("sent_at") == "" {
		t.Fatalf("send: %d %s", r.Status, r.Raw)
	}
	e := w.fake.await(t, "of the invoice", to("ap@acme.example", number))
	if e.Subject != "Factura "+number+" de Nordlicht GmbH" || e.From != "Nordlicht GmbH <mail@kontor.example>" || e.ReplyTo != "billing@example.com" {
		t.Errorf("subject %q, from %q, reply to %q", e.Subject, e.From, e.ReplyTo)
	}
	if !strings.Contains(e.Text, "Le adjuntamos la factura "+number) || !strings.Contains(e.HTML, number) {
		t.Errorf("body:\n%s", e.Text)
	}
	if len(e.Attachments) != 1 || e.Attachments[0].Name != number+".pdf" || !bytes.HasPrefix(e.Attachments[0].Content, []byte("%PDF-")) {
		t.Fatalf("attachments: %d %+v", len(e.Attachments), names(e.Attachments))
	}
	// the buyer's page, where they pay online, is linked; the outbox keeps
	// the link sealed
	pay := regexp.MustCompile(`https://kontor\.example/i/[A-Za-z0-9_-]{43}`).FindString(e.Text)
	if pay == "" || !strings.Contains(e.HTML, `href="`+pay+`"`) {
		t.Errorf("no link to pay online:\n%s", e.Text)
	}
	msg := awaitStatus(t, w.s.App, "invoice_sent:"+id+":1", outbox.StatusSent)
	if pay != "" && strings.Contains(msg.GetString("payload"), pay) {
		t.Error("the outbox shows the invoice's public link")
	}
	if msg.GetString("workspace") != w.ws || msg.GetString("summary") != "Invoice "+number+" to ap@acme.example" || e.Key != msg.Id {
		t.Errorf("outbox message: %s, %q, key %q", msg.GetString("workspace"), msg.GetString("summary"), e.Key)
	}

	// a double click is one email
	if r := w.send(t, w.owner, id, nil); r.Status != 200 || w.sends(t, id) != 1 {
		t.Errorf("second click: %d, %d messages", r.Status, w.sends(t, id))
	}
	// sending again later, on purpose, is another
	if _, err := w.s.App.DB().NewQuery("UPDATE outbox SET created = '2020-01-01 00:00:00.000Z' WHERE idempotency_key = {:k}").
		Bind(map[string]any{"k": "invoice_sent:" + id + ":1"}).Execute(); err != nil {
		t.Fatal(err)
	}
	if r := w.send(t, w.owner, id, map[string]any{"to": "boss@acme.example", "message": "Gracias por todo."}); r.Status != 200 {
		t.Fatalf("send again: %d %s", r.Status, r.Raw)
	}
	again := w.fake.await(t, "sent again", to("boss@acme.example", number))
	if !strings.Contains(again.Text, "Gracias por todo.") || w.sends(t, id) != 2 {
		t.Errorf("sent again: %d messages\n%s", w.sends(t, id), again.Text)
	}
	message(t, w.s.App, "invoice_sent:"+id+":2")
}

// What cannot be sent is refused with a 400 that says why, and nothing is
// written.
func TestSendRefusals(t *testing.T) {
	w := newSendWorld(t)
	draft := w.s.Draft(t, w.owner, w.ws, w.client, testserver.Line("Draft", "1", "1"))
	noEmail := w.s.Client(t, w.owner, w.ws, map[string]any{"name": "Silent SL"})
	silent, _ := w.issued(t, noEmail)
	issued, _ := w.issued(t, w.client)
	cases := []struct {
		name, id string
		body     any
		field    string
		message  string
	}{
		{"draft", draft, nil, "", "This invoice is a draft: issue it before sending it."},
		{"no email", silent, nil, "to", "The client Silent SL has no email address. Add one to the client, or give the address to send the invoice to."},
		{"bad address", issued, map[string]any{"to": "ap at acme"}, "to", "Enter a valid email address, like ap@client.example."},
		{"note too long", issued, map[string]any{"message": strings.Repeat("x", 5001)}, "message", "Keep the message under 5000 characters."},
		{"not JSON", issued, "to=ap@acme.example", "", `The body must be JSON like {"to": "ap@client.example", "message": "Thank you!"}, or empty to send to the client's email.`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before, _ := w.s.App.FindRecordById("invoices", c.id)
			r := w.send(t, w.owner, c.id, c.body)
			if r.Status != 400 || r.String("message") != c.message || (c.field != "" && r.String("data."+c.field+".message") != c.message) {
				t.Errorf("%d %s", r.Status, r.Raw)
			}
			after, _ := w.s.App.FindRecordById("invoices", c.id)
			if w.sends(t, c.id) != 0 || after.GetString("status") != before.GetString("status") || after.GetString("sent_at") != "" {
				t.Errorf("written: %d messages, status %s, sent_at %q", w.sends(t, c.id), after.GetString("status"), after.GetString("sent_at"))
			}
		})
	}
}

// The email and the record of the send commit together: when the outbox
// cannot take the email, the invoice is not marked sent.
func TestSendIsOneTransaction(t *testing.T) {
	w := newSendWorld(t)
	id, _ := w.issued(t, w.client)
	var broken atomic.Bool
	broken.Store(true)
	w.s.App.OnRecordCreate(outbox.Collection).BindFunc(func(e *core.RecordEvent) error {
		if broken.Load() {
			return errors.New("the outbox is full")
		}
		return e.Next()
	})
	if r := w.send(t, w.owner, id, nil); r.Status < 400 {
		t.Fatalf("send with a broken outbox: %d %s", r.Status, r.Raw)
	}
	invoice, _ := w.s.App.FindRecordById("invoices", id)
	if invoice.GetString("status") != "issued" || invoice.GetString("sent_at") != "" || w.sends(t, id) != 0 {
		t.Fatalf("after the failed send: %s, sent_at %q, %d messages", invoice.GetString("status"), invoice.GetString("sent_at"), w.sends(t, id))
	}
	broken.Store(false)
	if r := w.send(t, w.owner, id, nil); r.Status != 200 || r.String("status") != "sent" {
		t.Fatalf("send: %d %s", r.Status, r.Raw)
	}
}

// A client who prefers an e-invoice gets it too: a hybrid format's PDF
// replaces the plain one; a format the invoice lacks data for is left out
// and the invoice still goes.
func TestSendAttachesThePreferredEInvoice(t *testing.T) {
	w := newSendWorld(t)
	cases := []struct {
		format, address string
		check           func(f file) bool
	}{
		{"factur-x", "facturx@acme.example", func(f file) bool { return bytes.Contains(f.Content, []byte("factur-x.xml")) }},
		{"peppol-bis-3", "peppol@acme.example", func(f file) bool { return !bytes.Contains(f.Content, []byte("factur-x.xml")) }},
	}
	for _, c := range cases {
		t.Run(c.format, func(t *testing.T) {
			client := w.s.Client(t, w.owner, w.ws, map[string]any{"name": "Client " + c.format, "email": c.address, "preferred_format": c.format})
			id, number := w.issued(t, client)
			if r := w.send(t, w.owner, id, nil); r.Status != 200 {
				t.Fatalf("send: %d %s", r.Status, r.Raw)
			}
			awaitStatus(t, w.s.App, "invoice_sent:"+id+":1", outbox.StatusSent)
			e := w.fake.await(t, "with the "+c.format+" e-invoice", to(c.address, number))
			if len(e.Attachments) != 1 || e.Attachments[0].Name != number+".pdf" ||
				!bytes.HasPrefix(e.Attachments[0].Content, []byte("%PDF-")) || !c.check(e.Attachments[0]) {
				t.Errorf("attachments: %v", names(e.Attachments))
			}
		})
	}
}

// A payment thanks the client by email in the same transaction, and an
// invoice that was sent stays sent while nothing is paid on it.
func TestPaymentReceived(t *testing.T) {
	w := newSendWorld(t)
	id, number := w.issued(t, w.client)
	w.send(t, w.owner, id, nil)
	pay := w.s.Create(t, w.owner, "payments", map[string]any{"invoice": id, "amount": "400"})
	e := w.fake.await(t, "of the payment", to("ap@acme.example", "Pago recibido de la factura "+number))
	if !strings.Contains(e.Text, "400,00\u00a0EUR") || !strings.Contains(e.Text, "Quedan 790,00\u00a0EUR pendientes") {
		t.Errorf("payment email:\n%s", e.Text)
	}
	message(t, w.s.App, "payment_received:"+pay.String("id"))
	if inv, _ := w.s.App.FindRecordById("invoices", id); inv.GetString("status") != "partially_paid" {
		t.Errorf("after a payment: %s", inv.GetString("status"))
	}
	w.s.Must(t, w.owner.Token, http.MethodDelete, "/api/collections/payments/records/"+pay.String("id"), nil)
	if inv, _ := w.s.App.FindRecordById("invoices", id); inv.GetString("status") != "sent" {
		t.Errorf("after the payment is deleted: %s, want sent", inv.GetString("status"))
	}

	// a refused payment writes no email
	before, _ := w.s.App.CountRecords(outbox.Collection)
	if r := w.s.Do(t, w.owner.Token, http.MethodPost, "/api/collections/payments/records", map[string]any{"invoice": id, "amount": "5000"}); r.Status != 400 {
		t.Errorf("overpayment: %d", r.Status)
	}
	if after, _ := w.s.App.CountRecords(outbox.Collection); after != before {
		t.Errorf("a refused payment queued %d emails", after-before)
	}
}

func names(files []file) []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f.Name
	}
	return out
}
