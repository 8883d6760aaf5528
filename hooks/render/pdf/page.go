package pdf

import (
	"math"
	"strconv"
)

// Color is an sRGB colour, each component from 0 to 1.
type Color struct{ R, G, B float64 }

// Common colours.
var (
	Black = Color{0, 0, 0}
	White = Color{1, 1, 1}
)

// Gray returns the neutral colour of the given lightness (0 black, 1 white).
func Gray(l float64) Color { return Color{l, l, l} }

// Page is one page of a document. Drawing appends to its content stream.
type Page struct {
	doc           *Document
	width, height float64
	content       []byte
}

// Size returns the page's width and height in points.
func (p *Page) Size() (width, height float64) {
	return p.width, p.height
}

// Text draws s with its baseline starting at (x, y).
func (p *Page) Text(f *Font, size float64, color Color, x, y float64, s string) {
	p.text(f, size, color, x, y, 0, s)
}

// TextRotated draws s from (x, y), turned counter-clockwise by degrees.
func (p *Page) TextRotated(f *Font, size float64, color Color, x, y, degrees float64, s string) {
	p.text(f, size, color, x, y, degrees, s)
}

func (p *Page) text(f *Font, size float64, color Color, x, y, degrees float64, s string) {
	if s == "" {
		return
	}
	u := p.doc.use(f)
	c := p.content
	c = append(c, "BT\n"...)
	c = appendColor(c, color, "rg")
	c = append(c, '/')
	c = append(c, u.name...)
	c = append(c, ' ')
	c = appendNum(c, size)
	c = append(c, " Tf\n"...)
	if degrees == 0 {
		c = append(c, "1 0 0 1 "...)
	} else {
		rad := degrees * math.Pi / 180
		cos, sin := math.Cos(rad), math.Sin(rad)
		c = appendNums(c, cos, sin, -sin, cos)
	}
	c = appendNums(c, x, p.height-y)
	c = append(c, "Tm\n<"...)
	for _, r := range s {
		r = drawable(r)
		if !f.HasRune(r) {
			r = '?'
		}
		g := u.cid(f.glyphOf(r), r)
		c = append(c, hexDigits[g>>12], hexDigits[g>>8&0xF], hexDigits[g>>4&0xF], hexDigits[g&0xF])
	}
	c = append(c, "> Tj\nET\n"...)
	p.content = c
}

// Rect fills the rectangle with its top-left corner at (x, y).
func (p *Page) Rect(x, y, w, h float64, fill Color) {
	c := appendColor(p.content, fill, "rg")
	c = appendNums(c, x, p.height-y-h, w, h)
	p.content = append(c, "re f\n"...)
}

// Line strokes a straight line.
func (p *Page) Line(x1, y1, x2, y2, width float64, color Color) {
	c := appendColor(p.content, color, "RG")
	c = appendNums(c, width)
	c = append(c, "w\n"...)
	c = appendNums(c, x1, p.height-y1)
	c = append(c, "m "...)
	c = appendNums(c, x2, p.height-y2)
	p.content = append(c, "l S\n"...)
}

// Image draws img into the rectangle with its top-left corner at (x, y).
func (p *Page) Image(img *Image, x, y, w, h float64) {
	name := p.doc.imageName(img)
	c := append(p.content, "q\n"...)
	c = appendNums(c, w, 0, 0, h, x, p.height-y-h)
	c = append(c, "cm\n/"...)
	c = append(c, name...)
	p.content = append(c, " Do\nQ\n"...)
}

const hexDigits = "0123456789ABCDEF"

func appendColor(c []byte, col Color, op string) []byte {
	c = appendNums(c, col.R, col.G, col.B)
	c = append(c, op...)
	return append(c, '\n')
}

// appendNums writes numbers each followed by a space.
func appendNums(c []byte, v ...float64) []byte {
	for _, x := range v {
		c = appendNum(c, x)
		c = append(c, ' ')
	}
	return c
}

// appendNum writes x with at most 3 decimals and no trailing zeros.
func appendNum(c []byte, x float64) []byte {
	x = math.Round(x*1000) / 1000
	if x == 0 {
		return append(c, '0')
	}
	start := len(c)
	c = strconv.AppendFloat(c, x, 'f', 3, 64)
	end := len(c)
	for end > start && c[end-1] == '0' {
		end--
	}
	if c[end-1] == '.' {
		end--
	}
	return c[:end]
}

func itoa(i int) string { return strconv.Itoa(i) }
