package security_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/internal/testserver"
)

// password is the password testserver.SignUp gives users.
const password = "correct horse battery"

// behindProxy is the configuration of a Kontor behind a proxy on the
// loopback: the tests' requests come from 127.0.0.1, and X-Forwarded-For
// says which client each one stands for.
var behindProxy = map[string]string{"KONTOR_TRUSTED_PROXIES": "127.0.0.0/8"}

// server is Kontor for a test.
type server struct {
	*testserver.Server
}

func newServer(t *testing.T, env map[string]string) *server {
	t.Helper()
	return &server{testserver.NewWithEnv(t, env)}
}

// with merges maps of variables.
func with(envs ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, env := range envs {
		for k, v := range env {
			out[k] = v
		}
	}
	return out
}

// request sends a request with a JSON body (nil for none) and headers.
func (s *server) request(t *testing.T, method, path string, body any, headers map[string]string) testserver.Response {
	t.Helper()
	var reader io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		reader = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, s.URL+path, reader)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
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

// signIn signs in to users with a password, from the client ip (sent as
// X-Forwarded-For; "" sends none).
func (s *server) signIn(t *testing.T, identity, pass, ip string) testserver.Response {
	t.Helper()
	return s.signInTo(t, "users", identity, pass, ip)
}

func (s *server) signInTo(t *testing.T, collection, identity, pass, ip string) testserver.Response {
	t.Helper()
	headers := map[string]string{"User-Agent": "kontor-test/1.0"}
	if ip != "" {
		headers["X-Forwarded-For"] = ip
	}
	return s.request(t, http.MethodPost, "/api/collections/"+collection+"/auth-with-password",
		map[string]any{"identity": identity, "password": pass}, headers)
}

// superuser creates a superuser and returns their token.
func (s *server) superuser(t *testing.T, email string) string {
	t.Helper()
	col, err := s.App.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		t.Fatal(err)
	}
	su := core.NewRecord(col)
	su.SetEmail(email)
	su.SetPassword(password)
	if err := s.App.Save(su); err != nil {
		t.Fatal(err)
	}
	token, err := su.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// records lists a collection's records matching where (nil for all),
// oldest first.
func (s *server) records(t *testing.T, collection string, where dbx.Expression) []*core.Record {
	t.Helper()
	var out []*core.Record
	q := s.App.RecordQuery(collection).OrderBy("created", "rowid")
	if where != nil {
		q.AndWhere(where)
	}
	if err := q.All(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// set writes columns of a row directly, as time passing would.
func (s *server) set(t *testing.T, collection, id string, values dbx.Params) {
	t.Helper()
	if _, err := s.App.DB().Update(collection, values, dbx.HashExp{"id": id}).Execute(); err != nil {
		t.Fatal(err)
	}
}

// dbTime writes a time as PocketBase stores dates.
func dbTime(t time.Time) string {
	return t.UTC().Format("2006-01-02 15:04:05.000Z")
}
