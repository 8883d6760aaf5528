package security_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"

	"github.com/kontor-app/kontor/hooks/outbox"
	"github.com/kontor-app/kontor/hooks/security"
	"github.com/kontor-app/kontor/internal/testserver"
	"github.com/kontor-app/kontor/secret"
)

var (
	oldKey = bytes.Repeat([]byte{0x11}, secret.KeySize)
	newKey = bytes.Repeat([]byte{0x22}, secret.KeySize)
)

// fields are the sealed fields of Kontor (hooks/secrets.go).
var fields = []security.SealedField{
	{Collection: "payment_accounts", Field: "sealed_settings"},
	{Collection: "invoices", Field: "public_token"},
	{Collection: "outbox", Field: "payload", JSONKey: "sealed_link"},
}

// Rotation re-encrypts every sealed value (under an older key, or in the
// first format) under the newest key, leaves the values themselves and
// everything else as they were, reports counts, and reseals nothing when
// run again.
func TestRotate(t *testing.T) {
	s := newServer(t, map[string]string{"KONTOR_ENCRYPTION_KEYS": "old:" + base64.StdEncoding.EncodeToString(oldKey)})
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Nordlicht GmbH")
	client := s.Client(t, owner, ws, nil)
	var invoices []string
	for range 2 {
		id := s.Draft(t, owner, ws, client, testserver.Line("Consulting", "1", "100"))
		if r := s.Issue(t, owner, id); r.Status != http.StatusOK {
			t.Fatalf("issue: %s", r.Raw)
		}
		invoices = append(invoices, id)
	}
	account := s.Create(t, owner, "payment_accounts", map[string]any{"workspace": ws, "provider": "stripe", "enabled": true,
		"settings": map[string]string{"secret_key": "sk_test_4eC39HqLyjWDarjtT1zdp7dc"}}).String("id")

	old, _ := secret.NewRing(secret.Key{ID: "old", Secret: oldKey})
	// an invoice link sealed in the first format, before key ids
	first, err := s.App.FindRecordById("invoices", invoices[1])
	if err != nil {
		t.Fatal(err)
	}
	token, err := old.Open(first.GetString("public_token"))
	if err != nil {
		t.Fatal(err)
	}
	s.setField(t, "invoices", invoices[1], "public_token", sealV1(t, oldKey, token))
	// a queued email with a secret link, and one without
	if _, _, err := outbox.Enqueue(s.App, outbox.Message{Kind: "test", Key: "with-link", Payload: map[string]any{
		"to": []string{"buyer@example.com"}, "html": "<p>…</p>", "sealed_link": old.Seal([]byte("https://kontor.example/p/secret"))}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := outbox.Enqueue(s.App, outbox.Message{Kind: "test", Key: "without-link", Payload: map[string]any{"to": []string{"x@example.com"}}}); err != nil {
		t.Fatal(err)
	}
	before := s.snapshot(t)

	ring, _ := secret.NewRing(secret.Key{ID: "new", Secret: newKey}, secret.Key{ID: "old", Secret: oldKey})
	want := map[string][2]int{ // resealed, current
		"payment_accounts.sealed_settings": {1, 0}, "invoices.public_token": {2, 0}, "outbox.payload.sealed_link": {1, 0},
	}
	for run := 0; run < 2; run++ {
		done, err := security.Rotate(s.App, ring, fields)
		if err != nil || len(done) != 3 {
			t.Fatalf("run %d: %v, %v", run, done, err)
		}
		for _, r := range done {
			w := want[r.Name]
			if run == 1 {
				w = [2]int{0, w[0] + w[1]}
			}
			if r.Resealed != w[0] || r.Current != w[1] {
				t.Errorf("run %d, %s: resealed %d, current %d; want %v", run, r.Name, r.Resealed, r.Current, w)
			}
		}
	}

	// the newest key alone opens everything, to the same values
	only, _ := secret.NewRing(secret.Key{ID: "new", Secret: newKey})
	after := s.snapshot(t)
	for name, sealed := range after {
		if !strings.HasPrefix(sealed, "v2.new.") {
			t.Errorf("%s is still %q", name, sealed)
			continue
		}
		got, err := only.Open(sealed)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		was, err := ring.Open(before[name])
		if err != nil || !bytes.Equal(got, was) {
			t.Errorf("%s: %q, was %q (%v)", name, got, was, err)
		}
	}
	for _, id := range invoices {
		inv, _ := s.App.FindRecordById("invoices", id)
		tok, _ := only.Open(inv.GetString("public_token"))
		sum := sha256.Sum256(tok)
		if hex.EncodeToString(sum[:]) != inv.GetString("public_token_hash") || inv.GetString("status") == "draft" {
			t.Errorf("invoice %s: the link no longer matches its hash", id)
		}
	}
	acc, _ := s.App.FindRecordById("payment_accounts", account)
	settings, _ := only.Open(acc.GetString("sealed_settings"))
	if !strings.Contains(string(settings), "sk_test_4eC39HqLyjWDarjtT1zdp7dc") {
		t.Errorf("settings %s", settings)
	}
	mail, _ := s.App.FindFirstRecordByData("outbox", "idempotency_key", "with-link")
	var payload map[string]any
	if err := json.Unmarshal([]byte(mail.GetString("payload")), &payload); err != nil || payload["html"] != "<p>…</p>" {
		t.Errorf("the email's other fields: %v %v", payload, err)
	}
}

// A value that does not open (altered, or under a key missing from the
// ring) stops the rotation of its collection with an error naming the
// record, and that collection is left as it was.
func TestRotateRefusesTampered(t *testing.T) {
	s := newServer(t, map[string]string{"KONTOR_ENCRYPTION_KEYS": "old:" + base64.StdEncoding.EncodeToString(oldKey)})
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Nordlicht GmbH")
	client := s.Client(t, owner, ws, nil)
	var ids []string
	for range 2 {
		id := s.Draft(t, owner, ws, client, testserver.Line("Consulting", "1", "100"))
		s.Issue(t, owner, id)
		ids = append(ids, id)
	}
	inv, _ := s.App.FindRecordById("invoices", ids[1])
	sealed := []byte(inv.GetString("public_token"))
	sealed[len(sealed)-2] ^= 0x01
	s.setField(t, "invoices", ids[1], "public_token", string(sealed))
	before := s.snapshot(t)

	ring, _ := secret.NewRing(secret.Key{ID: "new", Secret: newKey}, secret.Key{ID: "old", Secret: oldKey})
	_, err := security.Rotate(s.App, ring, fields)
	if err == nil || !strings.Contains(err.Error(), ids[1]) || !strings.Contains(err.Error(), "invoices.public_token") {
		t.Fatalf("err = %v", err)
	}
	for name, v := range s.snapshot(t) {
		if strings.HasPrefix(name, "invoices") && before[name] != v {
			t.Errorf("%s changed although the rotation failed", name)
		}
	}

	// the command reports the same
	cmd := security.RotateCommand(s.App, func() (*secret.Box, error) { return ring, nil }, fields)
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs([]string{"rotate"})
	if err := cmd.Execute(); err == nil || !strings.Contains(out.String(), "Newest key: new (ring: new, old)") {
		t.Errorf("command: %v\n%s", err, out.String())
	}
}

// The command re-encrypts and prints what it did.
func TestRotateCommand(t *testing.T) {
	s := newServer(t, nil)
	old, _ := secret.NewRing(secret.Key{ID: "old", Secret: oldKey})
	if _, _, err := outbox.Enqueue(s.App, outbox.Message{Kind: "test", Key: "k", Payload: map[string]any{"sealed_link": old.Seal([]byte("x"))}}); err != nil {
		t.Fatal(err)
	}
	ring, _ := secret.NewRing(secret.Key{ID: "new", Secret: newKey}, secret.Key{ID: "old", Secret: oldKey})
	for _, want := range []string{"resealed 1, already current 0", "resealed 0, already current 1"} {
		cmd := security.RotateCommand(s.App, func() (*secret.Box, error) { return ring, nil }, fields)
		var out bytes.Buffer
		cmd.SetOut(&out)
		cmd.SetArgs([]string{"rotate"})
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "outbox.payload.sealed_link") || !strings.Contains(out.String(), want) {
			t.Errorf("output:\n%s\nwant %q", out.String(), want)
		}
	}
}

// snapshot reads every sealed value, by collection, field and record.
func (s *server) snapshot(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range fields {
		var rows []struct {
			ID    string `db:"id"`
			Value string `db:"value"`
		}
		if err := s.App.DB().Select("id", f.Field+" AS value").From(f.Collection).All(&rows); err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			v := r.Value
			if f.JSONKey != "" {
				var obj map[string]any
				_ = json.Unmarshal([]byte(v), &obj)
				v, _ = obj[f.JSONKey].(string)
			}
			if v != "" {
				out[f.String()+"/"+r.ID] = v
			}
		}
	}
	return out
}

