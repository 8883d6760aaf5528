package privacy_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/internal/testserver"
)

// seeded is a user with a bit of everything: a workspace they own with a
// client, an issued invoice with its PDF and e-invoice, a payment, a
// proposal with its audit trail, cookie decisions, touchpoints and
// access-log entries.
type seeded struct {
	user                              testserver.User
	workspace, client, invoice, quote string
}

func seed(t *testing.T, s *testserver.Server, email, clientName string) seeded {
	t.Helper()
	u := s.SignUp(t, email)
	ws := s.Workspace(t, u, "Workspace of "+email)
	client := s.Client(t, u, ws, map[string]any{"name": clientName, "email": "ap@" + strings.ReplaceAll(clientName, " ", "") + ".example",
		"preferred_format": "factur-x"})
	invoice := s.Draft(t, u, ws, client, testserver.Line("Design", "3", "400"))
	if r := s.Issue(t, u, invoice); r.Status != http.StatusOK {
		t.Fatalf("issue: %d %s", r.Status, r.Raw)
	}
	s.Create(t, u, "payments", map[string]any{"invoice": invoice, "amount": "100.00", "method": "bank_transfer"})
	quote := s.Create(t, u, "proposals", map[string]any{"workspace": ws, "client": client, "title": "Offer for " + clientName,
		"lines": []any{testserver.Line("Work", "1", "100")}}).String("id")
	s.Must(t, u.Token, http.MethodPost, "/api/kontor/consent", map[string]any{
		"consent_id": "consent-" + u.ID, "revision": 1, "language": "en",
		"accepted": []string{"necessary", "advertising"}, "rejected": []string{"analytics"}})
	tps, err := s.App.FindCollectionByNameOrId("touchpoints")
	if err != nil {
		t.Fatal(err)
	}
	tp := core.NewRecord(tps)
	tp.Set("visitor_id", "visitor-"+u.ID)
	tp.Set("consent_id", "consent-"+u.ID)
	tp.Set("user", u.ID)
	tp.Set("utm_source", "newsletter-"+u.ID)
	if err := s.App.Save(tp); err != nil {
		t.Fatal(err)
	}
	// a read of the client, which the access log records
	s.Must(t, u.Token, http.MethodGet, "/api/collections/clients/records/"+client, nil)
	// the PDF is stored by the time it is first downloaded
	s.Must(t, u.Token, http.MethodGet, "/api/kontor/invoices/"+invoice+"/pdf", nil)
	if count(t, s.App, "invoice_pdfs", dbx.HashExp{"invoice": invoice}) != 1 {
		t.Fatal("the invoice's PDF is not stored")
	}
	return seeded{user: u, workspace: ws, client: client, invoice: invoice, quote: quote}
}

