package assistant_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/internal/testserver"
	"github.com/kontor-app/kontor/plugins/firstparty"
	"github.com/kontor-app/kontor/plugins/host"
	"github.com/kontor-app/kontor/secret"
)

// TestMain lets the test binary serve the first-party plugins, as the
// server binary does: the host starts it again as "<binary> plugin NAME",
// so the anthropic and gemini plugins run out of process, as in
// production.
func TestMain(m *testing.M) {
	if host.RunCommand(os.Args[1:], firstparty.Plugins()) {
		return
	}
	os.Exit(m.Run())
}

// world is workspace W1 with an owner, an admin, a member and a viewer,
// and workspace W2 of an outsider.
type world struct {
	s                            *testserver.Server
	owner, admin, member, viewer testserver.User
	outsider                     testserver.User
	w1, w2                       string
	model                        *fakeModel
}

func newWorld(t *testing.T) *world {
	t.Helper()
	s := testserver.NewWithEnv(t, map[string]string{"KONTOR_VIES_URL": "off", "KONTOR_PLUGIN_TIMEOUT": "20s"})
	w := &world{s: s, owner: s.SignUp(t, "owner@example.com"), model: newFakeModel(t)}
	w.w1 = s.Workspace(t, w.owner, "Nordlicht GmbH")
	for role, u := range map[string]*testserver.User{"admin": &w.admin, "member": &w.member, "viewer": &w.viewer} {
		*u = s.SignUp(t, role+"@example.com")
		s.Create(t, w.owner, "memberships", map[string]any{"workspace": w.w1, "user": u.ID, "role": role})
	}
	w.outsider = s.SignUp(t, "outsider@example.com")
	w.w2 = s.Workspace(t, w.outsider, "Other Ltd")
	return w
}

// connect sets up W1's account at the fake Anthropic API, enabled.
func (w *world) connect(t *testing.T) string {
	t.Helper()
	return w.s.Create(t, w.owner, "assistant_accounts", map[string]any{"workspace": w.w1, "provider": "anthropic",
		"enabled": true, "api_key": "sk-ant-api03-secretkey-0123456789", "base_url": w.model.srv.URL}).String("id")
}

// create makes a record in a workspace as its owner, through the record
// API, and returns its id.
func (w *world) create(t *testing.T, owner testserver.User, collection string, fields map[string]any) string {
	t.Helper()
	return w.s.Create(t, owner, collection, fields).String("id")
}

// stage is the id of a workspace's stage of that name.
func (w *world) stage(t *testing.T, workspace, name string) string {
	t.Helper()
	r, err := w.s.App.FindFirstRecordByFilter("pipeline_stages", "workspace = {:w} && name = {:n}", dbx.Params{"w": workspace, "n": name})
	if err != nil {
		t.Fatalf("stage %s: %v", name, err)
	}
	return r.Id
}

// overdue issues an invoice of the client and moves its due date to the
// past.
func (w *world) overdue(t *testing.T, owner testserver.User, workspace, client string) string {
	t.Helper()
	id := w.s.Draft(t, owner, workspace, client, testserver.Line("Consulting", "1", "1000"))
	if r := w.s.Issue(t, owner, id); r.Status != http.StatusOK {
		t.Fatalf("issue: %s", r.Raw)
	}
	if _, err := w.s.App.DB().NewQuery("UPDATE invoices SET due_date = '2025-01-15' WHERE id = {:id}").Bind(dbx.Params{"id": id}).Execute(); err != nil {
		t.Fatal(err)
	}
	return id
}

// settings opens an account's sealed settings with the server's key, as
// only the server can.
func (w *world) settings(t *testing.T, account string) map[string]string {
	t.Helper()
	key, _, err := secret.LoadOrCreateKeyFile(filepath.Join(w.s.App.DataDir(), "encryption.key"))
	if err != nil {
		t.Fatal(err)
	}
	box, err := secret.NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := box.Open(w.record(t, "assistant_accounts", account).GetString("sealed_settings"))
	if err != nil {
		t.Fatalf("the account's settings: %v", err)
	}
	var out map[string]string
	if err := json.Unmarshal(plain, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// count counts the records of a collection that match.
func (w *world) count(t *testing.T, collection string, where dbx.Expression) int {
	t.Helper()
	var n int
	q := w.s.App.DB().Select("COUNT(*)").From(collection)
	if where != nil {
		q = q.Where(where)
	}
	if err := q.Row(&n); err != nil {
		t.Fatal(err)
	}
	return n
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

// event is a server-sent event of an answer.
type event struct {
	Name string
	Data map[string]any
}

// answer is the assistant's answer to a message: the HTTP status, and the
// events of the stream (or the JSON error).
type answer struct {
	Status int
	Events []event
	Body   map[string]any
	Raw    string
}

// of returns the events of a name.
func (a answer) of(name string) []event {
	var out []event
	for _, e := range a.Events {
		if e.Name == name {
			out = append(out, e)
		}
	}
	return out
}

// conversation is the id of the conversation the answer is in.
func (a answer) conversation() string {
	if c := a.of("conversation"); len(c) == 1 {
		s, _ := c[0].Data["id"].(string)
		return s
	}
	return ""
}

// ask posts a message as the user to a path of the assistant and reads
// the event stream to its end.
func (w *world) ask(t *testing.T, u testserver.User, path string, body map[string]any) answer {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, w.s.URL+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	if u.Token != "" {
		req.Header.Set("Authorization", u.Token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out := answer{Status: res.StatusCode}
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		b, _ := io.ReadAll(res.Body)
		out.Raw = string(b)
		_ = json.Unmarshal(b, &out.Body)
		return out
	}
	var all strings.Builder
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var cur event
	for sc.Scan() {
		line := sc.Text()
		all.WriteString(line + "\n")
		switch {
		case strings.HasPrefix(line, "event: "):
			cur.Name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &cur.Data); err != nil {
				t.Fatalf("event data is not JSON: %s", line)
			}
		case line == "":
			if cur.Name != "" {
				out.Events = append(out.Events, cur)
			}
			cur = event{}
		}
	}
	out.Raw = all.String()
	return out
}

// start asks the first message of a new conversation in W1.
func (w *world) start(t *testing.T, u testserver.User, text string) answer {
	t.Helper()
	return w.ask(t, u, "/api/kontor/assistant/conversations", map[string]any{"workspace": w.w1, "text": text})
}

// calls is a message the fake model answers with tool calls: one
// "call NAME ARGS" line per call.
func calls(lines ...string) string {
	return strings.Join(lines, "\n")
}

// call is one line of calls.
func call(name string, args map[string]any) string {
	raw, _ := json.Marshal(args)
	return "call " + name + " " + string(raw)
}

// fakeModel is an Anthropic Messages API that speaks its wire format: a
// user message of "call NAME ARGS" lines makes it call those tools; tool
// results make it answer "Done."; anything else "Hello.". With failStatus
// set it fails as Anthropic does. It keeps every request body.
type fakeModel struct {
	srv        *httptest.Server
	mu         sync.Mutex
	bodies     []string
	failStatus int
}

func newFakeModel(t *testing.T) *fakeModel {
	f := &fakeModel{}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// sent is every request body received so far, joined.
func (f *fakeModel) sent() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.bodies, "\n")
}

// requests is how many requests it received.
func (f *fakeModel) requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.bodies)
}

