package billing_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/kontor-app/kontor/hooks/billing"
	"github.com/kontor-app/kontor/internal/stripemock"
	"github.com/kontor-app/kontor/internal/testserver"
)

const (
	// fixturePrice is the price of stripe-mock's canned subscription: the
	// pro plan's price in the tests.
	fixturePrice  = "price_1PgafmB7WZ01zgkW6dKueIc5"
	teamPrice     = "price_team_test"
	webhookSecret = "whsec_test_secret"
	publicURL     = "https://kontor.example"
)

// stripeEnv is the environment of a server billing through the fake.
func stripeEnv(apiBase string) map[string]string {
	return map[string]string{
		"KONTOR_STRIPE_SECRET_KEY":     "sk_test_123",
		"KONTOR_STRIPE_WEBHOOK_SECRET": webhookSecret,
		"KONTOR_STRIPE_API_BASE":       apiBase,
		"KONTOR_STRIPE_PRICE_PRO":      fixturePrice,
		"KONTOR_STRIPE_PRICE_TEAM":     teamPrice,
		"KONTOR_PUBLIC_URL":            publicURL,
		"KONTOR_VIES_URL":              "off",
	}
}

// newServer starts Kontor configured by env, billing included.
func newServer(t *testing.T, env map[string]string) *testserver.Server {
	t.Helper()
	return testserver.NewWithEnv(t, env)
}

// subscriptionPatch is the state a test gives a subscription in Stripe.
type subscriptionPatch struct {
	Status     string
	Price      string
	UnitAmount int64
	Currency   string
	Customer   string
	Workspace  string
	PeriodEnd  int64
}

// request is a call the server made to Stripe.
type request struct {
	Method, Path string
	Form         url.Values
	Idempotency  string
}

// fakeStripe is stripe-mock behind a thin proxy: every call goes to
// stripe-mock and its answer comes back as is, except that a subscription
// a test gave a state to is answered with that state (stripe-mock answers
// every id with the same canned subscription). It records the calls.
type fakeStripe struct {
	URL  string
	mock string

	mu       sync.Mutex
	subs     map[string]subscriptionPatch
	requests []request
}

func newFakeStripe(t *testing.T) *fakeStripe {
	t.Helper()
	f := &fakeStripe{mock: stripemock.Start(t), subs: map[string]subscriptionPatch{}}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

// SetSubscription makes Stripe hold the subscription in this state.
func (f *fakeStripe) SetSubscription(id string, p subscriptionPatch) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.subs[id] = p
}

// Requests returns the calls made so far to paths starting with prefix.
func (f *fakeStripe) Requests(method, prefix string) []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []request
	for _, r := range f.requests {
		if r.Method == method && strings.HasPrefix(r.Path, prefix) {
			out = append(out, r)
		}
	}
	return out
}

var subscriptionPath = regexp.MustCompile(`^/v1/subscriptions/([^/]+)$`)

func (f *fakeStripe) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	f.mu.Lock()
	f.requests = append(f.requests, request{Method: r.Method, Path: r.URL.Path, Form: form, Idempotency: r.Header.Get("Idempotency-Key")})
	f.mu.Unlock()

	req, _ := http.NewRequest(r.Method, f.mock+r.URL.RequestURI(), bytes.NewReader(body))
	req.Header = r.Header.Clone()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)

	if m := subscriptionPath.FindStringSubmatch(r.URL.Path); m != nil && r.Method == http.MethodGet && res.StatusCode == http.StatusOK {
		f.mu.Lock()
		p, ok := f.subs[m[1]]
		f.mu.Unlock()
		if ok {
			out = patchSubscription(out, p)
		}
	}
	for k, v := range res.Header {
		if k != "Content-Length" {
			w.Header()[k] = v
		}
	}
	w.WriteHeader(res.StatusCode)
	w.Write(out)
}

