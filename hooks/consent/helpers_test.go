package consent_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/kontor-app/kontor/hooks/consent"
	"github.com/kontor-app/kontor/internal/testserver"
)

// server is Kontor with every capability, on a fresh data directory.
type server struct {
	app *tests.TestApp
	url string
}

// newServer starts Kontor.
func newServer(t *testing.T) *server {
	t.Helper()
	s := testserver.New(t)
	return &server{app: s.App, url: s.URL}
}

// reply is an answer of the server.
type reply struct {
	status  int
	body    map[string]any
	raw     []byte
	cookies []*http.Cookie // as set by the answer
	header  http.Header
}

// str is the text of a top-level string or a JSON value of the body.
func (r reply) str(key string) string {
	switch v := r.body[key].(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		out, _ := json.Marshal(v)
		return string(out)
	}
}

// setCookie is the cookie of that name the answer sets, nil if none.
func (r reply) setCookie(name string) *http.Cookie {
	for _, c := range r.cookies {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// rawSetCookie is the Set-Cookie header line of the cookie.
func (r reply) rawSetCookie(name string) string {
	for _, line := range r.header.Values("Set-Cookie") {
		if strings.HasPrefix(line, name+"=") {
			return line
		}
	}
	return ""
}

// browser is one browser: it keeps the cookies the server sets (whatever
// their Secure attribute: the tests speak plain HTTP) and, once signed in,
// a token.
type browser struct {
	s         *server
	consentID string
	jar       map[string]string
	token     string
	userAgent string
}

func (s *server) browser(consentID string) *browser {
	return &browser{s: s, consentID: consentID, jar: map[string]string{}, userAgent: "Mozilla/5.0 (kontor test)"}
}

// do sends a request with a JSON body (nil for none) and keeps the cookies
// the answer sets or expires.
func (b *browser) do(t *testing.T, method, path string, body any) reply {
	t.Helper()
	var reader io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		reader = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, b.s.url+path, reader)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if b.token != "" {
		req.Header.Set("Authorization", b.token)
	}
	req.Header.Set("User-Agent", b.userAgent)
	for name, value := range b.jar {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out := reply{status: res.StatusCode, cookies: res.Cookies(), header: res.Header}
	out.raw, _ = io.ReadAll(res.Body)
	_ = json.Unmarshal(out.raw, &out.body)
	for _, c := range out.cookies {
		if c.MaxAge < 0 {
			delete(b.jar, c.Name)
		} else {
			b.jar[c.Name] = c.Value
		}
	}
	return out
}

// decide posts a decision of the browser's banner.
func (b *browser) decide(t *testing.T, accepted ...string) reply {
	t.Helper()
	var rejected []string
	for _, c := range []string{consent.Analytics, consent.Advertising} {
		if !contains(accepted, c) {
			rejected = append(rejected, c)
		}
	}
	r := b.do(t, http.MethodPost, "/api/kontor/consent", map[string]any{
		"consent_id": b.consentID, "revision": 1, "language": "en",
		"accepted": append([]string{consent.Necessary}, accepted...), "rejected": rejected,
	})
	if r.status != http.StatusCreated {
		t.Fatalf("decision: %d %s", r.status, r.raw)
	}
	return r
}

// land posts a visit of landingURL.
func (b *browser) land(t *testing.T, landingURL, referrer string) reply {
	t.Helper()
	return b.do(t, http.MethodPost, "/api/kontor/touchpoints", map[string]any{
		"consent_id": b.consentID, "landing_url": landingURL, "referrer": referrer,
	})
}

const password = "correct horse battery"

// signUp creates a user from the browser (with its cookies) and signs the
// browser in; it returns the user's id.
func (b *browser) signUp(t *testing.T, email string) string {
	t.Helper()
	r := b.do(t, http.MethodPost, "/api/collections/users/records", map[string]any{
		"email": email, "password": password, "passwordConfirm": password, "name": email, "language": "en",
	})
	if r.status != http.StatusOK {
		t.Fatalf("sign-up: %d %s", r.status, r.raw)
	}
	b.signIn(t, email)
	return r.str("id")
}

func (b *browser) signIn(t *testing.T, email string) {
	t.Helper()
	r := b.do(t, http.MethodPost, "/api/collections/users/auth-with-password", map[string]any{"identity": email, "password": password})
	if r.status != http.StatusOK {
		t.Fatalf("sign-in: %d %s", r.status, r.raw)
	}
	b.token = r.str("token")
}

// superuser returns a superuser's token.
func (s *server) superuser(t *testing.T) string {
	t.Helper()
	col, err := s.app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		t.Fatal(err)
	}
	su := core.NewRecord(col)
	su.SetEmail("root@example.com")
	su.SetPassword(password)
	if err := s.app.Save(su); err != nil {
		t.Fatal(err)
	}
	token, err := su.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// records lists a collection's records matching where, oldest first.
func (s *server) records(t *testing.T, collection string, where dbx.Expression) []*core.Record {
	t.Helper()
	var out []*core.Record
	q := s.app.RecordQuery(collection).OrderBy("created", "rowid")
	if where != nil {
		q.AndWhere(where)
	}
	if err := q.All(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// count is the number of rows of a collection.
func (s *server) count(t *testing.T, collection string) int {
	t.Helper()
	return len(s.records(t, collection, nil))
}

// backdate sets when a record was created.
func (s *server) backdate(t *testing.T, collection, id string, created time.Time) {
	t.Helper()
	_, err := s.app.DB().Update(collection, dbx.Params{"created": created.UTC().Format("2006-01-02 15:04:05.000Z")},
		dbx.HashExp{"id": id}).Execute()
	if err != nil {
		t.Fatal(err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
