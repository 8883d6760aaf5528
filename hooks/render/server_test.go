package render_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"github.com/kontor-app/kontor/hooks"
	"github.com/kontor-app/kontor/hooks/render"
	"github.com/kontor-app/kontor/hooks/render/internal/rendertest"
	"github.com/kontor-app/kontor/internal/testserver"
)

var (
	pdfText  = rendertest.PDFText
	testLogo = rendertest.Logo
)

// newServer starts Kontor as testserver.New does, with the renderer's
// configuration: given to hooks.Register through the environment it reads,
// and to render.Register directly in case hooks.Register does not bind the
// renderer (binding it twice binds it once).
func newServer(t *testing.T, cfg render.Config) *testserver.Server {
	t.Helper()
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	hcfg, err := hooks.ConfigFromEnv(func(name string) string {
		if name == "KONTOR_GOTENBERG_URL" {
			return cfg.GotenbergURL
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	hooks.Register(app, hcfg)
	render.Register(app, cfg)

	router, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	var handler http.Handler
	err = app.OnServe().Trigger(&core.ServeEvent{App: app, Router: router}, func(e *core.ServeEvent) error {
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
	return &testserver.Server{App: app, URL: srv.URL}
}

// pdfResponse is an answer of the PDF route.
type pdfResponse struct {
	status int
	header http.Header
	body   []byte
}

func getPDF(t *testing.T, s *testserver.Server, token, path string) pdfResponse {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return pdfResponse{status: res.StatusCode, header: res.Header, body: body}
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