// The export holds every category of data about the user and their
// workspace, as JSON and CSV with the stored files, is downloaded once by
// that user only, and holds nothing of another user.
func TestExportContainsEverythingAboutTheUserAndNothingElse(t *testing.T) {
	s := newServer(t)
	ada := seed(t, s, "ada@example.com", "Acme Iberia")
	bob := seed(t, s, "bob@example.com", "Bobs Buyer")

	r := request(t, s, ada.user, "access", "")
	if r.Status != http.StatusCreated || r.String("status") != "processing" {
		t.Fatalf("access request: %d %s", r.Status, r.Raw)
	}
	id := r.String("id")
	if again := request(t, s, ada.user, "access", ""); again.Status != http.StatusBadRequest || again.String("data.type.message") == "" {
		t.Fatalf("a second export while one is prepared: %d %s", again.Status, again.Raw)
	}
	waitFor(t, "the archive", func() bool { return record(t, s.App, "privacy_requests", id).GetString("status") == "ready" })

	// the request's record never shows the archive's file
	view := s.Must(t, ada.user.Token, http.MethodGet, "/api/collections/privacy_requests/records/"+id, nil)
	if _, shown := view.Body["export"]; shown {
		t.Fatalf("the record API shows the archive: %s", view.Raw)
	}

	path := "/api/kontor/privacy/requests/" + id + "/export"
	if got := s.Do(t, "", http.MethodGet, path, nil); got.Status != http.StatusUnauthorized {
		t.Fatalf("guest download: %d", got.Status)
	}
	if got := s.Do(t, bob.user.Token, http.MethodGet, path, nil); got.Status != http.StatusNotFound {
		t.Fatalf("another user's download: %d", got.Status)
	}
	dl := s.Do(t, ada.user.Token, http.MethodGet, path, nil)
	if dl.Status != http.StatusOK || dl.Header.Get("Content-Type") != "application/zip" ||
		!strings.Contains(dl.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %d %v", dl.Status, dl.Header)
	}
	if again := s.Do(t, ada.user.Token, http.MethodGet, path, nil); again.Status != http.StatusGone {
		t.Fatalf("second download: %d %s", again.Status, again.Raw)
	}
	done := record(t, s.App, "privacy_requests", id)
	if done.GetString("status") != "completed" || done.GetString("export") != "" || done.GetString("downloaded_at") == "" {
		t.Fatalf("after the download: status %s, export %q, downloaded_at %q", done.GetString("status"), done.GetString("export"), done.GetString("downloaded_at"))
	}

	files := unzip(t, dl.Raw)
	var readme struct {
		SchemaVersion int      `json:"schema_version"`
		GeneratedAt   string   `json:"generated_at"`
		User          string   `json:"user"`
		Workspaces    []string `json:"workspaces"`
		Categories    []string `json:"categories"`
		Missing       []string `json:"missing"`
	}
	if err := json.Unmarshal(files["README.json"], &readme); err != nil {
		t.Fatalf("README.json: %v", err)
	}
	if readme.SchemaVersion != 1 || readme.GeneratedAt == "" || readme.User != ada.user.ID ||
		len(readme.Workspaces) != 1 || readme.Workspaces[0] != ada.workspace {
		t.Fatalf("README.json: %+v", readme)
	}
	if len(readme.Missing) > 0 {
		t.Errorf("missing from the archive: %v", readme.Missing)
	}

	// every category, with Ada's records
	want := map[string]string{
		"account.json":                ada.user.Email,
		"memberships.json":            ada.workspace,
		"workspaces.json":             ada.workspace,
		"clients.json":                "Acme Iberia",
		"clients.csv":                 "Acme Iberia",
		"invoices.json":               ada.invoice,
		"invoices.csv":                ada.invoice,
		"invoice_pdfs.json":           ada.invoice,
		"payments.json":               "100.00",
		"payments.csv":                "100.00",
		"proposals.json":              "Offer for Acme Iberia",
		"proposal_events.json":        ada.quote,
		"consents.json":               "consent-" + ada.user.ID,
		"consents.csv":                "consent-" + ada.user.ID,
		"touchpoints.json":            "newsletter-" + ada.user.ID,
		"attribution_objections.json": "[",
		"privacy_requests.json":       id,
		"access_log.json":             ada.client,
		"access_log.csv":              ada.client,
	}
	for name, needle := range want {
		content, ok := files[name]
		if !ok {
			t.Errorf("%s is missing", name)
			continue
		}
		if !bytes.Contains(content, []byte(needle)) {
			t.Errorf("%s does not hold %q:\n%s", name, needle, content)
		}
		if strings.HasSuffix(name, ".json") && !json.Valid(content) {
			t.Errorf("%s is not JSON", name)
		}
		if strings.HasSuffix(name, ".csv") {
			if _, err := csv.NewReader(bytes.NewReader(content)).ReadAll(); err != nil {
				t.Errorf("%s is not CSV: %v", name, err)
			}
		}
	}
	var pdf, einvoice bool
	for name, content := range files {
		if !strings.HasPrefix(name, "files/invoices/"+ada.invoice+"/") {
			continue
		}
		base := name[strings.LastIndex(name, "/")+1:]
		switch {
		case strings.HasPrefix(base, "einvoice-"):
			einvoice = len(content) > 0
		case strings.HasSuffix(base, ".pdf"):
			pdf = bytes.HasPrefix(content, []byte("%PDF"))
		}
	}
	if !pdf || !einvoice {
		t.Errorf("invoice files: PDF %v, e-invoice %v; files: %v", pdf, einvoice, keys(files))
	}
	if bytes.Contains(files["account.json"], []byte(`"password"`)) || bytes.Contains(files["account.json"], []byte(`"tokenKey"`)) {
		t.Errorf("the account exports credentials: %s", files["account.json"])
	}

	// nothing of Bob
	for name, content := range files {
		for _, secret := range []string{bob.user.ID, bob.user.Email, bob.workspace, bob.client, bob.invoice, bob.quote, "Bobs Buyer"} {
			if bytes.Contains(content, []byte(secret)) {
				t.Errorf("%s holds %q, which is Bob's", name, secret)
			}
		}
	}

	// the download is in the access log of Ada's workspace
	if n := count(t, s.App, "access_log", dbx.HashExp{"action": "download", "workspace": ada.workspace, "subject_user": ada.user.ID}); n != 1 {
		t.Errorf("%d download entries in Ada's workspace log", n)
	}
}

func unzip(t *testing.T, raw []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatalf("not a ZIP: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func keys(m map[string][]byte) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
