package proposals_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/internal/testserver"
)

// world is Kontor with a workspace, its owner and a client.
type world struct {
	s      *testserver.Server
	owner  testserver.User
	ws     string
	client string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	s := testserver.New(t)
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Nordlicht GmbH")
	client := s.Client(t, owner, ws, map[string]any{"email": "buyer@acme.example"})
	return &world{s: s, owner: owner, ws: ws, client: client}
}

// line is a standard-rated line at 19 % VAT; optional makes it an optional
// line, not included unless the buyer ticks it.
func line(description, quantity, price string, optional bool) map[string]any {
	l := testserver.Line(description, quantity, price)
	if optional {
		l["optional"] = true
	}
	return l
}

// draft creates a proposal with the lines as the owner and returns its id.
func (w *world) draft(t *testing.T, lines ...map[string]any) string {
	t.Helper()
	return w.s.Create(t, w.owner, "proposals", map[string]any{
		"workspace": w.ws, "client": w.client, "title": "Website relaunch", "intro": "Dear Ana,\n\nhere is our offer.",
		"terms": "50 % on signing.", "lines": lines,
	}).String("id")
}

// send sends the proposal and returns the answer.
func (w *world) send(t *testing.T, id string) testserver.Response {
	t.Helper()
	return w.s.Must(t, w.owner.Token, http.MethodPost, "/api/kontor/proposals/"+id+"/send", nil)
}

// token is the secret of a public URL.
func token(publicURL string) string {
	return publicURL[strings.LastIndex(publicURL, "/")+1:]
}

// page is an answer of a public page.
type page struct {
	status int
	body   string
}

// get opens a public page as a browser would.
func (w *world) get(t *testing.T, path string) page {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, w.s.URL+path, nil)
	req.Header.Set("User-Agent", "Mozilla/5.0 (buyer)")
	return do(t, req)
}

// post posts a public form; redirects are not followed.
func (w *world) post(t *testing.T, path string, form url.Values) page {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, w.s.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "Mozilla/5.0 (buyer)")
	return do(t, req)
}

func do(t *testing.T, req *http.Request) page {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return page{status: res.StatusCode, body: string(body)}
}

// accept signs through the public form, with the optional lines ticked.
func (w *world) accept(t *testing.T, tok string, included ...string) page {
	t.Helper()
	return w.post(t, "/p/"+tok+"/accept", url.Values{"name": {"Ana García"}, "email": {"ana@acme.example"},
		"consent": {"yes"}, "included": included})
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

// events lists the types of a proposal's events, in order.
func (w *world) events(t *testing.T, id string) []string {
	t.Helper()
	records, err := w.s.App.FindRecordsByFilter("proposal_events", "proposal = {:p}", "seq", 0, 0, dbx.Params{"p": id})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(records))
	for i, r := range records {
		out[i] = r.GetString("type")
	}
	return out
}

// exec runs SQL directly on the database, as someone who bypasses Kontor.
func (w *world) exec(t *testing.T, sql string, params dbx.Params) {
	t.Helper()
	if _, err := w.s.App.DB().NewQuery(sql).Bind(params).Execute(); err != nil {
		t.Fatal(err)
	}
}

// verify asks the verify route as the owner.
func (w *world) verify(t *testing.T, id string) testserver.Response {
	t.Helper()
	return w.s.Must(t, w.owner.Token, http.MethodGet, "/api/kontor/proposals/"+id+"/verify", nil)
}
