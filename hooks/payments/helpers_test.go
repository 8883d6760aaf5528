package payments_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/internal/testserver"
	"github.com/kontor-app/kontor/secret"
)

// world is Kontor with a workspace, its owner, a client and an issued
// invoice of 1190.00 EUR.
type world struct {
	s       *testserver.Server
	owner   testserver.User
	ws      string
	client  string
	invoice string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	s := testserver.NewWithEnv(t, map[string]string{"KONTOR_PUBLIC_URL": "https://kontor.example"})
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Nordlicht GmbH")
	client := s.Client(t, owner, ws, map[string]any{"email": "ap@acme.example"})
	w := &world{s: s, owner: owner, ws: ws, client: client}
	w.invoice = w.issued(t, "1000")
	return w
}

// issued issues an invoice of the net amount at 19 % VAT and returns its id.
func (w *world) issued(t *testing.T, net string) string {
	t.Helper()
	id := w.s.Draft(t, w.owner, w.ws, w.client, testserver.Line("Consulting", "1", net))
	if r := w.s.Issue(t, w.owner, id); r.Status != http.StatusOK {
		t.Fatalf("issue: %s", r.Raw)
	}
	return id
}

// token opens the sealed public link of an invoice with the server's key,
// as only the server can.
func (w *world) token(t *testing.T, invoice string) string {
	t.Helper()
	key, _, err := secret.LoadOrCreateKeyFile(filepath.Join(w.s.App.DataDir(), "encryption.key"))
	if err != nil {
		t.Fatal(err)
	}
	box, err := secret.NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	token, err := box.Open(w.record(t, "invoices", invoice).GetString("public_token"))
	if err != nil {
		t.Fatalf("the invoice's link: %v", err)
	}
	return string(token)
}

// account sets up the workspace's account at a provider.
func (w *world) account(t *testing.T, provider string, settings map[string]string) testserver.Response {
	t.Helper()
	return w.s.Create(t, w.owner, "payment_accounts", map[string]any{"workspace": w.ws, "provider": provider,
		"enabled": true, "settings": settings})
}

// link records a payment link as the pay route would, for an event to
// match.
func (w *world) link(t *testing.T, invoice, provider, paymentID, amount string) {
	t.Helper()
	c, err := w.s.App.FindCollectionByNameOrId("payment_links")
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(c)
	r.Set("workspace", w.ws)
	r.Set("invoice", invoice)
	r.Set("provider", provider)
	r.Set("provider_payment_id", paymentID)
	r.Set("url", "https://pay.example/"+paymentID)
	r.Set("amount", amount)
	r.Set("currency", "EUR")
	r.Set("status", "open")
	if err := w.s.App.Save(r); err != nil {
		t.Fatal(err)
	}
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

// deliver posts a webhook body with headers to the workspace's webhook
// route of the provider.
func (w *world) deliver(t *testing.T, provider string, body []byte, headers map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, w.s.URL+"/api/kontor/webhooks/payments/"+provider+"/"+w.ws, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(out)
}

// gocardlessSignature signs a body as GoCardless does.
func gocardlessSignature(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
