// Package testserver runs Kontor in-process for tests: a fresh data
// directory, every migration, every hook, and a real HTTP server, so tests
// speak to it exactly as a client does.
package testserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/kontor-app/kontor/hooks"
	_ "github.com/kontor-app/kontor/pb_migrations"
)

// Server is a running Kontor.
type Server struct {
	App *tests.TestApp
	URL string
}

// New starts Kontor on a fresh data directory; it stops when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	return NewWithEnv(t, nil)
}

// NewWithEnv starts Kontor configured by the KONTOR_* variables in env
// instead of the environment of the test process.
func NewWithEnv(t testing.TB, env map[string]string) *Server {
	t.Helper()
	app, err := tests.NewTestAppWithConfig(core.BaseAppConfig{DataDir: t.TempDir(), EncryptionEnv: "pb_test_env", DBConnect: hooks.DBConnect})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := hooks.ConfigFromEnv(func(name string) string {
		// tests send far more requests per second from 127.0.0.1 than any
		// client: the rate limiter is off unless a test turns it on
		if v, ok := env[name]; ok || name != "KONTOR_RATE_LIMIT" {
			return v
		}
		return "off"
	})
	if err != nil {
		t.Fatal(err)
	}
	hooks.Register(app, cfg)

	router, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	var handler http.Handler
	serve := &core.ServeEvent{App: app, Router: router}
	err = app.OnServe().Trigger(serve, func(e *core.ServeEvent) error {
		mux, err := e.Router.BuildMux()
		handler = mux
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(func() {
		srv.Close()
		app.Cleanup()
	})
	return &Server{App: app, URL: srv.URL}
}

// Response is an answer of the server, with its JSON body decoded.
type Response struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    []byte
}

// String is the text of a JSON value at a dotted path of the body, such as
// "totals.gross" or "data.lines.0.quantity.message".
func (r Response) String(path string) string {
	var v any = r.Body
	for _, key := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[key]
		case []any:
			var i int
			fmt.Sscan(key, &i)
			if i < 0 || i >= len(x) {
				return ""
			}
			v = x[i]
		default:
			return ""
		}
	}
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	default:
		out, _ := json.Marshal(x)
		return string(out)
	}
}

// Do sends a request with an optional JSON body as the user of token ("" for
// a guest).
func (s *Server) Do(t testing.TB, token, method, path string, body any) Response {
	t.Helper()
	var reader io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		reader = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, s.URL+path, reader)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out := Response{Status: res.StatusCode, Header: res.Header}
	out.Raw, _ = io.ReadAll(res.Body)
	_ = json.Unmarshal(out.Raw, &out.Body)
	return out
}

// Must sends a request and fails the test unless the answer is 2xx.
func (s *Server) Must(t testing.TB, token, method, path string, body any) Response {
	t.Helper()
	r := s.Do(t, token, method, path, body)
	if r.Status < 200 || r.Status > 299 {
		t.Fatalf("%s %s: %d %s", method, path, r.Status, r.Raw)
	}
	return r
}

// User is a signed-up user.
type User struct {
	ID, Email, Token string
}

// SignUp creates a user through the API and signs them in.
func (s *Server) SignUp(t testing.TB, email string) User {
	t.Helper()
	const password = "correct horse battery"
	r := s.Must(t, "", http.MethodPost, "/api/collections/users/records", map[string]any{
		"email": email, "password": password, "passwordConfirm": password, "name": email, "language": "en",
	})
	id := r.String("id")
	r = s.Must(t, "", http.MethodPost, "/api/collections/users/auth-with-password", map[string]any{
		"identity": email, "password": password,
	})
	return User{ID: id, Email: email, Token: r.String("token")}
}

// Create creates a record through the record API as the user and returns it.
func (s *Server) Create(t testing.TB, u User, collection string, body map[string]any) Response {
	t.Helper()
	return s.Must(t, u.Token, http.MethodPost, "/api/collections/"+collection+"/records", body)
}

// Workspace creates a workspace the user owns, complete enough to issue
// invoices (German seller with a VAT number), and returns its id.
func (s *Server) Workspace(t testing.TB, u User, name string) string {
	t.Helper()
	return s.Create(t, u, "workspaces", map[string]any{
		"name": name, "address_line": "Hauptstraße 1", "city": "Berlin", "postal_code": "10115",
		"country": "DE", "vat_id": "DE123456789", "iban": "DE89370400440532013000", "email": "billing@example.com",
	}).String("id")
}

// Client creates a client in the workspace and returns its id.
func (s *Server) Client(t testing.TB, u User, workspace string, fields map[string]any) string {
	t.Helper()
	body := map[string]any{"workspace": workspace, "name": "Acme SL", "country": "ES", "vat_id": "ESB12345678",
		"address_line": "Calle Mayor 5", "city": "Madrid", "postal_code": "28013"}
	for k, v := range fields {
		body[k] = v
	}
	return s.Create(t, u, "clients", body).String("id")
}

// Line is a standard-rated line: quantity × price at 19 % VAT.
func Line(description, quantity, price string) map[string]any {
	return map[string]any{"description": description, "quantity": quantity, "unit_price": price,
		"vat_category": "S", "vat_rate": "19"}
}

// Draft creates a draft invoice with the lines and returns its id.
func (s *Server) Draft(t testing.TB, u User, workspace, client string, lines ...map[string]any) string {
	t.Helper()
	return s.Create(t, u, "invoices", map[string]any{"workspace": workspace, "client": client, "lines": lines}).String("id")
}

// Issue issues an invoice and returns the answer, whatever it is.
func (s *Server) Issue(t testing.TB, u User, invoice string) Response {
	t.Helper()
	return s.Do(t, u.Token, http.MethodPost, "/api/kontor/invoices/"+invoice+"/issue", nil)
}
