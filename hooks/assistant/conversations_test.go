package assistant_test

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"github.com/kontor-app/kontor/hooks/privacy"
	"github.com/kontor-app/kontor/internal/testserver"
)

// TestConversationsBelongToTheirUser: a conversation and its messages are
// read, continued and deleted by their user only: other members of the
// workspace, other workspaces and guests see nothing (404, 401), bad input
// is a 400 that writes nothing, and deleting a conversation deletes its
// messages.
func TestConversationsBelongToTheirUser(t *testing.T) {
	w := newWorld(t)
	w.connect(t)
	a := w.start(t, w.member, "Hello there")
	conv := a.conversation()
	if a.Status != 200 || conv == "" || len(a.of("message")) != 1 {
		t.Fatalf("first message: %d %s", a.Status, a.Raw)
	}
	if got := w.record(t, "assistant_conversations", conv); got.GetString("title") != "Hello there" || got.GetString("user") != w.member.ID {
		t.Errorf("conversation: %v", got.PublicExport())
	}

	convPath := "/api/collections/assistant_conversations/records/" + conv
	msgsPath := "/api/collections/assistant_messages/records?filter=" + "conversation%3D%27" + conv + "%27"
	for _, c := range []struct {
		name string
		who  testserver.User
		sees bool
	}{{"the user", w.member, true}, {"the owner", w.owner, false}, {"another member", w.admin, false}, {"outsider", w.outsider, false}, {"guest", testserver.User{}, false}} {
		view := w.s.Do(t, c.who.Token, http.MethodGet, convPath, nil)
		msgs := w.s.Do(t, c.who.Token, http.MethodGet, msgsPath, nil)
		if (view.Status == 200) != c.sees || (!c.sees && view.Status != 404) || (msgs.String("totalItems") == "2") != c.sees {
			t.Errorf("%s reads the conversation: %d, messages %s", c.name, view.Status, msgs.String("totalItems"))
		}
		if c.sees {
			continue
		}
		want := 404
		if c.who.Token == "" {
			want = 401
		}
		if r := w.ask(t, c.who, "/api/kontor/assistant/conversations/"+conv+"/messages", map[string]any{"text": "Let me in"}); r.Status != want {
			t.Errorf("%s continues the conversation: %d %s", c.name, r.Status, r.Raw)
		}
		if r := w.s.Do(t, c.who.Token, http.MethodDelete, convPath, nil); r.Status != 404 {
			t.Errorf("%s deletes the conversation: %d", c.name, r.Status)
		}
	}
	if r := w.ask(t, w.outsider, "/api/kontor/assistant/conversations", map[string]any{"workspace": w.w1, "text": "Hi"}); r.Status != 404 {
		t.Errorf("an outsider starts a conversation in W1: %d %s", r.Status, r.Raw)
	}
	if r := w.ask(t, testserver.User{}, "/api/kontor/assistant/conversations", map[string]any{"workspace": w.w1, "text": "Hi"}); r.Status != 401 {
		t.Errorf("a guest starts a conversation: %d %s", r.Status, r.Raw)
	}
	// nobody writes the collections directly
	if r := w.s.Do(t, w.member.Token, http.MethodPost, "/api/collections/assistant_messages/records", map[string]any{"conversation": conv, "role": "assistant", "text": "forged"}); r.Status != 403 {
		t.Errorf("a forged message: %d %s", r.Status, r.Raw)
	}
	if w.count(t, "assistant_messages", dbx.HashExp{"conversation": conv}) != 2 || w.count(t, "assistant_conversations", nil) != 1 {
		t.Fatal("a refused request wrote")
	}

	// bad input
	for _, body := range []map[string]any{{"text": ""}, {"text": "   "}, {"text": 42}, {"text": strings.Repeat("x", 8001)}, {}} {
		r := w.ask(t, w.member, "/api/kontor/assistant/conversations/"+conv+"/messages", body)
		if r.Status != 400 || r.Body["data"].(map[string]any)["text"] == nil {
			t.Errorf("%v: %d %s", body, r.Status, r.Raw)
		}
	}
	if r := w.ask(t, w.member, "/api/kontor/assistant/conversations", map[string]any{"workspace": w.w1}); r.Status != 400 {
		t.Errorf("a new conversation without text: %d %s", r.Status, r.Raw)
	}
	if w.count(t, "assistant_messages", dbx.HashExp{"conversation": conv}) != 2 || w.count(t, "assistant_conversations", nil) != 1 {
		t.Fatal("bad input wrote")
	}

	// the user continues and deletes it, with its messages
	if r := w.ask(t, w.member, "/api/kontor/assistant/conversations/"+conv+"/messages", map[string]any{"text": "Again"}); len(r.of("message")) != 1 {
		t.Fatalf("next message: %s", r.Raw)
	}
	list := w.s.Must(t, w.member.Token, http.MethodGet, "/api/collections/assistant_conversations/records?sort=-updated", nil)
	if list.String("totalItems") != "1" || list.String("items.0.id") != conv {
		t.Errorf("the user's conversations: %s", list.Raw)
	}
	w.s.Must(t, w.member.Token, http.MethodDelete, convPath, nil)
	if n := w.count(t, "assistant_messages", nil); n != 0 {
		t.Errorf("%d messages outlived their conversation", n)
	}
}

// TestConversationsInTheExportAndGoneWithTheAccount: the user's
// conversations and messages are in their GDPR export archive, and
// anonymising the account deletes them, leaving other users' alone.
func TestConversationsInTheExportAndGoneWithTheAccount(t *testing.T) {
	w := newWorld(t)
	w.connect(t)
	mine := w.start(t, w.member, "What is my pipeline worth?").conversation()
	others := w.start(t, w.viewer, "Viewer's own question").conversation()

	r := w.s.Must(t, w.member.Token, http.MethodPost, "/api/kontor/privacy/requests", map[string]any{"type": "access"})
	id := r.String("id")
	deadline := time.Now().Add(60 * time.Second)
	for w.record(t, "privacy_requests", id).GetString("status") != "ready" {
		if time.Now().After(deadline) {
			t.Fatal("the export was not ready in time")
		}
		time.Sleep(50 * time.Millisecond)
	}
	dl := w.s.Do(t, w.member.Token, http.MethodGet, "/api/kontor/privacy/requests/"+id+"/export", nil)
	if dl.Status != 200 {
		t.Fatalf("download: %d", dl.Status)
	}
	zr, err := zip.NewReader(bytes.NewReader(dl.Raw), int64(len(dl.Raw)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[f.Name] = string(b)
	}
	if c := files["assistant_conversations.json"]; !strings.Contains(c, mine) || strings.Contains(c, others) {
		t.Errorf("assistant_conversations.json: %s", c)
	}
	if m := files["assistant_messages.json"]; !strings.Contains(m, "What is my pipeline worth?") || !strings.Contains(m, "Hello.") || strings.Contains(m, "Viewer's own question") {
		t.Errorf("assistant_messages.json: %s", m)
	}

	if err := privacy.Anonymise(w.s.App, w.member.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if n := w.count(t, "assistant_conversations", dbx.HashExp{"user": w.member.ID}); n != 0 {
		t.Errorf("%d conversations outlived the account", n)
	}
	if n := w.count(t, "assistant_messages", dbx.HashExp{"conversation": mine}); n != 0 {
		t.Errorf("%d messages outlived the account", n)
	}
	if n := w.count(t, "assistant_messages", dbx.HashExp{"conversation": others}); n != 2 {
		t.Errorf("another user's conversation has %d messages left", n)
	}
}
