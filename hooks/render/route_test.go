package render_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/hooks/render"
	"github.com/kontor-app/kontor/hooks/render/internal/rendertest"
	"github.com/kontor-app/kontor/internal/testserver"
)

func TestPDFRoute(t *testing.T) {
	s := newServer(t, render.Config{})
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Müller Consulting GmbH")
	setLogo(t, s.App, ws, testLogo(t))
	client := s.Client(t, owner, ws, map[string]any{"language": "de"})
	invoice := s.Draft(t, owner, ws, client, testserver.Line("Beratung", "3", "150"))

	viewer := s.SignUp(t, "viewer@example.com")
	s.Create(t, owner, "memberships", map[string]any{"workspace": ws, "user": viewer.ID, "role": "viewer"})
	outsider := s.SignUp(t, "outsider@example.com")
	s.Workspace(t, outsider, "Other Ltd")
	path := "/api/kontor/invoices/" + invoice + "/pdf"

	// a draft: rendered on the fly, marked, never stored
	r := getPDF(t, s, owner.Token, path)
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(r.body, []byte("%PDF-")) {
		t.Fatalf("draft: %d %s %.200s", r.status, r.header.Get("Content-Type"), r.body)
	}
	if want := `inline; filename="draft-` + invoice + `.pdf"`; r.header.Get("Content-Disposition") != want {
		t.Errorf("draft Content-Disposition %q, want %q", r.header.Get("Content-Disposition"), want)
	}
	if got := pdfText(t, r.body); !strings.Contains(got, "ENTWURF – keine gültige Rechnung") {
		t.Errorf("the draft is not marked:\n%s", got)
	}
	if rec, _ := render.StoredPDFRecord(s.App, invoice); rec != nil {
		t.Error("a draft's PDF was stored")
	}

	issued := s.Issue(t, owner, invoice)
	if issued.Status != http.StatusOK {
		t.Fatalf("issue: %s", issued.Raw)
	}
	number := issued.String("number")

	// issuing stored the PDF, rendered from the frozen record
	stored := storedPDF(t, s, invoice)
	storedPDF, err := render.ReadRecordFile(s.App, stored, stored.GetString("file"), render.MaxStoredPDF)
	if err != nil {
		t.Fatal(err)
	}

	// the workspace changes after issuing; the issued document does not
	s.Must(t, owner.Token, http.MethodPatch, "/api/collections/workspaces/records/"+ws, map[string]any{"name": "Renamed AG"})

	cases := []struct {
		name        string
		token       string
		query       string
		status      int
		disposition string
	}{
		{"owner", owner.Token, "", http.StatusOK, `inline; filename="` + number + `.pdf"`},
		{"download", owner.Token, "?download=1", http.StatusOK, `attachment; filename="` + number + `.pdf"`},
		{"viewer", viewer.Token, "", http.StatusOK, `inline; filename="` + number + `.pdf"`},
		{"native renderer", owner.Token, "?renderer=native", http.StatusOK, `inline; filename="` + number + `.pdf"`},
		{"outsider", outsider.Token, "", http.StatusNotFound, ""},
		{"guest", "", "", http.StatusUnauthorized, ""},
		{"gotenberg off", owner.Token, "?renderer=gotenberg", http.StatusBadRequest, ""},
		{"unknown renderer", owner.Token, "?renderer=word", http.StatusBadRequest, ""},
	}
	var first []byte
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := getPDF(t, s, c.token, path+c.query)
			if r.status != c.status {
				t.Fatalf("status %d, want %d: %.300s", r.status, c.status, r.body)
			}
			if c.status != http.StatusOK {
				return
			}
			if r.header.Get("Content-Type") != "application/pdf" || r.header.Get("Content-Disposition") != c.disposition {
				t.Errorf("headers %v", r.header)
			}
			if first == nil {
				first = r.body
				got := pdfText(t, r.body)
				for _, want := range []string{"Rechnung", number, "Müller Consulting GmbH", "Acme SL", "535,50 EUR", "DE89 3704 0044 0532 0130 00"} {
					if !strings.Contains(got, want) {
						t.Errorf("the PDF lacks %q:\n%s", want, got)
					}
				}
				if strings.Contains(got, "Renamed AG") || strings.Contains(got, "ENTWURF") {
					t.Errorf("the issued PDF shows live data or a draft mark:\n%s", got)
				}
			} else if !bytes.Equal(first, r.body) {
				t.Error("the issued PDF differs between requests")
			}
		})
	}

	// a missing invoice is a 404, for members too
	if r := getPDF(t, s, owner.Token, "/api/kontor/invoices/nosuchinvoice0/pdf"); r.status != http.StatusNotFound {
		t.Errorf("missing invoice: %d", r.status)
	}

	// the stored file is what is served, and rendering the frozen record
	// again gives the same bytes
	if !bytes.Equal(storedPDF, first) {
		t.Error("the PDF served is not the one stored")
	}
	rec, err := s.App.FindRecordById("invoices", invoice)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := render.DocumentFromRecord(s.App, rec)
	if err != nil {
		t.Fatal(err)
	}
	rendered, err := render.Invoice(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(rendered, storedPDF) {
		t.Error("rendering the issued invoice again gives other bytes")
	}
	if again, _ := render.StoredPDFRecord(s.App, invoice); again == nil || again.Id != stored.Id || again.GetString("file") != stored.GetString("file") {
		t.Errorf("the stored PDF changed from %v to %v", stored, again)
	}
}

// The Gotenberg renderer is used only when configured and asked for.
func TestPDFRouteGotenberg(t *testing.T) {
	var calls int
	fake := rendertest.FakeGotenberg(t, http.StatusOK, "%PDF-1.7 from gotenberg", func(t *testing.T, r *http.Request, files map[string]string) {
		calls++
		if !strings.Contains(files["index.html"], "Beratung") {
			t.Errorf("index.html lacks the line")
		}
	})
	s := newServer(t, render.Config{GotenbergURL: fake.URL})
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Müller GmbH")
	invoice := s.Draft(t, owner, ws, s.Client(t, owner, ws, nil), testserver.Line("Beratung", "1", "100"))
	path := "/api/kontor/invoices/" + invoice + "/pdf"

	if r := getPDF(t, s, owner.Token, path+"?renderer=gotenberg"); r.status != http.StatusOK || string(r.body) != "%PDF-1.7 from gotenberg" {
		t.Fatalf("gotenberg: %d %.200s", r.status, r.body)
	}
	if r := getPDF(t, s, owner.Token, path); r.status != http.StatusOK || !bytes.HasPrefix(r.body, []byte("%PDF-1.7\n%")) {
		t.Fatalf("native: %d %.20q", r.status, r.body)
	}
	if calls != 1 {
		t.Errorf("Gotenberg called %d times, want 1", calls)
	}
}
