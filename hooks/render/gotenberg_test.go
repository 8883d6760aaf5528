package render

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/hooks/render/internal/rendertest"
)

var fakeGotenberg = rendertest.FakeGotenberg

func TestGotenbergInvoice(t *testing.T) {
	doc := sampleDocument(t, "de", vatCase{"AE", "0", ""}, 3)
	doc.Logo = testLogo(t)
	srv := fakeGotenberg(t, http.StatusOK, "%PDF-1.7 from chromium", func(t *testing.T, r *http.Request, files map[string]string) {
		if got := r.FormValue("pdfa"); got != "PDF/A-3b" {
			t.Errorf("pdfa = %q", got)
		}
		if got := r.FormValue("preferCssPageSize"); got != "true" {
			t.Errorf("preferCssPageSize = %q", got)
		}
		index, ok := files["index.html"]
		if !ok {
			t.Fatalf("no index.html among %v", keys(files))
		}
		for _, want := range []string{"INV-2026-0042", "Rechnung", "Steuerschuldnerschaft des Leistungsempfängers",
			"DE89 3704 0044 0532 0130 00", "<svg", "data:image/png;base64,", `lang="de"`} {
			if !strings.Contains(index, want) {
				t.Errorf("index.html lacks %q", want)
			}
		}
		footer, ok := files["footer.html"]
		if !ok || !strings.Contains(footer, `class="pageNumber"`) || !strings.Contains(footer, `class="totalPages"`) || !strings.Contains(footer, "Seite ") {
			t.Errorf("footer.html: %q", footer)
		}
	})
	out, err := NewGotenberg(srv.URL+"/").Invoice(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "%PDF-1.7 from chromium" {
		t.Fatalf("got %q", out)
	}
}

func TestGotenbergErrors(t *testing.T) {
	doc := sampleDocument(t, "en", vatCase{"S", "19", ""}, 1)
	cases := []struct {
		name   string
		status int
		body   string
		msg    string
	}{
		{"service unavailable", http.StatusServiceUnavailable, "Service Unavailable", "503"},
		{"bad request", http.StatusBadRequest, "Chromium does not handle the provided settings", "Chromium does not handle"},
		{"not a PDF", http.StatusOK, "<html>oops</html>", "not a PDF"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := fakeGotenberg(t, c.status, c.body, nil)
			_, err := NewGotenberg(srv.URL).Invoice(context.Background(), doc)
			if err == nil || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("error %v, want one with %q", err, c.msg)
			}
		})
	}
	t.Run("attachments", func(t *testing.T) {
		d := doc
		d.Attachments = []Attachment{{Name: "a.xml", MediaType: "text/xml", Relationship: "Data", Data: []byte("<a/>")}}
		if _, err := NewGotenberg("http://127.0.0.1:1").Invoice(context.Background(), d); err == nil {
			t.Fatal("attachments accepted")
		}
	})
}

func TestInvoiceHTML(t *testing.T) {
	doc := sampleDocument(t, "fr", vatCase{"S", "20", ""}, 2)
	doc.Draft, doc.Number = true, ""
	doc.Seller.Name = `Dupont <script>alert(1)</script> & Fils`
	out, err := InvoiceHTML(doc)
	if err != nil {
		t.Fatal(err)
	}
	html := string(out)
	for _, want := range []string{"BROUILLON – facture non valable", "Dupont &lt;script&gt;", "Total TTC", "@bottom-right", "counter(pages)"} {
		if !strings.Contains(html, want) {
			t.Errorf("the HTML lacks %q", want)
		}
	}
	if strings.Contains(html, "<script>") || strings.Contains(html, "<svg") {
		t.Error("the HTML has a script, or a QR code on a draft")
	}
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
