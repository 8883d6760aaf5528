package assistant_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
)

// TestProviderOutageDegradesWithAClearMessage runs the real first-party
// plugins, out of process through the host, against an API that is
// overloaded (Anthropic's 529, Gemini's 503) or rejects the request: the
// stream ends with an error event that says so, after the plugin's
// retries, and the user's message stays stored with no answer.
func TestProviderOutageDegradesWithAClearMessage(t *testing.T) {
	w := newWorld(t)
	account := w.connect(t)
	cases := []struct {
		provider string
		status   int
		attempts int
		want     string
	}{
		{"anthropic", 529, 3, "The assistant's provider (Anthropic Claude) is unavailable right now; try again in a few minutes."},
		{"gemini", 503, 3, "The assistant's provider (Google Gemini) is unavailable right now; try again in a few minutes."},
		{"anthropic", 400, 1, "Anthropic Claude rejected the request: model: claude-nonexistent is not a model"},
	}
	for _, c := range cases {
		t.Run(c.provider+"/"+strconv.Itoa(c.status), func(t *testing.T) {
			w.s.Must(t, w.owner.Token, http.MethodPatch, "/api/collections/assistant_accounts/records/"+account,
				map[string]any{"provider": c.provider, "model": "", "base_url": w.model.srv.URL})
			w.model.mu.Lock()
			w.model.failStatus = c.status
			w.model.mu.Unlock()
			before := w.model.requests()

			a := w.start(t, w.member, "Which invoices are overdue?")
			if a.Status != http.StatusOK {
				t.Fatalf("answer: %d %s", a.Status, a.Raw)
			}
			errs := a.of("error")
			if len(errs) != 1 || errs[0].Data["message"] != c.want {
				t.Fatalf("error events: %v\n%s", errs, a.Raw)
			}
			if len(a.of("message")) != 0 || a.Events[len(a.Events)-1].Name != "done" {
				t.Errorf("the stream:\n%s", a.Raw)
			}
			if got := w.model.requests() - before; got != c.attempts {
				t.Errorf("%d requests to the provider, want %d", got, c.attempts)
			}
			conv := a.conversation()
			if n := w.count(t, "assistant_messages", dbx.HashExp{"conversation": conv, "role": "user", "text": "Which invoices are overdue?"}); n != 1 {
				t.Errorf("the user's message is stored %d times", n)
			}
			if n := w.count(t, "assistant_messages", dbx.HashExp{"conversation": conv, "role": "assistant"}); n != 0 {
				t.Errorf("%d answers stored", n)
			}
		})
	}

	// back up, the same conversation goes on with its history
	w.model.mu.Lock()
	w.model.failStatus = 0
	w.model.mu.Unlock()
	w.s.Must(t, w.owner.Token, http.MethodPatch, "/api/collections/assistant_accounts/records/"+account, map[string]any{"provider": "anthropic"})
	first := w.start(t, w.member, "Hi")
	a := w.ask(t, w.member, "/api/kontor/assistant/conversations/"+first.conversation()+"/messages", map[string]any{"text": "Still there?"})
	if m := a.of("message"); len(m) != 1 || m[0].Data["text"] != "Hello." || a.conversation() != first.conversation() {
		t.Fatalf("after the outage:\n%s", a.Raw)
	}
	sent := w.model.sent()
	if last := sent[strings.LastIndex(sent, "\n")+1:]; !strings.Contains(last, `"Hi"`) || !strings.Contains(last, `"Still there?"`) ||
		strings.Contains(last, "secretkey") {
		t.Errorf("the history sent: %s", last)
	}
}
