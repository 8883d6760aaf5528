package pdf

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"crypto/md5"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// srgbProfile is the ICC profile of the output intent (icc/LICENSE).
//
//go:embed icc/sRGB.icc
var srgbProfile []byte

// outputCondition names the output intent's colour space.
const outputCondition = "sRGB IEC61966-2.1"

// Bytes writes the document as a PDF/A-3b file.
func (d *Document) Bytes() ([]byte, error) {
	if len(d.pages) == 0 {
		return nil, errors.New("pdf: a document needs at least one page")
	}
	if err := d.checkAttachments(); err != nil {
		return nil, err
	}

	// object numbers: fixed ones first, then pages, fonts, images, files
	const (
		catalogObj = iota + 1
		pagesObj
		resourcesObj
		infoObj
		metadataObj
		intentObj
		profileObj
		firstFree
	)
	next := firstFree
	alloc := func(n int) int { first := next; next += n; return first }
	pageObjs := alloc(2 * len(d.pages)) // page, content
	fontObjs := alloc(5 * len(d.fonts)) // Type0, CIDFont, descriptor, program, ToUnicode
	imageObjs := alloc(len(d.images))
	fileObjs := alloc(2 * len(d.attachments)) // file specification, embedded file

	w := &writer{offsets: make([]int, next)}
	w.buf = make([]byte, 0, 64<<10)
	w.buf = append(w.buf, "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"...)

	// catalog
	var cat strings.Builder
	fmt.Fprintf(&cat, "<< /Type /Catalog /Pages %d 0 R /Metadata %d 0 R /OutputIntents [%d 0 R]", pagesObj, metadataObj, intentObj)
	if d.info.Language != "" {
		cat.WriteString(" /Lang " + textString(d.info.Language))
	}
	if len(d.attachments) > 0 {
		cat.WriteString(" /Names << /EmbeddedFiles << /Names [")
		for _, i := range d.attachmentOrder() {
			fmt.Fprintf(&cat, " %s %d 0 R", textString(d.attachments[i].Name), fileObjs+2*i)
		}
		cat.WriteString(" ] >> >> /AF [")
		for i := range d.attachments {
			fmt.Fprintf(&cat, " %d 0 R", fileObjs+2*i)
		}
		cat.WriteString(" ] /PageMode /UseAttachments")
	}
	cat.WriteString(" /ViewerPreferences << /DisplayDocTitle true >> >>")
	w.object(catalogObj, cat.String())

	// page tree
	var kids strings.Builder
	for i := range d.pages {
		fmt.Fprintf(&kids, " %d 0 R", pageObjs+2*i)
	}
	w.object(pagesObj, fmt.Sprintf("<< /Type /Pages /Kids [%s ] /Count %d >>", kids.String(), len(d.pages)))

	// resources, shared by every page
	var res strings.Builder
	res.WriteString("<< /Font <<")
	for i, u := range d.fonts {
		fmt.Fprintf(&res, " /%s %d 0 R", u.name, fontObjs+5*i)
	}
	res.WriteString(" >>")
	if len(d.images) > 0 {
		res.WriteString(" /XObject <<")
		for i, img := range d.images {
			fmt.Fprintf(&res, " /%s %d 0 R", d.imageNames[img], imageObjs+i)
		}
		res.WriteString(" >>")
	}
	res.WriteString(" >>")
	w.object(resourcesObj, res.String())

	// info, metadata, output intent
	w.object(infoObj, d.infoDict())
	xmp := d.xmp()
	w.stream(metadataObj, fmt.Sprintf("/Type /Metadata /Subtype /XML /Length %d", len(xmp)), xmp)
	w.object(intentObj, fmt.Sprintf("<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier %s /RegistryName (http://www.color.org) /Info %s /DestOutputProfile %d 0 R >>",
		literal(outputCondition), literal(outputCondition), profileObj))
	profile := compressedProfile()
	w.stream(profileObj, fmt.Sprintf("/N 3 /Alternate /DeviceRGB /Filter /FlateDecode /Length %d", len(profile)), profile)

	for i, p := range d.pages {
		w.object(pageObjs+2*i, fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] /Resources %d 0 R /Contents %d 0 R >>",
			pagesObj, num(p.width), num(p.height), resourcesObj, pageObjs+2*i+1))
		content := compress(p.content, flate.BestSpeed)
		w.stream(pageObjs+2*i+1, fmt.Sprintf("/Filter /FlateDecode /Length %d", len(content)), content)
	}
	for i, u := range d.fonts {
		w.font(fontObjs+5*i, u)
	}
	for i, img := range d.images {
		w.image(imageObjs+i, img)
	}
	for i, a := range d.attachments {
		w.attachment(fileObjs+2*i, a, d.info)
	}

	// cross-reference table and trailer
	id := d.fileID()
	xref := len(w.buf)
	w.buf = append(w.buf, "xref\n0 "...)
	w.buf = strconv.AppendInt(w.buf, int64(next), 10)
	w.buf = append(w.buf, "\n0000000000 65535 f \n"...)
	for n := 1; n < next; n++ {
		w.buf = append(w.buf, fmt.Sprintf("%010d 00000 n \n", w.offsets[n])...)
	}
	w.buf = append(w.buf, fmt.Sprintf("trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n",
		next, catalogObj, infoObj, id, id, xref)...)
	return w.buf, nil
}

