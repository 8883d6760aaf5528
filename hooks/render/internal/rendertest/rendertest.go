// Package rendertest holds what the renderer's tests share: the command
// line tools that read PDFs back (poppler-utils, qpdf, zbar), a test logo,
// and a fake Gotenberg server.
package rendertest

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Tool returns the path of a command line tool. The test is skipped when
// the tool is missing, unless KONTOR_E2E=require (as in CI): then it fails.
func Tool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("KONTOR_E2E") == "require" {
			t.Fatalf("%s is required (KONTOR_E2E=require) but not installed", name)
		}
		t.Skipf("%s is not installed", name)
	}
	return path
}

// WritePDF stores a PDF in the test's temporary directory and returns its
// path.
func WritePDF(t testing.TB, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Run runs a tool and returns its standard output; an error fails the test.
func Run(t testing.TB, name string, args ...string) string {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command(Tool(t, name), args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out)
}

// PDFText extracts a PDF's text with pdftotext -layout (extra arguments
// before the file, e.g. "-f", "2"), with no-break spaces made plain.
func PDFText(t testing.TB, data []byte, extra ...string) string {
	t.Helper()
	args := append([]string{"-layout", "-enc", "UTF-8"}, extra...)
	args = append(args, WritePDF(t, data), "-")
	return Plain(Run(t, "pdftotext", args...))
}

// Plain makes no-break spaces plain, as PDFText does.
func Plain(s string) string {
	return strings.NewReplacer("\u00A0", " ", "\u202F", " ").Replace(s)
}

// Logo is a PNG with transparent margins, as logos often are.
func Logo(t testing.TB) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 240, 80))
	for y := 0; y < 80; y++ {
		for x := 20; x <= 220; x++ {
			img.Set(x, y, color.NRGBA{20, 60, 160, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// FakeGotenberg answers like Gotenberg's Chromium HTML route
// (POST /forms/chromium/convert/html): it reads the multipart form as
// Gotenberg does, hands the uploaded "files" (by file name) and the request
// to check, and answers with status and body.
func FakeGotenberg(t *testing.T, status int, body string, check func(t *testing.T, r *http.Request, files map[string]string)) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/forms/chromium/convert/html" {
			t.Errorf("request %s %s", r.Method, r.URL.Path)
			http.NotFound(w, r)
			return
		}
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data; boundary=") {
			t.Errorf("Content-Type %q", r.Header.Get("Content-Type"))
		}
		if err := r.ParseMultipartForm(32 << 20); err != nil {
			t.Errorf("multipart: %v", err)
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		files := map[string]string{}
		for _, fh := range r.MultipartForm.File["files"] {
			f, err := fh.Open()
			if err != nil {
				t.Error(err)
				continue
			}
			data, _ := io.ReadAll(f)
			f.Close()
			files[fh.Filename] = string(data)
		}
		if check != nil {
			check(t, r, files)
		}
		if status != http.StatusOK {
			http.Error(w, body, status)
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="index.pdf"`)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}
