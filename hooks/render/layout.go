package render

import (
	"math"
	"strings"

	"github.com/kontor-app/kontor/hooks/render/pdf"
)

// Page geometry, in points on A4.
const (
	pageWidth   = pdf.A4Width
	pageHeight  = pdf.A4Height
	left        = 48.0
	right       = pageWidth - 48
	contentW    = right - left
	top         = 52.0
	bottomLimit = pageHeight - 66 // content stops here; the footer is below
	footerY     = pageHeight - 34

	bodySize  = 8.5
	smallSize = 7.5
	leading   = 11.0 // baseline to baseline of body text
	cellPad   = 4.0
)

// Colours: near-black text, grey for labels and rules, and a red only for
// the draft marks. All opaque, on white.
var (
	ink       = pdf.Gray(0.12)
	muted     = pdf.Gray(0.42)
	ruleColor = pdf.Gray(0.80)
	band      = pdf.Gray(0.93)
	watermark = pdf.Gray(0.90)
	draftInk  = pdf.Color{R: 0.70, G: 0.08, B: 0.08}
	draftBand = pdf.Color{R: 1, G: 0.92, B: 0.92}
)

// layout flows a view down the pages of a document.
type layout struct {
	doc     *pdf.Document
	v       *view
	regular *pdf.Font
	bold    *pdf.Font
	page    *pdf.Page
	y       float64 // top of the free space on the page
	cols    []column
}

// column is a column of the lines table.
type column struct {
	title string
	width float64
	right bool // right-aligned (numbers)
	value func(lineView) string
}

// newPage starts a page: the draft marks when it is a draft, and from the
// second page on a line naming the document.
func (l *layout) newPage() {
	l.page = l.doc.AddPage(pageWidth, pageHeight)
	l.y = top
	if l.v.Draft {
		size := 92.0
		w := l.bold.Width(l.v.DraftMark, size)
		angle := 55.0
		rad := angle * math.Pi / 180
		cx, cy := pageWidth/2, pageHeight/2
		x := cx - math.Cos(rad)*w/2 + math.Sin(rad)*size*0.35
		y := cy + math.Sin(rad)*w/2 + math.Cos(rad)*size*0.35
		l.page.TextRotated(l.bold, size, watermark, x, y, angle, l.v.DraftMark)

		l.page.Rect(left, 18, contentW, 20, draftBand)
		w = l.bold.Width(l.v.DraftNotice, 10)
		l.page.Text(l.bold, 10, draftInk, left+(contentW-w)/2, 31.5, l.v.DraftNotice)
	}
	if len(l.doc.Pages()) > 1 {
		l.page.Text(l.bold, 9, ink, left, l.y+9, l.v.Heading)
		l.page.Line(left, l.y+15, right, l.y+15, 0.5, ruleColor)
		l.y += 26
	}
}

// ensure starts a new page unless h points still fit on this one, and
// reports whether it did.
func (l *layout) ensure(h float64) bool {
	if l.y+h <= bottomLimit {
		return false
	}
	l.newPage()
	return true
}

// header draws the logo, the seller and the buyer on the left, the title
// and the document's numbers and dates on the right.
func (l *layout) header(logo *pdf.Image) {
	p, v := l.page, l.v
	start := l.y

	// right: title and facts
	const metaW, labelW = 230.0, 96.0
	mx := right - metaW
	titleSize := 20.0
	p.Text(l.bold, titleSize, ink, right-l.bold.Width(v.Title, titleSize), start+17, v.Title)
	my := start + 40
	for _, m := range v.Meta {
		p.Text(l.regular, smallSize, muted, mx, my, m.Label)
		lines := wrap(l.regular, bodySize, m.Value, metaW-labelW)
		for i, line := range lines {
			p.Text(l.regular, bodySize, ink, mx+labelW, my+float64(i)*leading, line)
		}
		my += float64(len(lines))*leading + 2
	}

	// left: logo, seller, buyer
	colW := mx - left - 24
	ly := start
	if logo != nil {
		w, h := fit(float64(logo.Width), float64(logo.Height), math.Min(colW, 190), 52)
		p.Image(logo, left, ly, w, h)
		ly += h + 12
	}
	ly = l.party(v.Seller, left, ly, colW, "")
	ly = l.party(v.Buyer, left, ly+12, colW, v.BillTo)

	l.y = math.Max(ly, my) + 14
}