// patchSubscription writes the state into stripe-mock's subscription JSON.
func patchSubscription(raw []byte, p subscriptionPatch) []byte {
	var s map[string]any
	if err := json.Unmarshal(raw, &s); err != nil {
		return raw
	}
	s["status"] = p.Status
	if p.Customer != "" {
		s["customer"] = p.Customer
	}
	s["current_period_end"] = p.PeriodEnd
	s["metadata"] = map[string]any{"workspace": p.Workspace}
	if items, ok := s["items"].(map[string]any); ok {
		if data, ok := items["data"].([]any); ok && len(data) > 0 {
			item := data[0].(map[string]any)
			price := item["price"].(map[string]any)
			price["id"] = p.Price
			price["unit_amount"] = p.UnitAmount
			price["currency"] = p.Currency
		}
	}
	out, _ := json.Marshal(s)
	return out
}

// event is a Stripe event to deliver.
type event struct {
	ID, Type string
	Created  int64
	Object   map[string]any
	Previous map[string]any
}

// payload is the event's JSON, as Stripe sends it.
func (ev event) payload() []byte {
	data := map[string]any{"object": ev.Object}
	if ev.Previous != nil {
		data["previous_attributes"] = ev.Previous
	}
	raw, _ := json.Marshal(map[string]any{
		"id": ev.ID, "object": "event", "type": ev.Type, "created": ev.Created, "api_version": "2024-04-10",
		"livemode": false, "pending_webhooks": 1, "data": data,
	})
	return raw
}

// deliver sends the event to the webhook signed with the secret.
func deliver(t *testing.T, s *testserver.Server, ev event, secret string) testserver.Response {
	t.Helper()
	payload := ev.payload()
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: time.Now()})
	return post(t, s, payload, signed.Header)
}

// post sends a raw webhook body with the signature header.
func post(t *testing.T, s *testserver.Server, payload []byte, signature string) testserver.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/api/kontor/webhooks/stripe", bytes.NewReader(payload))
	req.Header.Set("Content-Type", "application/json")
	if signature != "" {
		req.Header.Set("Stripe-Signature", signature)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out := testserver.Response{Status: res.StatusCode, Header: res.Header}
	out.Raw, _ = io.ReadAll(res.Body)
	_ = json.Unmarshal(out.Raw, &out.Body)
	return out
}

// mustDeliver delivers the event and fails unless it is a 200.
func mustDeliver(t *testing.T, s *testserver.Server, ev event) testserver.Response {
	t.Helper()
	r := deliver(t, s, ev, webhookSecret)
	if r.Status != http.StatusOK {
		t.Fatalf("%s %s: %d %s", ev.Type, ev.ID, r.Status, r.Raw)
	}
	return r
}

// count counts the rows of a table that match the condition.
func count(t *testing.T, s *testserver.Server, table, where string, params dbx.Params) int {
	t.Helper()
	var n int
	q := "SELECT COUNT(*) FROM " + table
	if where != "" {
		q += " WHERE " + where
	}
	if err := s.App.DB().NewQuery(q).Bind(params).Row(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// conversions returns the payloads of the workspace's conversion messages
// (all when ws is "") by event name.
func conversions(t *testing.T, s *testserver.Server) map[string][]billing.Conversion {
	t.Helper()
	var rows []struct {
		Payload string `db:"payload"`
	}
	if err := s.App.DB().NewQuery("SELECT payload FROM outbox WHERE kind = 'conversion' ORDER BY created, id").All(&rows); err != nil {
		t.Fatal(err)
	}
	out := map[string][]billing.Conversion{}
	for _, r := range rows {
		var c billing.Conversion
		if err := json.Unmarshal([]byte(r.Payload), &c); err != nil {
			t.Fatal(err)
		}
		out[c.Event] = append(out[c.Event], c)
	}
	return out
}

// seedCustomer gives the workspace a Stripe customer, as its first
// checkout does.
func seedCustomer(t *testing.T, s *testserver.Server, ws, customer string) {
	t.Helper()
	c, err := s.App.FindCollectionByNameOrId(billing.Subscriptions)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(c)
	r.Set("workspace", ws)
	r.Set("plan", billing.Free)
	r.Set("stripe_customer_id", customer)
	if err := s.App.Save(r); err != nil {
		t.Fatal(err)
	}
}