// setField writes a column directly.
func (s *server) setField(t *testing.T, collection, id, field, value string) {
	t.Helper()
	s.set(t, collection, id, dbx.Params{field: value})
}

// A superuser rotates through the API, with the server's own ring; nobody
// else may.
func TestRotateRoute(t *testing.T) {
	ring := "KONTOR_ENCRYPTION_KEYS"
	s := newServer(t, map[string]string{ring: "new:" + base64.StdEncoding.EncodeToString(newKey) + ",old:" + base64.StdEncoding.EncodeToString(oldKey)})
	old, _ := secret.NewRing(secret.Key{ID: "old", Secret: oldKey})
	if _, _, err := outbox.Enqueue(s.App, outbox.Message{Kind: "test", Key: "k", Payload: map[string]any{"sealed_link": old.Seal([]byte("x"))}}); err != nil {
		t.Fatal(err)
	}
	user := s.SignUp(t, "ada@example.com")
	root := s.superuser(t, "root@example.com")
	const path = "/api/kontor/security/encryption/rotate"
	cases := []struct {
		name, token string
		status      int
		resealed    string
	}{
		{"guest", "", http.StatusUnauthorized, ""},
		{"user", user.Token, http.StatusForbidden, ""},
		{"superuser", root, http.StatusOK, "1"},
		{"again", root, http.StatusOK, "0"},
	}
	for _, c := range cases {
		r := s.Do(t, c.token, http.MethodPost, path, nil)
		if r.Status != c.status {
			t.Fatalf("%s: %d %s", c.name, r.Status, r.Raw)
		}
		if c.resealed != "" && (r.String("key") != "new" || r.String("fields.2.field") != "outbox.payload.sealed_link" || r.String("fields.2.resealed") != c.resealed) {
			t.Errorf("%s: %s", c.name, r.Raw)
		}
	}
}