// party draws a name and address block from y and returns where it ends.
func (l *layout) party(pv partyView, x, y, width float64, label string) float64 {
	if label != "" {
		l.page.Text(l.regular, smallSize, muted, x, y+7, label)
		y += 11
	}
	for _, line := range wrap(l.bold, 10, pv.Name, width) {
		l.page.Text(l.bold, 10, ink, x, y+10, line)
		y += 12.5
	}
	for _, line := range pv.Lines {
		for _, part := range wrap(l.regular, bodySize, line, width) {
			l.page.Text(l.regular, bodySize, ink, x, y+8.5, part)
			y += leading
		}
	}
	return y
}

// linesTable draws the invoice lines; when a page fills up the table goes
// on at the top of the next one, under its header row again.
func (l *layout) linesTable() {
	v := l.v
	lb := v.Labels
	l.cols = []column{
		{title: lb.Description, value: func(r lineView) string { return r.Description }},
		{title: lb.Quantity, right: true, value: func(r lineView) string { return r.Quantity }},
		{title: lb.Unit, value: func(r lineView) string { return r.Unit }},
		{title: lb.UnitPrice, right: true, value: func(r lineView) string { return r.UnitPrice }},
	}
	if v.HasDiscount {
		l.cols = append(l.cols, column{title: lb.Discount, right: true, value: func(r lineView) string { return r.Discount }})
	}
	l.cols = append(l.cols,
		column{title: lb.VAT, right: true, value: func(r lineView) string { return r.VAT }},
		column{title: lb.Net, right: true, value: func(r lineView) string { return r.Net }},
	)
	// every column but the description is as wide as its widest cell, so
	// the description gets the rest
	fixed := 0.0
	for i := range l.cols[1:] {
		c := &l.cols[i+1]
		c.width = l.bold.Width(c.title, smallSize)
		for _, row := range v.Lines {
			c.width = math.Max(c.width, l.regular.Width(c.value(row), bodySize))
		}
		c.width += 2*cellPad + 2
		fixed += c.width
	}
	l.cols[0].width = math.Max(contentW-fixed, contentW/3)

	w := l.regular.Width(v.AmountsIn, smallSize)
	l.page.Text(l.regular, smallSize, muted, right-w, l.y, v.AmountsIn)
	l.y += 5
	l.tableHeader()
	for _, row := range v.Lines {
		l.lineRow(row)
	}
	l.y += 14
}

// lineRow draws one row of the lines table, on the next page under the
// header row again when it does not fit. A row's note is printed small
// under its description; an excluded row is greyed and its amount struck
// out, since it does not count.
func (l *layout) lineRow(row lineView) {
	const noteLeading = 9.5
	descW := l.cols[0].width - 2*cellPad
	desc := wrap(l.regular, bodySize, row.Description, descW)
	var note []string
	if row.Note != "" {
		note = wrap(l.bold, smallSize, row.Note, descW)
	}
	h := float64(len(desc))*leading + float64(len(note))*noteLeading + 2*cellPad - 1
	if l.ensure(h) {
		l.tableHeader()
	}
	color := ink
	if row.Excluded {
		color = muted
	}
	baseline := l.y + cellPad + 8
	x := left
	for i, c := range l.cols {
		if i == 0 {
			for j, line := range desc {
				l.page.Text(l.regular, bodySize, color, x+cellPad, baseline+float64(j)*leading, line)
			}
			for j, line := range note {
				l.page.Text(l.bold, smallSize, muted, x+cellPad, baseline+float64(len(desc))*leading+float64(j)*noteLeading-1, line)
			}
		} else {
			s := c.value(row)
			l.cell(c, x, baseline, s, l.regular, bodySize, color)
			if row.Excluded && i == len(l.cols)-1 && s != "" {
				w := l.regular.Width(s, bodySize)
				sx := x + c.width - cellPad
				l.page.Line(sx-w-1, baseline-3, sx+1, baseline-3, 0.6, muted)
			}
		}
		x += c.width
	}
	l.y += h
	l.page.Line(left, l.y, right, l.y, 0.4, ruleColor)
}

