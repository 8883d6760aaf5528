package crm_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/internal/testserver"
)

// actor is someone who asks: a member of W1 with a role, the owner of W2
// (an outsider to W1) or a guest.
type actor struct {
	role string
	user testserver.User
}

// world is workspace W1 with one user of each role, and an outsider who
// owns workspace W2.
type world struct {
	s        *testserver.Server
	owner    testserver.User
	ws, w2   string
	actors   []actor
	outsider testserver.User
}

// newWorld starts Kontor with W1 (owner, admin, member, viewer) and W2.
func newWorld(t *testing.T) *world {
	t.Helper()
	s := testserver.New(t)
	w := &world{s: s, owner: s.SignUp(t, "owner@example.com")}
	w.ws = s.Workspace(t, w.owner, "Nordlicht GmbH")
	w.actors = append(w.actors, actor{"owner", w.owner}, actor{"guest", testserver.User{}})
	for _, role := range []string{"admin", "member", "viewer"} {
		u := s.SignUp(t, role+"@example.com")
		s.Create(t, w.owner, "memberships", map[string]any{"workspace": w.ws, "user": u.ID, "role": role})
		w.actors = append(w.actors, actor{role, u})
	}
	w.outsider = s.SignUp(t, "outsider@example.com")
	w.w2 = s.Workspace(t, w.outsider, "W2 Ltd")
	w.actors = append(w.actors, actor{"outsider", w.outsider})
	return w
}

// user is the W1 user of a role.
func (w *world) user(role string) testserver.User {
	for _, a := range w.actors {
		if a.role == role {
			return a.user
		}
	}
	panic("no actor " + role)
}

// stage is the id of W1's stage of that name.
func (w *world) stage(t *testing.T, name string) string {
	t.Helper()
	return w.stageOf(t, w.ws, name)
}

func (w *world) stageOf(t *testing.T, workspace, name string) string {
	t.Helper()
	r, err := w.s.App.FindFirstRecordByFilter("pipeline_stages", "workspace = {:w} && name = {:n}", dbx.Params{"w": workspace, "n": name})
	if err != nil {
		t.Fatalf("stage %s: %v", name, err)
	}
	return r.Id
}

// create makes a W1 record as the owner and returns its id.
func (w *world) create(t *testing.T, collection string, fields map[string]any) string {
	t.Helper()
	body := map[string]any{"workspace": w.ws}
	for k, v := range fields {
		body[k] = v
	}
	return w.s.Create(t, w.owner, collection, body).String("id")
}

// contact makes a W1 lead.
func (w *world) contact(t *testing.T, fields map[string]any) string {
	t.Helper()
	body := map[string]any{"first_name": "Ana", "last_name": "García"}
	for k, v := range fields {
		body[k] = v
	}
	return w.create(t, "contacts", body)
}

// deal makes a W1 deal in the stage of that name.
func (w *world) deal(t *testing.T, stage string, fields map[string]any) string {
	t.Helper()
	body := map[string]any{"title": "Website relaunch", "value": "12000.00", "stage": w.stage(t, stage)}
	for k, v := range fields {
		body[k] = v
	}
	return w.create(t, "deals", body)
}

// record reads a record as it is now.
func (w *world) record(t *testing.T, collection, id string) *core.Record {
	t.Helper()
	r, err := w.s.App.FindRecordById(collection, id)
	if err != nil {
		t.Fatalf("%s %s: %v", collection, id, err)
	}
	return r
}

// count counts the rows of a table that match the SQL condition.
func (w *world) count(t *testing.T, table, where string, params dbx.Params) int {
	t.Helper()
	var n int
	if err := w.s.App.DB().NewQuery("SELECT COUNT(*) FROM " + table + " WHERE " + where).Bind(params).Row(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// exec runs SQL directly on the database, as someone who bypasses Kontor.
func (w *world) exec(t *testing.T, sql string, params dbx.Params) {
	t.Helper()
	if _, err := w.s.App.DB().NewQuery(sql).Bind(params).Execute(); err != nil {
		t.Fatal(err)
	}
}

// signedProposal creates a proposal of W1 for the deal, sends it and has
// its buyer sign it.
func (w *world) signedProposal(t *testing.T, deal string) string {
	t.Helper()
	client := w.s.Client(t, w.owner, w.ws, map[string]any{"email": "buyer@acme.example"})
	id := w.s.Create(t, w.owner, "proposals", map[string]any{"workspace": w.ws, "client": client, "deal": deal,
		"title": "Offer", "lines": []any{testserver.Line("Work", "1", "1000")}}).String("id")
	link := w.s.Must(t, w.owner.Token, http.MethodPost, "/api/kontor/proposals/"+id+"/send", nil).String("public_url")
	form := url.Values{"name": {"Ana García"}, "email": {"ana@acme.example"}, "consent": {"yes"}}
	res, err := http.PostForm(w.s.URL+link[strings.Index(link, "/p/"):]+"/accept", form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if w.record(t, "proposals", id).GetString("status") != "signed" {
		t.Fatalf("the proposal was not signed: %d", res.StatusCode)
	}
	return id
}

// importForm is the form of an import request.
type importForm struct {
	workspace, entity, mapping, dryRun string
	csv                                string
}

// importCSV posts an import as the user and returns the answer.
func (w *world) importCSV(t *testing.T, u testserver.User, f importForm) testserver.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range map[string]string{"workspace": f.workspace, "entity": f.entity, "mapping": f.mapping, "dry_run": f.dryRun} {
		if v != "" {
			_ = mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", "import.csv")
	_, _ = io.WriteString(fw, f.csv)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, w.s.URL+"/api/kontor/crm/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if u.Token != "" {
		req.Header.Set("Authorization", u.Token)
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
