// Package pdf writes PDF/A-3b documents: pages of text, rectangles, lines
// and images, with embedded subsets of TrueType fonts, an sRGB output
// intent, XMP metadata and associated files (attachments with
// /AFRelationship, listed in the catalog's /AF array).
//
// It knows nothing of invoices; it is the small, exact writer Kontor's
// renderer draws with. Output is deterministic: the same calls with the same
// Info.Created give the same bytes.
//
// Coordinates are PDF points (1/72 inch) from the top-left corner of the
// page, y growing downwards.
package pdf

import (
	"time"
)

// A4 page size in points.
const (
	A4Width  = 595.28
	A4Height = 841.89
)

// Info is the document information, written both to the Info dictionary and
// to the XMP metadata, as PDF/A requires them to agree.
type Info struct {
	Title    string
	Author   string
	Subject  string
	Creator  string // the application that made the content (xmp:CreatorTool)
	Producer string // the library that wrote the file (pdf:Producer)
	Language string // natural language of the text, e.g. "de" (catalog /Lang)
	// Created is the creation and modification date. The zero time means
	// now; a fixed time makes the output reproducible.
	Created time.Time
}

// Relationship says how an associated file relates to the document (PDF/A-3
// /AFRelationship).
type Relationship string

// The relationships PDF/A-3 defines.
const (
	Source      Relationship = "Source"      // the source the document was made from
	Data        Relationship = "Data"        // data the document shows
	Alternative Relationship = "Alternative" // another representation of the same content
	Supplement  Relationship = "Supplement"  // a supplement to the document
	Unspecified Relationship = "Unspecified" // none of the above
)

// Attachment is a file embedded in the document and associated with it as a
// whole (catalog /AF).
type Attachment struct {
	Name         string // file name, e.g. "factur-x.xml"
	MediaType    string // MIME type, e.g. "text/xml"
	Relationship Relationship
	Description  string
	Data         []byte
	// Modified is the file's modification date; zero means Info.Created.
	Modified time.Time
}

// Document is a PDF being built. It is not safe for concurrent use.
type Document struct {
	info        Info
	pages       []*Page
	fonts       []*fontUse
	fontIndex   map[*Font]*fontUse
	images      []*Image
	imageNames  map[*Image]string
	attachments []Attachment
	schemas     []XMPSchema
}

// New starts an empty document.
func New(info Info) *Document {
	if info.Created.IsZero() {
		info.Created = time.Now()
	}
	info.Created = info.Created.UTC().Truncate(time.Second)
	return &Document{info: info, fontIndex: map[*Font]*fontUse{}, imageNames: map[*Image]string{}}
}

// AddPage appends a page of the given size in points and returns it.
func (d *Document) AddPage(width, height float64) *Page {
	p := &Page{doc: d, width: width, height: height}
	d.pages = append(d.pages, p)
	return p
}

// Pages returns the pages added so far.
func (d *Document) Pages() []*Page {
	return d.pages
}

// Attach embeds files as associated files of the document.
func (d *Document) Attach(files ...Attachment) {
	d.attachments = append(d.attachments, files...)
}

// AddXMPSchema adds custom properties to the XMP metadata, with the PDF/A
// extension schema that declares them (e.g. Factur-X's fx: properties).
func (d *Document) AddXMPSchema(s XMPSchema) {
	d.schemas = append(d.schemas, s)
}

// fontUse is a font as one document uses it: its resource name and the
// glyphs drawn beyond the font's base set (see baseRunes), which get
// character ids (CIDs) after the base ones, in the order they are first
// drawn. The embedded subset numbers its glyphs the same way.
type fontUse struct {
	font       *Font
	name       string
	cids       map[uint16]uint16 // extra glyph → CID
	extra      []uint16          // extra glyphs, in CID order
	extraRunes []rune            // the character each extra glyph stands for
}

// cid returns the CID of glyph g, drawn for r.
func (u *fontUse) cid(g uint16, r rune) uint16 {
	if c := u.font.base.cid[g]; c != 0 {
		return c
	}
	if c, ok := u.cids[g]; ok {
		return c
	}
	c := uint16(len(u.font.base.order) + len(u.extra) + 1)
	u.cids[g] = c
	u.extra = append(u.extra, g)
	u.extraRunes = append(u.extraRunes, r)
	return c
}

func (d *Document) use(f *Font) *fontUse {
	if u := d.fontIndex[f]; u != nil {
		return u
	}
	u := &fontUse{font: f, name: "F" + itoa(len(d.fonts)+1), cids: map[uint16]uint16{}}
	d.fonts = append(d.fonts, u)
	d.fontIndex[f] = u
	return u
}

func (d *Document) imageName(img *Image) string {
	if n, ok := d.imageNames[img]; ok {
		return n
	}
	n := "Im" + itoa(len(d.images)+1)
	d.images = append(d.images, img)
	d.imageNames[img] = n
	return n
}