// tableHeader draws the header row of the lines table.
func (l *layout) tableHeader() {
	const h = 18.0
	l.ensure(h + 2*leading)
	l.page.Rect(left, l.y, contentW, h, band)
	x := left
	for _, c := range l.cols {
		l.cell(c, x, l.y+12, c.title, l.bold, smallSize, ink)
		x += c.width
	}
	l.y += h
}

// cell draws one line of text in a column, left- or right-aligned.
func (l *layout) cell(c column, x, baseline float64, s string, f *pdf.Font, size float64, color pdf.Color) {
	if c.right {
		l.page.Text(f, size, color, x+c.width-cellPad-f.Width(s, size), baseline, s)
		return
	}
	l.page.Text(f, size, color, x+cellPad, baseline, s)
}

// totals draws the totals, right-aligned under the table.
func (l *layout) totals() {
	const w, rowH = 250.0, 15.0
	h := float64(len(l.v.Totals))*rowH + 6
	l.ensure(h)
	x := right - w
	for i, t := range l.v.Totals {
		f, size := l.regular, bodySize
		if t.Strong {
			f, size = l.bold, 9.5
			if i > 0 {
				l.page.Line(x, l.y+1, right, l.y+1, 0.6, ink)
			}
		}
		l.page.Text(f, size, ink, x+cellPad, l.y+11, t.Label)
		l.page.Text(f, size, ink, right-cellPad-f.Width(t.Value, size), l.y+11, t.Value)
		l.y += rowH
	}
	l.y += 16
}

// breakdown draws the VAT breakdown, each exemption reason (the legal
// mention the VAT case requires) under its category.
func (l *layout) breakdown() {
	v := l.v
	if len(v.Breakdown) == 0 {
		return
	}
	cols := []column{
		{title: v.Labels.Category},
		{title: v.Labels.Rate, width: 64, right: true},
		{title: v.Labels.Taxable, width: 112, right: true},
		{title: v.Labels.VATAmount, width: 112, right: true},
	}
	cols[0].width = contentW - 64 - 112 - 112

	header := func() {
		l.page.Text(l.bold, 10, ink, left, l.y+10, v.Labels.Breakdown)
		l.y += 16
		l.page.Rect(left, l.y, contentW, 18, band)
		x := left
		for _, c := range cols {
			l.cell(c, x, l.y+12, c.title, l.bold, smallSize, ink)
			x += c.width
		}
		l.y += 18
	}
	l.ensure(34 + 2*leading)
	header()
	for _, b := range v.Breakdown {
		reason := wrap(l.regular, bodySize, b.Reason, contentW-2*cellPad)
		if b.Reason == "" {
			reason = nil
		}
		h := leading + 2*cellPad - 1 + float64(len(reason))*leading
		if l.ensure(h) {
			header()
		}
		x := left
		for i, s := range []string{b.Category, b.Rate, b.Taxable, b.VAT} {
			l.cell(cols[i], x, l.y+cellPad+8, s, l.regular, bodySize, ink)
			x += cols[i].width
		}
		for j, line := range reason {
			l.page.Text(l.regular, bodySize, ink, left+cellPad, l.y+cellPad+8+float64(j+1)*leading, line)
		}
		l.y += h
		l.page.Line(left, l.y, right, l.y, 0.4, ruleColor)
	}
	l.y += 18
}

