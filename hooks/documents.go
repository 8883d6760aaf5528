package hooks

import (
	"context"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/einvoice"
	"github.com/kontor-app/kontor/hooks/mail"
	"github.com/kontor-app/kontor/hooks/proposals"
	"github.com/kontor-app/kontor/hooks/reminders"
	"github.com/kontor-app/kontor/hooks/render"
	"github.com/kontor-app/kontor/money"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// documents gives mail the files invoice emails attach: the stored PDF of
// an issued document (render), its e-invoice (einvoice, through the format
// plugins) and a client's dunning letter (reminders); and proposals their
// PDFs (render).
type documents struct {
	plugins einvoice.Renderer
}

// PDF implements mail.Documents.
func (d documents) PDF(_ context.Context, app core.App, invoice *core.Record) (mail.File, error) {
	data, name, err := render.StoredPDF(app, invoice)
	return mail.File{Name: name, ContentType: "application/pdf", Content: data}, err
}

// EInvoice implements mail.Documents.
func (d documents) EInvoice(ctx context.Context, app core.App, invoice *core.Record, format string) (mail.File, error) {
	doc, err := einvoice.Document(ctx, app, d.plugins, invoice, format)
	if err != nil {
		return mail.File{}, err
	}
	return mail.File{Name: doc.FileName, ContentType: doc.MediaType, Content: doc.Content}, nil
}

// DunningLetter implements mail.Documents.
func (d documents) DunningLetter(_ context.Context, app core.App, client, date string) (mail.File, error) {
	on, err := time.Parse("2006-01-02", date)
	if err != nil {
		return mail.File{}, err
	}
	data, name, err := reminders.LetterPDF(app, client, on)
	return mail.File{Name: name, ContentType: "application/pdf", Content: data}, err
}

// ProposalPDF implements proposals.Renderer with the native renderer.
func (d documents) ProposalPDF(doc proposals.Document) ([]byte, string, error) {
	s := doc.Snapshot
	p := render.Proposal{
		Number: s.Number, Language: s.Language, Title: s.Title, Intro: s.Intro, Terms: s.Terms,
		Date: dayOf(s.SentAt), ValidUntil: s.ValidUntil, Currency: s.Currency,
		Seller: partyOf(s.Seller), Buyer: partyOf(s.Buyer), Logo: doc.Logo,
		Totals: render.Totals{Net: s.Totals.Net, VAT: s.Totals.VAT, Gross: s.Totals.Gross},
		Draft:  doc.Draft, Created: doc.Created,
	}
	for _, l := range s.Lines {
		line := render.Line{Description: l.Description, Quantity: l.Quantity.String(), UnitCode: l.UnitCode,
			UnitPrice: money.Plain(l.UnitPrice, 2), VATCategory: l.VATCategory, VATRate: l.VATRate.String(),
			NetAmount: money.Amount(l.NetAmount)}
		if !l.DiscountPercent.IsZero() {
			line.DiscountPercent = l.DiscountPercent.String()
		}
		p.Lines = append(p.Lines, render.ProposalLine{Line: line, Optional: l.Optional, Included: l.Included})
	}
	for _, b := range s.VATBreakdown {
		p.Breakdown = append(p.Breakdown, render.Breakdown(b))
	}
	if sig := doc.Signature; sig != nil {
		p.Signature = &render.Signature{Name: sig.Name, Email: sig.Email, SignedAt: sig.SignedAt, Image: sig.Image, Consent: sig.Consent}
	}
	if c := doc.Certificate; c != nil {
		p.Certificate = &render.AuditCertificate{ProposalID: c.ProposalID, Version: c.Version, DocumentHash: c.DocumentHash, ChainHead: c.ChainHead}
		for _, e := range c.Events {
			p.Certificate.Events = append(p.Certificate.Events, render.AuditEvent{
				Seq: e.GetInt("seq"), Type: e.GetString("type"), At: e.GetString("at"), IP: e.GetString("ip"),
				UserAgent: e.GetString("user_agent"), Actor: e.GetString("actor"), ActorEmail: e.GetString("actor_email"),
				DocumentHash: e.GetString("document_hash"), Hash: e.GetString("hash")})
		}
	}
	data, err := render.ProposalPDF(p)
	return data, render.ProposalFileName(p), err
}

// partyOf is a snapshot's party as the renderer prints it.
func partyOf(m map[string]string) render.Party {
	return render.Party{Name: m["name"], AddressLine: m["address_line"], City: m["city"], PostalCode: m["postal_code"],
		Country: m["country"], VATID: m["vat_id"], TaxID: m["tax_id"], Email: m["email"], Phone: m["phone"]}
}

// dayOf is the day of an RFC 3339 time, "" for none.
func dayOf(rfc3339 string) string {
	if len(rfc3339) < 10 {
		return ""
	}
	return rfc3339[:10]
}

// canonical maps an issued invoice to the canonical model payment plugins
// take (einvoice).
func canonical(app core.App, invoice *core.Record) (*sdk.Invoice, error) {
	issued, err := einvoice.FromRecord(app, invoice)
	if err != nil {
		return nil, err
	}
	return einvoice.Canonical(issued)
}
