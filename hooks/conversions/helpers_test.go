package conversions_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/kontor-app/kontor/hooks/conversions"
	"github.com/kontor-app/kontor/hooks/outbox"
	_ "github.com/kontor-app/kontor/pb_migrations"
)

// clock is a fake clock tests move by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// request is what a fake Google endpoint received.
type request struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	Body   []byte
}

// answer is what a fake Google endpoint says.
type answer struct {
	Status int
	Body   string
}

// fakeGoogle is Google's OAuth token endpoint, the Google Ads API and the
// GA4 collection endpoint in one test server. Each endpoint answers from
// its script, then with success.
type fakeGoogle struct {
	*httptest.Server
	mu      sync.Mutex
	got     map[string][]request // by endpoint: "token", "ads", "ga4"
	scripts map[string][]answer
	tokens  int
}

func newFakeGoogle(t *testing.T) *fakeGoogle {
	f := &fakeGoogle{got: map[string][]request{}, scripts: map[string][]answer{}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeGoogle) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var endpoint string
	switch {
	case r.URL.Path == "/token":
		endpoint = "token"
	case strings.HasSuffix(r.URL.Path, ":uploadClickConversions"):
		endpoint = "ads"
	case r.URL.Path == "/mp/collect":
		endpoint = "ga4"
	default:
		http.NotFound(w, r)
		return
	}
	f.mu.Lock()
	f.got[endpoint] = append(f.got[endpoint], request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body})
	a := answer{Status: http.StatusOK}
	if s := f.scripts[endpoint]; len(s) > 0 {
		a, f.scripts[endpoint] = s[0], s[1:]
	} else {
		switch endpoint {
		case "token":
			f.tokens++
			a.Body = fmt.Sprintf(`{"access_token":"ya29.token-%d","expires_in":3599,"scope":"https://www.googleapis.com/auth/adwords","token_type":"Bearer"}`, f.tokens)
		case "ads":
			a.Body = `{"results":[{"gclid":"x","conversionAction":"y","conversionDateTime":"z"}],"jobId":"42"}`
		case "ga4":
			a.Status = http.StatusNoContent
		}
	}
	f.mu.Unlock()
	if a.Body != "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(a.Status)
	_, _ = io.WriteString(w, a.Body)
}

// script makes the endpoint answer so, in order, before it succeeds.
func (f *fakeGoogle) script(endpoint string, answers ...answer) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scripts[endpoint] = append(f.scripts[endpoint], answers...)
}

// requests returns what the endpoint received.
func (f *fakeGoogle) requests(endpoint string) []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.got[endpoint]...)
}

// fakeConsent is the consent check: a user's uploads are allowed unless a
// reason is set for them; decide, when set, answers instead, given how
// many times the user was asked about so far (1 for the first).
type fakeConsent struct {
	mu      sync.Mutex
	reasons map[string]string
	asked   map[string]int
	decide  func(call int) (bool, string)
}

func newFakeConsent() *fakeConsent {
	return &fakeConsent{reasons: map[string]string{}, asked: map[string]int{}}
}

func (c *fakeConsent) Allowed(_ core.App, userID string) (bool, string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.asked[userID]++
	if c.decide != nil {
		ok, reason := c.decide(c.asked[userID])
		return ok, reason, nil
	}
	if r := c.reasons[userID]; r != "" {
		return false, r, nil
	}
	return true, "", nil
}

func (c *fakeConsent) set(userID, reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reasons[userID] = reason
}

// The consent check's answers in these tests, as hooks/consent words them.
const (
	withdrawn = "the user's latest decision rejected advertising cookies"
	objected  = "the user objected to the use of their data for attribution (GDPR art. 21)"
)

// world is an app with Kontor's schema, an outbox worker driven by hand and
// conversions registered on it.
type world struct {
	app     *tests.TestApp
	ob      *outbox.Worker
	clock   *clock
	google  *fakeGoogle
	consent *fakeConsent
}

// fullConfig sends to both destinations on the fake.
func fullConfig(f *fakeGoogle) conversions.Config {
	return conversions.Config{
		Ads: &conversions.AdsConfig{
			CustomerID: "1234567890", LoginCustomerID: "9876543210", DeveloperToken: "dev-token-123",
			ClientID: "client-id.apps.googleusercontent.com", ClientSecret: "client-secret", RefreshToken: "1//refresh-token",
			TokenURL: f.URL + "/token", APIBase: f.URL,
			ConversionActions: map[string]string{"registration": "111", "first_payment": "222", "plan_change": "333"},
		},
		GA4: &conversions.GA4Config{MeasurementID: "G-TEST123456", APISecret: "mp-secret", Endpoint: f.URL},
	}
}

