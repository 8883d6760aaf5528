package render_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"github.com/kontor-app/kontor/hooks/render"
	"github.com/kontor-app/kontor/hooks/render/internal/rendertest"
	"github.com/kontor-app/kontor/internal/testserver"
)

var (
	pdfText  = rendertest.PDFText
	testLogo = rendertest.Logo
)

// newServer starts Kontor with the renderer's configuration.
func newServer(t *testing.T, cfg render.Config) *testserver.Server {
	t.Helper()
	return testserver.NewWithEnv(t, map[string]string{"KONTOR_GOTENBERG_URL": cfg.GotenbergURL})
}

// storedPDF waits for the background worker to store the PDF of an issued
// document and returns the record holding it.
func storedPDF(t *testing.T, s *testserver.Server, invoiceID string) *core.Record {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		rec, err := render.StoredPDFRecord(s.App, invoiceID)
		if err != nil {
			t.Fatal(err)
		}
		if rec != nil {
			return rec
		}
		if time.Now().After(deadline) {
			t.Fatalf("no PDF stored for %s after issuing", invoiceID)
		}
	}
}

// pdfResponse is an answer of the PDF route.
type pdfResponse struct {
	status int
	header http.Header
	body   []byte
}

func getPDF(t *testing.T, s *testserver.Server, token, path string) pdfResponse {
	t.Helper()
	r := s.Do(t, token, http.MethodGet, path, nil)
	return pdfResponse{status: r.Status, header: r.Header, body: r.Raw}
}

// setLogo stores a logo file on the workspace, as an upload through the
// API would.
func setLogo(t *testing.T, app core.App, workspaceID string, data []byte) {
	t.Helper()
	ws, err := app.FindRecordById("workspaces", workspaceID)
	if err != nil {
		t.Fatal(err)
	}
	f, err := filesystem.NewFileFromBytes(data, "logo.png")
	if err != nil {
		t.Fatal(err)
	}
	ws.Set("logo", f)
	if err := app.Save(ws); err != nil {
		t.Fatal(err)
	}
}