// fileID is the file identifier: a digest of the document's information,
// its pages' content and its attachments, so equal documents get equal
// identifiers and different ones different identifiers.
func (d *Document) fileID() string {
	h := md5.New()
	h.Write([]byte(d.infoDict()))
	for _, p := range d.pages {
		h.Write(p.content)
	}
	for _, u := range d.fonts {
		for _, r := range u.extraRunes {
			h.Write([]byte(string(r)))
		}
	}
	for _, a := range d.attachments {
		h.Write([]byte(a.Name))
		h.Write(a.Data)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// infoDict returns the document information dictionary.
func (d *Document) infoDict() string {
	in := d.info
	var b strings.Builder
	b.WriteString("<<")
	for _, e := range []struct{ key, value string }{
		{"Title", in.Title}, {"Author", in.Author}, {"Subject", in.Subject},
		{"Creator", in.Creator}, {"Producer", in.Producer},
	} {
		if e.value != "" {
			b.WriteString(" /" + e.key + " " + textString(e.value))
		}
	}
	b.WriteString(" /CreationDate " + date(in.Created) + " /ModDate " + date(in.Created) + " >>")
	return b.String()
}

// checkAttachments refuses attachments PDF/A-3 would not accept.
func (d *Document) checkAttachments() error {
	seen := map[string]bool{}
	for _, a := range d.attachments {
		switch {
		case a.Name == "":
			return errors.New("pdf: an attachment needs a file name")
		case seen[a.Name]:
			return fmt.Errorf("pdf: two attachments are named %q", a.Name)
		case !strings.Contains(a.MediaType, "/"):
			return fmt.Errorf("pdf: attachment %q needs a MIME type such as text/xml", a.Name)
		}
		switch a.Relationship {
		case Source, Data, Alternative, Supplement, Unspecified:
		default:
			return fmt.Errorf("pdf: attachment %q: relationship %q is not Source, Data, Alternative, Supplement or Unspecified", a.Name, a.Relationship)
		}
		seen[a.Name] = true
	}
	return nil
}

// attachmentOrder returns the attachments' indexes sorted by name, the order
// of a name tree.
func (d *Document) attachmentOrder() []int {
	order := make([]int, len(d.attachments))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool {
		return textString(d.attachments[order[i]].Name) < textString(d.attachments[order[j]].Name)
	})
	return order
}

// writer appends numbered objects and remembers where each starts.
type writer struct {
	buf     []byte
	offsets []int
}

func (w *writer) object(n int, body string) {
	w.offsets[n] = len(w.buf)
	w.buf = strconv.AppendInt(w.buf, int64(n), 10)
	w.buf = append(w.buf, " 0 obj\n"...)
	w.buf = append(w.buf, body...)
	w.buf = append(w.buf, "\nendobj\n"...)
}

// stream writes a stream object; dict is the inside of its dictionary and
// must hold the /Length of data.
func (w *writer) stream(n int, dict string, data []byte) {
	w.offsets[n] = len(w.buf)
	w.buf = strconv.AppendInt(w.buf, int64(n), 10)
	w.buf = append(w.buf, " 0 obj\n<< "...)
	w.buf = append(w.buf, dict...)
	w.buf = append(w.buf, " >>\nstream\n"...)
	w.buf = append(w.buf, data...)
	w.buf = append(w.buf, "\nendstream\nendobj\n"...)
}

// font writes a font as a Type0 font with Identity-H encoding over a
// CIDFontType2 holding a subset of the TrueType program, whose glyph ids
// are the CIDs.
func (w *writer) font(first int, u *fontUse) {
	f := u.font
	e := f.embed(u.extra, u.extraRunes)
	base := e.tag + "+" + f.PostScriptName

	w.object(first, fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>",
		base, first+1, first+4))
	w.object(first+1, fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /CIDToGIDMap /Identity /DW 1000 /W %s >>",
		base, first+2, e.widths))
	stemV := 80
	if f.bold {
		stemV = 140
	}
	w.object(first+2, fmt.Sprintf("<< /Type /FontDescriptor /FontName /%s /Flags 32 /FontBBox [%d %d %d %d] /ItalicAngle %s /Ascent %d /Descent %d /CapHeight %d /StemV %d /FontFile2 %d 0 R >>",
		base, f.em(f.bbox[0]), f.em(f.bbox[1]), f.em(f.bbox[2]), f.em(f.bbox[3]), num(f.italic),
		f.em(f.ascent), f.em(f.descent), f.em(f.capHeight), stemV, first+3))
	w.stream(first+3, fmt.Sprintf("/Length1 %d /Filter /FlateDecode /Length %d", e.length1, len(e.program)), e.program)
	w.stream(first+4, fmt.Sprintf("/Filter /FlateDecode /Length %d", len(e.toUnicode)), e.toUnicode)
}