// newWorld makes the world; edit, when given, changes the configuration
// before it is registered.
func newWorld(t *testing.T, edit func(*conversions.Config)) *world {
	t.Helper()
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Cleanup)
	addUserFields(t, app)
	w := &world{app: app, google: newFakeGoogle(t), consent: newFakeConsent(),
		// ahead of the real clock, which stamps new messages due now, by
		// more than any test takes to set up
		clock: &clock{now: time.Now().UTC().Add(10 * time.Minute).Truncate(time.Millisecond)}}
	w.ob = outbox.New(app, outbox.Config{BaseDelay: time.Minute, MaxDelay: time.Hour, Timeout: 10 * time.Second, Now: w.clock.Now})
	cfg := fullConfig(w.google)
	cfg.Allowed = w.consent.Allowed
	cfg.Now = w.clock.Now
	if edit != nil {
		edit(&cfg)
	}
	conversions.Register(app, w.ob, cfg)
	return w
}

// addUserFields gives users the hidden fields the consent migration adds
// (first_gclid, ga_client_id) when they are not there yet, and a phone.
func addUserFields(t *testing.T, app core.App) {
	t.Helper()
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"first_gclid", "ga_client_id", "phone"} {
		if users.Fields.GetByName(name) == nil {
			users.Fields.Add(&core.TextField{Name: name, Hidden: true})
		}
	}
	if err := app.Save(users); err != nil {
		t.Fatal(err)
	}
}

// user creates a user with the fields.
func (w *world) user(t *testing.T, email string, fields map[string]any) string {
	t.Helper()
	users, err := w.app.FindCollectionByNameOrId("users")
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(users)
	r.SetEmail(email)
	r.SetPassword("correct horse battery")
	for k, v := range fields {
		r.Set(k, v)
	}
	if err := w.app.Save(r); err != nil {
		t.Fatal(err)
	}
	return r.Id
}

// queue writes a conversion message as billing does, and returns its id.
func (w *world) queue(t *testing.T, key string, c conversions.Conversion) string {
	t.Helper()
	r, _, err := outbox.Enqueue(w.app, outbox.Message{Kind: conversions.Kind, Key: "conversion:" + key, Workspace: c.Workspace, Payload: c})
	if err != nil {
		t.Fatal(err)
	}
	return r.Id
}

// run carries out every message due now.
func (w *world) run(t *testing.T) {
	t.Helper()
	if _, err := w.ob.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// message returns the outbox message of the key.
func (w *world) message(t *testing.T, key string) *core.Record {
	t.Helper()
	r, err := w.app.FindFirstRecordByData(outbox.Collection, "idempotency_key", key)
	if err != nil {
		t.Fatalf("no outbox message %s: %v", key, err)
	}
	return r
}

// status checks a message's status and that its last error holds want.
func (w *world) status(t *testing.T, key, status, want string) *core.Record {
	t.Helper()
	r := w.message(t, key)
	if r.GetString("status") != status || !strings.Contains(r.GetString("last_error"), want) {
		t.Errorf("message %s is %s (%q) after %d attempts, want %s with %q", key, r.GetString("status"), r.GetString("last_error"),
			r.GetInt("attempts"), status, want)
	}
	return r
}

// kinds counts the outbox messages of each kind.
func (w *world) kinds(t *testing.T) map[string]int {
	t.Helper()
	rows := []struct {
		Kind string `db:"kind"`
		N    int    `db:"n"`
	}{}
	if err := w.app.DB().NewQuery("SELECT kind, COUNT(*) AS n FROM outbox GROUP BY kind").All(&rows); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, r := range rows {
		counts[r.Kind] = r.N
	}
	return counts
}

// pending is how many messages wait for another attempt.
func (w *world) pending(t *testing.T) int64 {
	t.Helper()
	n, err := w.app.CountRecords(outbox.Collection, dbx.HashExp{"status": outbox.StatusPending})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// body decodes a JSON request body.
func body(t *testing.T, raw []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("body %s: %v", raw, err)
	}
	return m
}

// fields compares got with want field by field, nested objects and arrays
// included: each differing, missing or unexpected field is an error of its
// own, named by its path.
func fields(t *testing.T, path string, got, want any) {
	t.Helper()
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			t.Errorf("%s = %#v, want an object", path, got)
			return
		}
		keys := map[string]bool{}
		for k := range w {
			keys[k] = true
		}
		for k := range g {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			gv, inGot := g[k]
			wv, inWant := w[k]
			switch {
			case !inGot:
				t.Errorf("%s.%s is missing, want %#v", path, k, wv)
			case !inWant:
				t.Errorf("%s.%s = %#v is not expected", path, k, gv)
			default:
				fields(t, path+"."+k, gv, wv)
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			t.Errorf("%s = %#v, want %d items", path, got, len(w))
			return
		}
		for i := range w {
			fields(t, fmt.Sprintf("%s[%d]", path, i), g[i], w[i])
		}
	default:
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", path, got, want)
		}
	}
}

// workspace creates a workspace.
func (w *world) workspace(t *testing.T, name string) string {
	t.Helper()
	c, err := w.app.FindCollectionByNameOrId("workspaces")
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(c)
	r.Set("name", name)
	if err := w.app.Save(r); err != nil {
		t.Fatal(err)
	}
	return r.Id
}

// parseForm decodes a form body into its fields (the first value of each).
func parseForm(raw []byte) (map[string]any, error) {
	values, err := url.ParseQuery(string(raw))
	form := map[string]any{}
	for k, v := range values {
		form[k] = v[0]
	}
	return form, err
}
