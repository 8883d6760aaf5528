package proposals

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"github.com/kontor-app/kontor/hooks/access"
)

// Document is what a proposal's PDF shows: the proposal as a snapshot
// (the version sent, or the current content of a draft), and once signed
// the signature and the audit trail for the certificate page.
type Document struct {
	Snapshot Snapshot
	Draft    bool
	// Logo is the workspace's logo file, nil for none.
	Logo        []byte
	Signature   *Signature
	Certificate *Certificate
	// Created is the time written into the file.
	Created time.Time
}

// Signature is the buyer's acceptance as the PDF shows it.
type Signature struct {
	Name, Email, SignedAt, Consent string
	Image                          []byte // the drawn signature (PNG), nil for none
}

// Certificate is the audit certificate page of a signed proposal.
type Certificate struct {
	ProposalID   string
	Version      int
	DocumentHash string
	ChainHead    string
	Events       []*core.Record // proposal_events, in order
}

// errNoRenderer is returned when no renderer was given.
var errNoRenderer = errors.New("proposals: no PDF renderer")

// pdfRoute is GET /api/kontor/proposals/{id}/pdf: the signed PDF once
// signed, else the PDF of the version sent, else of the draft.
func (p *proposals) pdfRoute(e *core.RequestEvent) error {
	proposal, err := access.RequireRecord(e, "proposals", access.Viewer)
	if err != nil {
		return err
	}
	data, name, err := p.pdfOf(e.App, proposal, nil)
	if err != nil {
		return err
	}
	return servePDF(e, data, name)
}

// publicPDFRoute is GET /p/{token}/pdf: the signed PDF when the link's
// version was signed, else the PDF of the version it shows.
func (p *proposals) publicPDFRoute(e *core.RequestEvent) error {
	l, err := findLink(e.App, e.Request.PathValue("token"), p.now())
	if err != nil {
		return err
	}
	if l.state == stateGone {
		return e.NotFoundError("This link does not lead to a proposal.", nil)
	}
	var version *core.Record
	if l.state != stateSigned {
		version = l.version
	}
	data, name, err := p.pdfOf(e.App, l.proposal, version)
	if err != nil {
		return err
	}
	e.Response.Header().Set("Referrer-Policy", "no-referrer")
	return servePDF(e, data, name)
}

// pdfOf returns a proposal's PDF: of the version given, else the stored
// signed PDF (made now when missing), else of the last version sent, else
// of the draft.
func (p *proposals) pdfOf(app core.App, proposal, version *core.Record) ([]byte, string, error) {
	if version == nil && proposal.GetString("status") == StatusSigned {
		if name := proposal.GetString("signed_pdf"); name != "" {
			data, err := readFile(app, proposal, name)
			return data, signedFileName(proposal), err
		}
		return p.storeSignedPDF(app, proposal)
	}
	if p.cfg.Renderer == nil {
		return nil, "", errNoRenderer
	}
	doc := Document{Created: proposal.GetDateTime("sent_at").Time()}
	if version == nil && proposal.GetInt("version") > 0 && !proposal.GetBool("changed_since_sent") {
		v, err := app.FindFirstRecordByFilter("proposal_versions", "proposal = {:p} && version = {:v}",
			dbx.Params{"p": proposal.Id, "v": proposal.GetInt("version")})
		if err != nil {
			return nil, "", err
		}
		version = v
	}
	if version != nil {
		s, err := readSnapshot(version.GetString("snapshot"))
		if err != nil {
			return nil, "", err
		}
		doc.Snapshot, doc.Created = s, version.GetDateTime("sent_at").Time()
	} else {
		s, err := buildSnapshot(app, proposal, proposal.GetInt("version"), "")
		if err != nil {
			return nil, "", err
		}
		doc.Snapshot, doc.Draft = s, proposal.GetInt("version") == 0
	}
	doc.Logo = workspaceLogo(app, proposal.GetString("workspace"))
	return p.cfg.Renderer.ProposalPDF(doc)
}

// storeSignedPDF makes the signed PDF of a signed proposal (the version
// signed, the signature and the audit certificate) and stores it on the
// proposal, unless one is stored already. It returns the PDF.
func (p *proposals) storeSignedPDF(app core.App, proposal *core.Record) ([]byte, string, error) {
	if p.cfg.Renderer == nil {
		return nil, "", errNoRenderer
	}
	version, err := app.FindFirstRecordByFilter("proposal_versions", "proposal = {:p} && version = {:v}",
		dbx.Params{"p": proposal.Id, "v": proposal.GetInt("version")})
	if err != nil {
		return nil, "", err
	}
	s, err := readSnapshot(version.GetString("snapshot"))
	if err != nil {
		return nil, "", err
	}
	// the lines as the buyer chose them
	if lines, errs := parseLines([]byte(proposal.GetString("lines"))); len(errs) == 0 {
		t := compute(lines, s.Language)
		s.Lines, s.Totals, s.VATBreakdown = lines, totalsOf(t), t.BreakdownForAPI()
	}
	events, err := app.FindRecordsByFilter("proposal_events", "proposal = {:p}", "seq", 0, 0, dbx.Params{"p": proposal.Id})
	if err != nil {
		return nil, "", err
	}
	sig := &Signature{Name: proposal.GetString("signer_name"), Email: proposal.GetString("signer_email"),
		SignedAt: proposal.GetDateTime("signed_at").Time().UTC().Format(time.RFC3339), Consent: ConsentSentence}
	if name := proposal.GetString("signature"); name != "" {
		sig.Image, _ = readFile(app, proposal, name)
	}
	doc := Document{Snapshot: s, Signature: sig, Created: proposal.GetDateTime("signed_at").Time(),
		Logo: workspaceLogo(app, proposal.GetString("workspace")),
		Certificate: &Certificate{ProposalID: proposal.Id, Version: version.GetInt("version"),
			DocumentHash: version.GetString("document_hash"), ChainHead: proposal.GetString("chain_head"), Events: events}}
	data, name, err := p.cfg.Renderer.ProposalPDF(doc)
	if err != nil {
		return nil, "", err
	}
	err = app.RunInTransaction(func(tx core.App) error {
		r, err := tx.FindRecordById("proposals", proposal.Id)
		if err != nil || r.GetString("signed_pdf") != "" {
			return err
		}
		file, err := filesystem.NewFileFromBytes(data, name)
		if err != nil {
			return err
		}
		r.Set("signed_pdf", file)
		return tx.Save(r)
	})
	return data, name, err
}

// signedFileName is the name a signed PDF is offered under.
func signedFileName(proposal *core.Record) string {
	return proposal.GetString("number") + "-signed.pdf"
}

// servePDF answers with a PDF to download.
func servePDF(e *core.RequestEvent, data []byte, name string) error {
	h := e.Response.Header()
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Cache-Control", "private, no-store")
	return e.Blob(http.StatusOK, "application/pdf", data)
}

// readFile reads a file of a record's file field.
func readFile(app core.App, r *core.Record, name string) ([]byte, error) {
	fsys, err := app.NewFilesystem()
	if err != nil {
		return nil, err
	}
	defer fsys.Close()
	f, err := fsys.GetReader(r.BaseFilesPath() + "/" + name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, 50<<20))
}

// workspaceLogo reads a workspace's logo; nil when it has none.
func workspaceLogo(app core.App, workspaceID string) []byte {
	w, err := app.FindRecordById("workspaces", workspaceID)
	if err != nil || w.GetString("logo") == "" {
		return nil
	}
	data, _ := readFile(app, w, w.GetString("logo"))
	return data
}
