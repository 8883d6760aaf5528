package render

import (
	"math"

	"github.com/kontor-app/kontor/hooks/render/pdf"
)

// pageSpace is the most a block can take on one page: the height between
// the running heading of a following page and the footer.
const pageSpace = bottomLimit - top - 26

// proposalBody draws what follows the header of a proposal: its title and
// introduction, the lines with their totals and VAT breakdown, and the
// terms.
func (l *layout) proposalBody(v *proposalView) {
	if v.Subject != "" {
		l.ensure(16 + 3*leading)
		for _, line := range wrap(l.bold, 13, v.Subject, contentW) {
			l.ensure(17)
			l.page.Text(l.bold, 13, ink, left, l.y+13, line)
			l.y += 17
		}
		l.y += 8
	}
	if v.Intro != "" {
		l.paragraph(v.Intro)
	}
	if len(v.Lines) > 0 {
		l.linesTable()
	}
	l.totals()
	if v.NotCounted != "" {
		const w = 250.0
		l.y -= 10
		for _, line := range wrap(l.regular, smallSize, v.NotCounted, w-2*cellPad) {
			l.ensure(10)
			l.page.Text(l.regular, smallSize, muted, right-w+cellPad, l.y+8, line)
			l.y += 10
		}
		l.y += 14
	}
	l.breakdown()
	if len(v.Notes) > 0 {
		l.notes()
		l.y += 12
	}
}

// signature draws the acceptance of a signed proposal: who accepted and
// when, the consent they gave, and their drawn signature when there is
// one, kept together on a page when it fits on one.
func (l *layout) signature(sv *signatureView, img *pdf.Image) {
	if sv == nil {
		return
	}
	accepted := wrap(l.regular, bodySize, sv.Accepted, contentW)
	var consent []string
	if sv.Consent != "" {
		consent = wrap(l.regular, bodySize, sv.Consent, contentW)
	}
	var imgW, imgH float64
	if img != nil {
		imgW, imgH = fit(float64(img.Width), float64(img.Height), 200, 64)
	}
	h := 28 + float64(len(accepted)+len(consent))*leading + 4
	if img != nil {
		h += imgH + 26
	}
	if !l.ensure(math.Min(h, pageSpace)) { // a new page has its own rule
		l.y += 6
		l.page.Line(left, l.y, right, l.y, 0.6, ruleColor)
		l.y += 6
	}
	l.page.Text(l.bold, 10, ink, left, l.y+10, sv.Heading)
	l.y += 16
	for _, line := range accepted {
		l.ensure(leading)
		l.page.Text(l.regular, bodySize, ink, left, l.y+8.5, line)
		l.y += leading
	}
	l.y += 4
	for _, line := range consent {
		l.ensure(leading)
		l.page.Text(l.regular, bodySize, muted, left, l.y+8.5, line)
		l.y += leading
	}
	if img != nil {
		l.ensure(imgH + 26)
		l.y += 8
		l.page.Image(img, left, l.y, imgW, imgH)
		l.y += imgH + 3
		l.page.Line(left, l.y, left+math.Max(imgW, 160), l.y, 0.5, muted)
		l.page.Text(l.regular, smallSize, muted, left, l.y+9, sv.ImageLabel)
		l.y += 15
	}
	l.y += 12
}

// certificate draws the audit certificate on pages of its own: the facts
// that identify the signed document, then every event of the trail. An
// event is kept on one page when it fits on one; a page break repeats the
// table's header row. Long values (user agents, hashes) wrap.
func (l *layout) certificate(cv *certificateView) {
	if cv == nil {
		return
	}
	l.newPage()
	for _, line := range wrap(l.bold, 16, cv.Title, contentW) {
		l.page.Text(l.bold, 16, ink, left, l.y+16, line)
		l.y += 20
	}
	l.y += 4
	for _, line := range wrap(l.regular, smallSize, cv.Intro, contentW) {
		l.ensure(10)
		l.page.Text(l.regular, smallSize, muted, left, l.y+8, line)
		l.y += 10
	}
	l.y += 10

	labelW := 0.0
	for _, f := range cv.Facts {
		labelW = math.Max(labelW, l.regular.Width(f.Label, smallSize))
	}
	labelW = math.Min(labelW+12, contentW/3)
	for _, f := range cv.Facts {
		lines := wrap(l.regular, bodySize, f.Value, contentW-labelW)
		l.ensure(math.Min(float64(len(lines))*leading+3, pageSpace))
		for i, line := range wrap(l.regular, smallSize, f.Label, labelW-6) {
			l.page.Text(l.regular, smallSize, muted, left, l.y+8.5+float64(i)*leading, line)
		}
		for i, line := range lines {
			if i > 0 {
				l.ensure(leading)
			}
			l.page.Text(l.regular, bodySize, ink, left+labelW, l.y+8.5, line)
			l.y += leading
		}
		l.y += 3
	}
	l.y += 12

	if len(cv.Events) == 0 {
		return
	}
	l.ensure(16 + 18 + 4*leading)
	l.page.Text(l.bold, 10, ink, left, l.y+10, cv.EventsHeading)
	l.y += 16
	l.eventsTable(cv)
}