func (w *writer) image(n int, img *Image) {
	data := img.stream()
	w.stream(n, fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /%s /BitsPerComponent %d /Filter /%s /Length %d",
		img.Width, img.Height, img.colorSpace, img.bitsPerComponent(), img.filter, len(data)), data)
}

// attachment writes a file specification and its embedded file stream.
func (w *writer) attachment(first int, a Attachment, info Info) {
	modified := a.Modified
	if modified.IsZero() {
		modified = info.Created
	}
	sum := md5.Sum(a.Data)
	w.object(first, fmt.Sprintf("<< /Type /Filespec /F %s /UF %s /Desc %s /AFRelationship /%s /EF << /F %d 0 R /UF %d 0 R >> >>",
		literal(asciiName(a.Name)), textString(a.Name), textString(a.Description), a.Relationship, first+1, first+1))
	packed := compress(a.Data, flate.DefaultCompression)
	w.stream(first+1, fmt.Sprintf("/Type /EmbeddedFile /Subtype %s /Params << /Size %d /ModDate %s /CheckSum <%s> >> /Filter /FlateDecode /Length %d",
		name(a.MediaType), len(a.Data), date(modified), hex.EncodeToString(sum[:]), len(packed)), packed)
}

// num writes a coordinate for a dictionary.
func num(x float64) string {
	return string(appendNum(nil, x))
}

var (
	profileOnce   sync.Once
	profilePacked []byte
)

func compressedProfile() []byte {
	profileOnce.Do(func() { profilePacked = compress(srgbProfile, flate.BestCompression) })
	return profilePacked
}

// compressors keeps zlib writers for reuse: each costs hundreds of
// kilobytes to set up.
var compressors = map[int]*sync.Pool{}

func init() {
	for _, level := range []int{flate.BestSpeed, flate.DefaultCompression, flate.BestCompression} {
		compressors[level] = &sync.Pool{New: func() any {
			zw, _ := zlib.NewWriterLevel(nil, level)
			return zw
		}}
	}
}

// compress deflates data with a zlib wrapper, as /FlateDecode expects.
func compress(data []byte, level int) []byte {
	var out bytes.Buffer
	out.Grow(len(data)/2 + 64)
	pool := compressors[level]
	zw := pool.Get().(*zlib.Writer)
	zw.Reset(&out)
	zw.Write(data)
	zw.Close()
	pool.Put(zw)
	return out.Bytes()
}
