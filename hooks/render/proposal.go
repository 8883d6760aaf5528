package render

import (
	"fmt"
	"time"

	"github.com/kontor-app/kontor/hooks/render/pdf"
)

// Proposal is everything a proposal's (quote's) PDF shows, as plain values:
// amounts, quantities and rates are decimal strings, dates "YYYY-MM-DD".
// The totals come computed; the renderer only prints them.
type Proposal struct {
	Number     string // empty while a draft
	Language   string // en, es, de, fr or it; other values print in English
	Title      string
	Intro      string // plain text, paragraphs separated by blank lines
	Terms      string // plain text
	Date       string // the date it was sent (YYYY-MM-DD); empty for a draft
	ValidUntil string // YYYY-MM-DD, may be empty
	Currency   string
	Seller     Party
	Buyer      Party
	Logo       []byte // the seller's logo, PNG or JPEG; nil for none
	Lines      []ProposalLine
	Breakdown  []Breakdown
	Totals     Totals // Net, VAT and Gross of the included lines

	// Draft marks every page as a draft, not sent.
	Draft bool
	// Created is the creation date written into the file; the zero time
	// means now.
	Created time.Time

	// Signature is the buyer's acceptance; nil unless signed.
	Signature *Signature
	// Certificate adds the audit certificate page(s) at the end; nil
	// unless signed.
	Certificate *AuditCertificate
}

// ProposalLine is one line of a proposal: an invoice line that may be
// optional. An optional line that is not included is shown as not chosen
// and does not count in the totals; a line that is not optional always
// counts, whatever Included says.
type ProposalLine struct {
	Line
	Optional bool
	Included bool
}

// Signature is how the buyer accepted the proposal.
type Signature struct {
	Name, Email string
	SignedAt    string // RFC 3339
	Image       []byte // PNG of the drawn signature, may be nil
	Consent     string // the sentence the signer agreed to
}

// AuditCertificate is the audit trail of a signed proposal, printed on the
// last page(s) of its signed PDF.
type AuditCertificate struct {
	ProposalID   string
	Version      int
	DocumentHash string // SHA-256 hex of the signed version's snapshot
	ChainHead    string // hash of the last event
	Events       []AuditEvent
}

// AuditEvent is one event of a proposal's audit trail.
type AuditEvent struct {
	Seq                              int
	Type                             string // created, sent, opened, signed, declined, expired, converted
	At                               string // RFC 3339 (UTC, may have nanoseconds)
	IP, UserAgent, Actor, ActorEmail string
	DocumentHash, Hash               string
}

// ProposalPDF renders a proposal as a PDF/A-3b file, natively. The same
// proposal with the same Created time always gives the same bytes.
func ProposalPDF(p Proposal) ([]byte, error) {
	v := newProposalView(p)
	regular, bold, err := loadFonts()
	if err != nil {
		return nil, err
	}
	var logo, signature *pdf.Image
	if len(p.Logo) > 0 {
		logo, _ = decodeLogo(p.Logo) // a logo that cannot be read is left out
	}
	if p.Signature != nil && len(p.Signature.Image) > 0 {
		signature, _ = decodeLogo(p.Signature.Image) // so is a signature image
	}
	d := pdf.New(pdf.Info{
		Title:    v.Heading,
		Subject:  p.Title,
		Author:   p.Seller.Name,
		Creator:  Producer,
		Producer: Producer,
		Language: v.Lang,
		Created:  p.Created,
	})
	l := &layout{doc: d, v: v.view, regular: regular, bold: bold}
	l.newPage()
	l.header(logo)
	l.proposalBody(v)
	l.signature(v.Signature, signature)
	l.certificate(v.Certificate)
	l.footers()
	out, err := d.Bytes()
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", v.Heading, err)
	}
	return out, nil
}

// ProposalFileName is the name a proposal's PDF is offered under: its
// number, with "-signed" once signed, or draft-proposal.pdf while it has
// no number.
func ProposalFileName(p Proposal) string {
	if p.Number == "" {
		return "draft-proposal.pdf"
	}
	if p.Signature != nil {
		return safeFileName(p.Number) + "-signed.pdf"
	}
	return safeFileName(p.Number) + ".pdf"
}
