package render_test

import (
	"testing"

	"github.com/kontor-app/kontor/hooks/render"
	"github.com/kontor-app/kontor/internal/testserver"
)

// No issued document is left without its PDF: the ones the queue had no
// room for, and the ones a stopped server had not stored yet, are found in
// the database and stored.
func TestEveryIssuedDocumentGetsItsPDF(t *testing.T) {
	render.SetPDFQueueSize(t, 0) // a document is queued only while the worker waits
	s := newServer(t, render.Config{})
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Müller GmbH")
	client := s.Client(t, owner, ws, nil)
	var issued []string
	for range 6 {
		id := s.Draft(t, owner, ws, client, testserver.Line("Beratung", "1", "100"))
		if r := s.Issue(t, owner, id); r.Status != 200 {
			t.Fatalf("issue: %s", r.Raw)
		}
		issued = append(issued, id)
	}
	draft := s.Draft(t, owner, ws, client, testserver.Line("Entwurf", "1", "100"))
	for _, id := range issued {
		storedPDF(t, s, id)
	}

	// a server stopped before storing them: the PDFs are gone, and found
	// missing when it starts again
	for _, id := range issued[:3] {
		if err := s.App.Delete(storedPDF(t, s, id)); err != nil {
			t.Fatal(err)
		}
	}
	render.CatchUp(s.App)
	for _, id := range issued {
		storedPDF(t, s, id)
	}
	if rec, _ := render.StoredPDFRecord(s.App, draft); rec != nil {
		t.Error("a draft's PDF was stored")
	}
}