// Sizes of the events table: its rows, and the details under them.
const (
	eventSize       = smallSize
	eventLeading    = 9.5
	detailSize      = 7.0
	detailLeading   = 9.0
	hashSize        = 6.5
	hashLeading     = 8.5
	eventHeaderRowH = 18.0
)

// eventsTable draws the events of an audit certificate.
func (l *layout) eventsTable(cv *certificateView) {
	// the sequence, type and time columns are as wide as their widest
	// cell, up to a share of the page; the IP address gets the rest
	widest := func(title string, cell func(eventView) string, most float64) float64 {
		w := l.bold.Width(title, smallSize)
		for _, e := range cv.Events {
			w = math.Max(w, l.regular.Width(cell(e), eventSize))
		}
		return math.Min(w+2*cellPad+2, most)
	}
	l.cols = []column{
		{title: cv.Seq, right: true, width: widest(cv.Seq, func(e eventView) string { return e.Seq }, contentW/8)},
		{title: cv.Event, width: widest(cv.Event, func(e eventView) string { return e.Type }, contentW/4)},
		{title: cv.Time, width: widest(cv.Time, func(e eventView) string { return e.Time }, contentW/3)},
		{title: cv.IP},
	}
	l.cols[3].width = contentW - l.cols[0].width - l.cols[1].width - l.cols[2].width

	labelX := left + l.cols[0].width + cellPad
	labelW := 0.0
	for _, e := range cv.Events {
		for _, d := range e.Details {
			labelW = math.Max(labelW, l.regular.Width(d.Label, detailSize))
		}
	}
	labelW = math.Min(labelW+8, contentW/4)
	valueX := labelX + labelW
	valueW := right - cellPad - valueX

	l.tableHeader()
	for _, e := range cv.Events {
		// the row's cells, wrapped in their columns
		cells := make([][]string, len(l.cols))
		rows := 1
		for i, s := range []string{e.Seq, e.Type, e.Time, e.IP} {
			cells[i] = wrap(l.regular, eventSize, s, l.cols[i].width-2*cellPad)
			rows = max(rows, len(cells[i]))
		}
		rowH := cellPad + float64(rows)*eventLeading + 1
		// the details, each value wrapped beside its label
		type detailLine struct {
			label, value string
			size, lead   float64
		}
		var details []detailLine
		for _, d := range e.Details {
			size, lead := detailSize, detailLeading
			if d.Small {
				size, lead = hashSize, hashLeading
			}
			for i, line := range wrap(l.regular, size, d.Value, valueW) {
				dl := detailLine{value: line, size: size, lead: lead}
				if i == 0 {
					dl.label = d.Label
				}
				details = append(details, dl)
			}
		}
		blockH := rowH + cellPad
		for _, d := range details {
			blockH += d.lead
		}

		// the whole event on one page when it fits on one, else at least
		// its row and first detail
		need := blockH
		if need > pageSpace-eventHeaderRowH {
			need = rowH + detailLeading + cellPad
		}
		if l.ensure(need) {
			l.tableHeader()
		}
		x := left
		for i, c := range l.cols {
			for j, line := range cells[i] {
				l.cell(c, x, l.y+cellPad+7+float64(j)*eventLeading, line, l.regular, eventSize, ink)
			}
			x += c.width
		}
		l.y += rowH
		for _, d := range details {
			if l.ensure(d.lead + cellPad) {
				l.tableHeader()
			}
			if d.label != "" {
				l.page.Text(l.regular, detailSize, muted, labelX, l.y+d.size, truncateToWidth(l.regular, detailSize, d.label, labelW-4))
			}
			l.page.Text(l.regular, d.size, ink, valueX, l.y+d.size, d.value)
			l.y += d.lead
		}
		l.y += cellPad
		l.page.Line(left, l.y, right, l.y, 0.4, ruleColor)
	}
	l.y += 14
}
