package render

import (
	"fmt"

	"github.com/kontor-app/kontor/hooks/render/pdf"
)

// Producer is written into every PDF's metadata as the application that
// made it.
const Producer = "Kontor"

// Invoice renders an invoice or a credit note as a PDF/A-3b file, natively:
// no browser, no external service. The same document with the same Created
// time always gives the same bytes.
func Invoice(doc Document) ([]byte, error) {
	v, err := newView(doc)
	if err != nil {
		return nil, err
	}
	regular, bold, err := loadFonts()
	if err != nil {
		return nil, err
	}
	var logo *pdf.Image
	if len(doc.Logo) > 0 {
		// a logo that cannot be read is left out rather than failing the document
		logo, _ = decodeLogo(doc.Logo)
	}

	d := pdf.New(pdf.Info{
		Title:    v.Heading,
		Author:   doc.Seller.Name,
		Creator:  Producer,
		Producer: Producer,
		Language: v.Lang,
		Created:  doc.Created,
	})
	for _, a := range doc.Attachments {
		d.Attach(pdf.Attachment{Name: a.Name, MediaType: a.MediaType, Relationship: pdf.Relationship(a.Relationship),
			Description: a.Description, Data: a.Data})
	}
	for _, s := range doc.Metadata {
		d.AddXMPSchema(s)
	}

	l := &layout{doc: d, v: v, regular: regular, bold: bold}
	l.newPage()
	l.header(logo)
	l.linesTable()
	l.totals()
	l.breakdown()
	l.payment()
	l.notes()
	l.footers()
	out, err := d.Bytes()
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", v.Heading, err)
	}
	return out, nil
}