// payment draws the payment instruction and its EPC QR code, kept together
// on one page.
func (l *layout) payment() {
	v := l.v
	if v.Payment == nil {
		if v.PaidInFull != "" {
			l.ensure(leading + 10)
			l.page.Text(l.bold, 9.5, ink, left, l.y+10, v.PaidInFull)
			l.y += leading + 14
		}
		return
	}
	pv := v.Payment
	const qrSize = 88.0
	textW := contentW
	if pv.QR != nil {
		textW -= qrSize + 24
	}
	body := wrap(l.regular, bodySize, pv.Text, textW)
	h := 16 + float64(len(body))*leading + 6 + float64(len(pv.Rows))*leading
	if pv.QR != nil {
		h = math.Max(h, qrSize+14)
	}
	l.ensure(h + 8)
	start := l.y
	l.page.Text(l.bold, 10, ink, left, l.y+10, pv.Heading)
	l.y += 16
	for _, line := range body {
		l.page.Text(l.regular, bodySize, ink, left, l.y+8.5, line)
		l.y += leading
	}
	l.y += 6
	for _, r := range pv.Rows {
		l.page.Text(l.regular, smallSize, muted, left, l.y+8.5, r.Label)
		l.page.Text(l.regular, bodySize, ink, left+92, l.y+8.5, r.Value)
		l.y += leading
	}
	if pv.QR != nil {
		if img, err := qrImage(pv.QR); err == nil {
			l.page.Image(img, right-qrSize, start, qrSize, qrSize)
			w := l.regular.Width(pv.QRLabel, smallSize)
			l.page.Text(l.regular, smallSize, muted, math.Min(right-qrSize/2-w/2, right-w), start+qrSize+8, pv.QRLabel)
		}
	}
	l.y = start + h + 16
}

// notes draws the document's notes, line by line across pages if need be.
func (l *layout) notes() {
	v := l.v
	if len(v.Notes) == 0 {
		return
	}
	l.ensure(16 + 2*leading)
	l.page.Text(l.bold, 10, ink, left, l.y+10, v.NotesHeading)
	l.y += 16
	for _, para := range v.Notes {
		for _, line := range wrap(l.regular, bodySize, para, contentW) {
			l.ensure(leading)
			l.page.Text(l.regular, bodySize, ink, left, l.y+8.5, line)
			l.y += leading
		}
	}
}

// footers writes the seller and "Page n of N" on every page, once the
// number of pages is known.
func (l *layout) footers() {
	pages := l.doc.Pages()
	for i, p := range pages {
		p.Line(left, footerY-11, right, footerY-11, 0.4, ruleColor)
		footer := truncateToWidth(l.regular, smallSize, l.v.Footer, contentW-120)
		p.Text(l.regular, smallSize, muted, left, footerY, footer)
		label := l.v.page(i+1, len(pages))
		p.Text(l.regular, smallSize, muted, right-l.regular.Width(label, smallSize), footerY, label)
	}
}

// fit scales w × h to fit in maxW × maxH, keeping the proportions.
func fit(w, h, maxW, maxH float64) (float64, float64) {
	s := math.Min(maxW/w, maxH/h)
	return w * s, h * s
}

// wrap breaks text into lines no wider than width: at spaces, and inside
// a word only when the word alone is too wide. Line breaks in the text are
// kept. Empty text gives one empty line.
func wrap(f *pdf.Font, size float64, s string, width float64) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			candidate := word
			if line != "" {
				candidate = line + " " + word
			}
			if f.Width(candidate, size) <= width {
				line = candidate
				continue
			}
			if line != "" {
				out = append(out, line)
				line = ""
			}
			for f.Width(word, size) > width {
				cut := breakAt(f, size, word, width)
				out = append(out, word[:cut])
				word = word[cut:]
			}
			line = word
		}
		out = append(out, line)
	}
	return out
}

// breakAt returns the byte index where word must break to fit width, at
// least one character in.
func breakAt(f *pdf.Font, size float64, word string, width float64) int {
	last := 0
	for i := range word {
		if i > 0 && f.Width(word[:i], size) > width {
			break
		}
		last = i
	}
	if last == 0 {
		for i := range word {
			if i > 0 {
				return i
			}
		}
		return len(word)
	}
	return last
}

// truncateToWidth shortens s with an ellipsis to fit width.
func truncateToWidth(f *pdf.Font, size float64, s string, width float64) string {
	if f.Width(s, size) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && f.Width(string(r)+"…", size) > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
