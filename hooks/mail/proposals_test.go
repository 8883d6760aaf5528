package mail_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/internal/testserver"
)

// The buyer's email carries the proposal's public link, which the outbox
// keeps sealed; signing and declining tell the proposal's creator.
func TestProposalEmails(t *testing.T) {
	w := newSendWorld(t)
	id := w.s.Create(t, w.owner, "proposals", map[string]any{"workspace": w.ws, "client": w.client, "title": "Relaunch",
		"lines": []any{testserver.Line("Design", "10", "100")}}).String("id")
	link := w.s.Must(t, w.owner.Token, http.MethodPost, "/api/kontor/proposals/"+id+"/send", nil).String("public_url")

	queued := message(t, w.s.App, "proposal_sent:"+id+":1")
	if strings.Contains(queued.GetString("payload"), link) || strings.Contains(queued.GetString("summary"), link) {
		t.Fatal("the outbox shows the public link")
	}
	buyer := w.fake.await(t, "the proposal email", to("ap@acme.example", "Presupuesto"))
	if !strings.Contains(buyer.Text, link) || !strings.Contains(buyer.HTML, `href="`+link+`"`) {
		t.Fatalf("the buyer's email does not carry the link:\n%s", buyer.Text)
	}
	if strings.Contains(buyer.Text+buyer.HTML, "sealed-link.invalid") {
		t.Fatal("the placeholder of the sealed link was sent")
	}
	if !strings.Contains(buyer.From, "Nordlicht GmbH") || buyer.ReplyTo != "billing@example.com" {
		t.Fatalf("from %q reply-to %q", buyer.From, buyer.ReplyTo)
	}

	accept := url.Values{"name": {"Ana García"}, "email": {"ana@acme.example"}, "consent": {"yes"}}
	res, err := http.PostForm(w.s.URL+link[strings.Index(link, "/p/"):]+"/accept", accept)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	owner := w.fake.await(t, "the signed email", to("owner@example.com", "signed"))
	if !strings.Contains(owner.Text, "Ana García") || !strings.Contains(owner.Text, "/#/proposals/"+id) {
		t.Fatalf("the owner's email:\n%s", owner.Text)
	}
}
