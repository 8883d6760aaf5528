package render

import "math"

// paragraph draws text across the page, line by line across pages if need
// be, and leaves a gap under it.
func (l *layout) paragraph(s string) {
	for _, line := range wrap(l.regular, bodySize, s, contentW) {
		l.ensure(leading)
		l.page.Text(l.regular, bodySize, ink, left, l.y+8.5, line)
		l.y += leading
	}
	l.y += 12
}

// dunningTable draws the overdue invoices of a dunning letter; when a page
// fills up the table goes on at the top of the next one, under its header
// row again.
func (l *layout) dunningTable(v *dunningView) {
	l.cols = append([]column(nil), v.Columns...)
	// every column is as wide as its widest cell; the invoice number
	// column gets what is left
	fixed := 0.0
	for i := range l.cols[1:] {
		c := &l.cols[i+1]
		c.width = l.bold.Width(c.title, smallSize)
		for _, row := range v.Rows {
			c.width = math.Max(c.width, l.regular.Width(row[i+1], bodySize))
		}
		c.width += 2*cellPad + 2
		fixed += c.width
	}
	l.cols[0].width = math.Max(contentW-fixed, contentW/5)

	l.tableHeader()
	h := leading + 2*cellPad - 1
	for _, row := range v.Rows {
		if l.ensure(h) {
			l.tableHeader()
		}
		x := left
		for i, c := range l.cols {
			s := row[i]
			if i == 0 {
				s = truncateToWidth(l.regular, bodySize, s, c.width-2*cellPad)
			}
			l.cell(c, x, l.y+cellPad+8, s, l.regular, bodySize, ink)
			x += c.width
		}
		l.y += h
		l.page.Line(left, l.y, right, l.y, 0.4, ruleColor)
	}
	l.y += 14
}
