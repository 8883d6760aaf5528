package calls_test

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/internal/testserver"
)

// publicURL is Kontor's public URL in the tests: what the webhook URLs
// start with, and what Twilio signs.
const publicURL = "https://kontor.example"

// The numbers of a call: the workspace's caller id, the owner's own phone
// and the contact's.
const (
	callerID   = "+4930901820"
	ownerPhone = "+4917612345678"
	anaPhone   = "+34600111222"
)

// Twilio and Telnyx credentials of the tests.
const (
	twilioSID   = "AC0123456789abcdef0123456789abcdef"
	twilioToken = "f00dcafe0123456789abcdef01234567"
	telnyxKey   = "KEY0190ABCDEF_test_secret_value"
	telnyxConn  = "1494404757140276705"
)

// world is Kontor with a workspace (owner, admin, member, viewer), a
// contact with a phone, and another workspace with its own owner.
type world struct {
	s        *testserver.Server
	ws       string
	owner    testserver.User
	users    map[string]testserver.User
	contact  string
	outsider testserver.User
	w2       string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	s := testserver.NewWithEnv(t, map[string]string{"KONTOR_PUBLIC_URL": publicURL})
	w := &world{s: s, owner: s.SignUp(t, "owner@example.com"), users: map[string]testserver.User{}}
	w.ws = s.Workspace(t, w.owner, "Nordlicht GmbH")
	w.users["owner"] = w.owner
	for _, role := range []string{"admin", "member", "viewer"} {
		u := s.SignUp(t, role+"@example.com")
		s.Create(t, w.owner, "memberships", map[string]any{"workspace": w.ws, "user": u.ID, "role": role})
		w.users[role] = u
	}
	w.contact = s.Create(t, w.owner, "contacts", map[string]any{"workspace": w.ws, "first_name": "Ana", "last_name": "García",
		"phone": "+34 600 111 222"}).String("id")
	s.Must(t, w.owner.Token, http.MethodPatch, "/api/collections/users/records/"+w.owner.ID, map[string]any{"phone": "+49 176 1234 5678"})
	w.outsider = s.SignUp(t, "outsider@example.com")
	w.w2 = s.Workspace(t, w.outsider, "W2 Ltd")
	return w
}

// twilioAccount sets up the workspace's Twilio account, its API at base.
func (w *world) twilioAccount(t *testing.T, base string) string {
	t.Helper()
	return w.s.Create(t, w.owner, "telephony_accounts", map[string]any{"workspace": w.ws, "provider": "twilio",
		"from": "+49 30 901820", "enabled": true,
		"settings": map[string]string{"account_sid": twilioSID, "auth_token": twilioToken, "base_url": base}}).String("id")
}

// telnyxAccount sets up the workspace's Telnyx account, its API at base,
// its webhooks signed by the key pair's private half.
func (w *world) telnyxAccount(t *testing.T, base string, key ed25519.PublicKey) string {
	t.Helper()
	return w.s.Create(t, w.owner, "telephony_accounts", map[string]any{"workspace": w.ws, "provider": "telnyx",
		"from": callerID, "enabled": true,
		"settings": map[string]string{"api_key": telnyxKey, "connection_id": telnyxConn, "base_url": base,
			"public_key": base64.StdEncoding.EncodeToString(key)}}).String("id")
}

// call calls the contact as the user.
func (w *world) call(t *testing.T, u testserver.User, contact string) testserver.Response {
	t.Helper()
	return w.s.Do(t, u.Token, http.MethodPost, "/api/kontor/contacts/"+contact+"/call", nil)
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

// count counts the rows of a table.
func (w *world) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := w.s.App.DB().NewQuery("SELECT COUNT(*) FROM " + table).Row(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// delivered is a webhook's answer.
type delivered struct {
	status      int
	contentType string
	body        string
}

// deliver posts a webhook to Kontor at the path and query (after the
// public URL).
func (w *world) deliver(t *testing.T, pathAndQuery, contentType string, body []byte, headers map[string]string) delivered {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, w.s.URL+pathAndQuery, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", contentType)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return delivered{res.StatusCode, res.Header.Get("Content-Type"), string(out)}
}

// twilioSignature signs a callback as Twilio does: the Base64 HMAC-SHA1,
// keyed with the auth token, of the full URL followed by each POST
// parameter's name and value, sorted by name.
func twilioSignature(token, fullURL string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	data := fullURL
	for _, k := range keys {
		for _, v := range form[k] {
			data += k + v
		}
	}
	mac := hmac.New(sha1.New, []byte(token))
	mac.Write([]byte(data))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// telnyxHeaders signs a webhook body as Telnyx does: Ed25519 over
// "{timestamp}|{body}".
func telnyxHeaders(key ed25519.PrivateKey, at time.Time, body []byte) map[string]string {
	ts := strconv.FormatInt(at.Unix(), 10)
	return map[string]string{
		"Telnyx-Signature-Ed25519": base64.StdEncoding.EncodeToString(ed25519.Sign(key, append([]byte(ts+"|"), body...))),
		"Telnyx-Timestamp":         ts,
	}
}

// seen is a request that reached a fake provider.
type seen struct {
	Method, Path, Authorization, ContentType string
	Body                                     string
}

// fakeAPI stands in for a provider's API: it records every request and
// answers each with the answer of its path (or the default).
type fakeAPI struct {
	*httptest.Server
	mu       sync.Mutex
	requests []seen
	answers  map[string]answer
	fallback answer
}

// answer is a fake provider's answer.
type answer struct {
	status int
	body   string
	header map[string]string
}

func newFakeAPI(t *testing.T, fallback answer) *fakeAPI {
	t.Helper()
	f := &fakeAPI{answers: map[string]answer{}, fallback: fallback}
	f.Server = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.requests = append(f.requests, seen{r.Method, r.URL.Path, r.Header.Get("Authorization"), r.Header.Get("Content-Type"), string(body)})
		a, ok := f.answers[r.URL.Path]
		f.mu.Unlock()
		if !ok {
			a = f.fallback
		}
		for k, v := range a.header {
			rw.Header().Set(k, v)
		}
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(a.status)
		_, _ = rw.Write([]byte(a.body))
	}))
	t.Cleanup(f.Close)
	return f
}

// seen returns the requests so far.
func (f *fakeAPI) seen() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.requests...)
}
