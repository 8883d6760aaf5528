package mail_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeKey is the API key the fake Resend takes.
const fakeKey = "re_test_kontor"

// step is how the fake answers one request.
type step int

const (
	accept       step = iota // sends the email and answers its id
	fail500                  // answers 500 and sends nothing
	dropBefore               // closes the connection and sends nothing
	dropAfter                // sends the email, then closes the connection: the answer is lost
	fail504After             // sends the email, then answers 504 as a proxy would: the answer is lost
	hangAfter                // sends the email, then answers nothing until the client gives up
)

// received is an email as the fake took it.
type received struct {
	ID, Key     string
	From        string
	To          []string
	ReplyTo     string
	Subject     string
	HTML, Text  string
	Attachments []file
}

// file is an attachment as the fake took it.
type file struct {
	Name, ContentType string
	Content           []byte
}

// fakeResend is an httptest server that speaks Resend's POST /emails the
// way resend-go calls it (JSON body, Bearer key, Idempotency-Key header),
// with Resend's idempotency: a key seen before with the same payload
// answers the first id and sends nothing; with another payload it is a
// 409 invalid_idempotent_request, and while the first request is still
// running a 409 concurrent_idempotent_requests.
type fakeResend struct {
	URL string

	mu       sync.Mutex
	behave   func(e received, attempt int) step // nil accepts everything
	requests int
	attempts map[string]int // requests by idempotency key
	sent     []received     // every email sent, once
	byKey    map[string]keyed
	running  map[string]bool
	replays  int // requests answered from an earlier one's key
	steps    map[step]int
}

type keyed struct {
	id, hash string
}

func newFakeResend(t *testing.T) *fakeResend {
	f := &fakeResend{attempts: map[string]int{}, byKey: map[string]keyed{}, running: map[string]bool{}, steps: map[step]int{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

func (f *fakeResend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/emails" {
		answer(w, http.StatusNotFound, "not_found", "The requested endpoint does not exist.")
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+fakeKey {
		answer(w, http.StatusUnauthorized, "validation_error", "API key is invalid")
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	e, err := decodeEmail(body)
	if err != nil {
		answer(w, http.StatusUnprocessableEntity, "validation_error", err.Error())
		return
	}
	key := r.Header.Get("Idempotency-Key")
	e.Key = key

	f.mu.Lock()
	f.requests++
	f.attempts[key]++
	s := accept
	if f.behave != nil {
		s = f.behave(e, f.attempts[key])
	}
	f.steps[s]++
	f.mu.Unlock()

	switch s {
	case fail500:
		answer(w, http.StatusInternalServerError, "application_error", "An unexpected error occurred.")
		return
	case dropBefore:
		drop(w)
		return
	}
	for _, to := range e.To {
		if !strings.Contains(to, "@") {
			answer(w, http.StatusUnprocessableEntity, "validation_error", "Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.")
			return
		}
	}

	sum := sha256.Sum256(body)
	hash := fmt.Sprintf("%x", sum)
	f.mu.Lock()
	if key != "" && f.running[key] {
		f.mu.Unlock()
		answer(w, http.StatusConflict, "concurrent_idempotent_requests", "Same idempotency key used while original request is still in progress.")
		return
	}
	var id string
	if prev, seen := f.byKey[key]; key != "" && seen {
		if prev.hash != hash {
			f.mu.Unlock()
			answer(w, http.StatusConflict, "invalid_idempotent_request", "Same idempotency key used with a different request payload.")
			return
		}
		id = prev.id
		f.replays++
	} else {
		id = fmt.Sprintf("em_%06d", len(f.sent)+1)
		e.ID = id
		f.sent = append(f.sent, e)
		if key != "" {
			f.byKey[key] = keyed{id: id, hash: hash}
		}
	}
	if key != "" {
		f.running[key] = true
		defer func() { f.mu.Lock(); delete(f.running, key); f.mu.Unlock() }()
	}
	f.mu.Unlock()

	switch s {
	case dropAfter:
		drop(w)
	case fail504After:
		answer(w, http.StatusGatewayTimeout, "gateway_timeout", "The upstream did not answer in time.")
	case hangAfter:
		select {
		case <-r.Context().Done():
		case <-time.After(30 * time.Second):
		}
	default:
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"id": id})
	}
}

// decodeEmail reads the JSON body resend-go sends; attachments' content is
// an array of bytes (resend-go) or base64 (other clients).
func decodeEmail(body []byte) (received, error) {
	var wire struct {
		From        string          `json:"from"`
		To          []string        `json:"to"`
		ReplyTo     json.RawMessage `json:"reply_to"`
		Subject     string          `json:"subject"`
		HTML        string          `json:"html"`
		Text        string          `json:"text"`
		Attachments []struct {
			Filename    string          `json:"filename"`
			ContentType string          `json:"content_type"`
			Content     json.RawMessage `json:"content"`
		} `json:"attachments"`
	}
	if err := json.Unmarshal(body, &wire); err != nil {
		return received{}, fmt.Errorf("the body is not JSON: %w", err)
	}
	if wire.From == "" || len(wire.To) == 0 || wire.Subject == "" || (wire.HTML == "" && wire.Text == "") {
		return received{}, fmt.Errorf("from, to, subject and html or text are required")
	}
	e := received{From: wire.From, To: wire.To, Subject: wire.Subject, HTML: wire.HTML, Text: wire.Text}
	_ = json.Unmarshal(wire.ReplyTo, &e.ReplyTo)
	for _, a := range wire.Attachments {
		f := file{Name: a.Filename, ContentType: a.ContentType}
		var bytes []int
		var b64 string
		switch {
		case json.Unmarshal(a.Content, &bytes) == nil:
			for _, b := range bytes {
				f.Content = append(f.Content, byte(b))
			}
		case json.Unmarshal(a.Content, &b64) == nil:
			f.Content, _ = base64.StdEncoding.DecodeString(b64)
		}
		e.Attachments = append(e.Attachments, f)
	}
	return e, nil
}

// answer writes an error the way Resend does.
func answer(w http.ResponseWriter, status int, name, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"statusCode": status, "name": name, "message": message})
}

// drop closes the connection without an answer.
func drop(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

// emails returns the emails sent so far.
func (f *fakeResend) emails() []received {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]received(nil), f.sent...)
}

// await waits until an email that matches has been sent and returns it.
func (f *fakeResend) await(t *testing.T, what string, match func(received) bool) received {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		for _, e := range f.emails() {
			if match(e) {
				return e
			}
		}
	}
	t.Fatalf("no email %s arrived at Resend; it has %d", what, len(f.emails()))
	return received{}
}

// to matches the emails to the address with a subject containing part.
func to(address, part string) func(received) bool {
	return func(e received) bool {
		return len(e.To) == 1 && e.To[0] == address && strings.Contains(e.Subject, part)
	}
}