func (f *fakeModel) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.bodies = append(f.bodies, string(body))
	fail := f.failStatus
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.URL.Path == "/v1/messages" && r.Header.Get("x-api-key") == "":
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}`)
		return
	case strings.Contains(r.URL.Path, "enerateContent") && fail != 0:
		w.WriteHeader(fail)
		fmt.Fprintf(w, `{"error":{"code":%d,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}`, fail)
		return
	case fail == 529:
		w.WriteHeader(fail)
		io.WriteString(w, `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`)
		return
	case fail != 0:
		w.WriteHeader(fail)
		io.WriteString(w, `{"type":"error","error":{"type":"invalid_request_error","message":"model: claude-nonexistent is not a model"}}`)
		return
	}
	var req struct {
		Stream   bool `json:"stream"`
		Messages []struct {
			Role    string `json:"role"`
			Content []struct {
				Type string `json:"type"`
				Text string `json:"text"`
			} `json:"content"`
		} `json:"messages"`
	}
	_ = json.Unmarshal(body, &req)
	last := req.Messages[len(req.Messages)-1]
	var text string
	toolResults := false
	for _, b := range last.Content {
		if b.Type == "tool_result" {
			toolResults = true
		}
		if b.Type == "text" {
			text = b.Text
		}
	}
	type block = map[string]any
	content := []block{}
	stop := "end_turn"
	switch {
	case toolResults:
		content = append(content, block{"type": "text", "text": "Done."})
	case strings.HasPrefix(text, "call "):
		for i, line := range strings.Split(text, "\n") {
			name, args, _ := strings.Cut(strings.TrimPrefix(line, "call "), " ")
			content = append(content, block{"type": "tool_use", "id": fmt.Sprintf("toolu_%d", i), "name": name, "input": json.RawMessage(args)})
		}
		stop = "tool_use"
	default:
		content = append(content, block{"type": "text", "text": "Hello."})
	}
	if req.Stream {
		streamMessage(w, content, stop)
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
		"content": content, "stop_reason": stop, "usage": map[string]int{"input_tokens": 10, "output_tokens": 5}})
}

// streamMessage answers as the Messages API does with "stream": true:
// server-sent events, each flushed, the text in pieces of three bytes and
// each tool's input in two.
func streamMessage(w http.ResponseWriter, content []map[string]any, stop string) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	send := func(name string, data map[string]any) {
		data["type"] = name
		raw, _ := json.Marshal(data)
		fmt.Fprintf(w, "event: %s\ndata: %s\n\n", name, raw)
		w.(http.Flusher).Flush()
	}
	send("message_start", map[string]any{"message": map[string]any{"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
		"content": []any{}, "stop_reason": nil, "usage": map[string]int{"input_tokens": 10, "output_tokens": 1}}})
	for i, b := range content {
		switch b["type"] {
		case "text":
			send("content_block_start", map[string]any{"index": i, "content_block": map[string]any{"type": "text", "text": ""}})
			text := b["text"].(string)
			for len(text) > 0 {
				n := min(3, len(text))
				send("content_block_delta", map[string]any{"index": i, "delta": map[string]any{"type": "text_delta", "text": text[:n]}})
				text = text[n:]
			}
		case "tool_use":
			send("content_block_start", map[string]any{"index": i, "content_block": map[string]any{"type": "tool_use", "id": b["id"], "name": b["name"], "input": map[string]any{}}})
			input := string(b["input"].(json.RawMessage))
			for _, piece := range []string{input[:len(input)/2], input[len(input)/2:]} {
				send("content_block_delta", map[string]any{"index": i, "delta": map[string]any{"type": "input_json_delta", "partial_json": piece}})
			}
		}
		send("content_block_stop", map[string]any{"index": i})
	}
	send("message_delta", map[string]any{"delta": map[string]any{"stop_reason": stop, "stop_sequence": nil}, "usage": map[string]int{"output_tokens": 5}})
	send("message_stop", map[string]any{})
}
