package pdf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unicode/utf8"
)

// Font is a parsed TrueType font (glyf outlines). Parse it once and share
// it: a Font is read-only after ParseFont and safe for concurrent use.
type Font struct {
	// PostScriptName is the font's name in the PDF, without subset tag.
	PostScriptName string

	data       []byte
	tables     map[string][]byte
	unitsPerEm int
	ascent     int // hhea ascender, font units
	descent    int // hhea descender, font units (negative)
	capHeight  int
	bbox       [4]int
	italic     float64
	bold       bool
	numGlyphs  int
	advances   []uint16 // per glyph, font units
	widths     []int    // per glyph, 1/1000 em, as written in /W
	loca       []uint32 // numGlyphs+1 offsets into glyf
	bmp        []uint16 // rune → glyph for U+0000..U+FFFF
	astral     map[rune]uint16
	fallback   uint16 // glyph of '?', drawn for runes the font lacks
	base       base   // the glyphs every subset holds
	cache      embeddings
}

// ParseFont reads a TrueType font file with glyf outlines.
func ParseFont(data []byte) (*Font, error) {
	f := &Font{data: data, tables: map[string][]byte{}}
	if len(data) < 12 {
		return nil, errors.New("pdf: font file too short")
	}
	if v := binary.BigEndian.Uint32(data); v != 0x00010000 && v != 0x74727565 {
		return nil, errors.New("pdf: not a TrueType font (glyf outlines)")
	}
	n := int(binary.BigEndian.Uint16(data[4:]))
	if len(data) < 12+16*n {
		return nil, errors.New("pdf: truncated table directory")
	}
	for i := 0; i < n; i++ {
		rec := data[12+16*i:]
		tag := string(rec[:4])
		off, length := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		if uint64(off)+uint64(length) > uint64(len(data)) {
			return nil, fmt.Errorf("pdf: table %q out of bounds", tag)
		}
		f.tables[tag] = data[off : off+length]
	}
	for _, t := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap"} {
		if f.tables[t] == nil {
			return nil, fmt.Errorf("pdf: font lacks the %q table", t)
		}
	}
	if err := f.parseMetrics(); err != nil {
		return nil, err
	}
	if err := f.parseCmap(); err != nil {
		return nil, err
	}
	f.PostScriptName = f.postScriptName()
	f.fallback = f.glyph('?')
	f.base = newBase(f)
	return f, nil
}

func (f *Font) parseMetrics() error {
	head, hhea, maxp := f.tables["head"], f.tables["hhea"], f.tables["maxp"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 {
		return errors.New("pdf: truncated head, hhea or maxp")
	}
	f.unitsPerEm = int(binary.BigEndian.Uint16(head[18:]))
	if f.unitsPerEm == 0 {
		return errors.New("pdf: unitsPerEm is 0")
	}
	for i := range f.bbox {
		f.bbox[i] = int(int16(binary.BigEndian.Uint16(head[36+2*i:])))
	}
	longLoca := binary.BigEndian.Uint16(head[50:]) == 1
	f.ascent = int(int16(binary.BigEndian.Uint16(hhea[4:])))
	f.descent = int(int16(binary.BigEndian.Uint16(hhea[6:])))
	hMetrics := int(binary.BigEndian.Uint16(hhea[34:]))
	f.numGlyphs = int(binary.BigEndian.Uint16(maxp[4:]))
	if hMetrics == 0 || hMetrics > f.numGlyphs {
		return errors.New("pdf: bad numberOfHMetrics")
	}

	hmtx := f.tables["hmtx"]
	if len(hmtx) < 4*hMetrics {
		return errors.New("pdf: truncated hmtx")
	}
	f.advances = make([]uint16, f.numGlyphs)
	f.widths = make([]int, f.numGlyphs)
	for g := 0; g < f.numGlyphs; g++ {
		i := g
		if i >= hMetrics {
			i = hMetrics - 1
		}
		f.advances[g] = binary.BigEndian.Uint16(hmtx[4*i:])
		f.widths[g] = int(math.Round(float64(f.advances[g]) * 1000 / float64(f.unitsPerEm)))
	}

	loca := f.tables["loca"]
	f.loca = make([]uint32, f.numGlyphs+1)
	for g := 0; g <= f.numGlyphs; g++ {
		switch {
		case longLoca && len(loca) >= 4*g+4:
			f.loca[g] = binary.BigEndian.Uint32(loca[4*g:])
		case !longLoca && len(loca) >= 2*g+2:
			f.loca[g] = 2 * uint32(binary.BigEndian.Uint16(loca[2*g:]))
		default:
			return errors.New("pdf: truncated loca")
		}
	}
	if int(f.loca[f.numGlyphs]) > len(f.tables["glyf"]) {
		return errors.New("pdf: loca points past glyf")
	}

	f.capHeight = f.ascent * 7 / 10
	if os2 := f.tables["OS/2"]; len(os2) >= 90 && binary.BigEndian.Uint16(os2) >= 2 {
		f.capHeight = int(int16(binary.BigEndian.Uint16(os2[88:])))
	}
	if os2 := f.tables["OS/2"]; len(os2) >= 6 {
		f.bold = binary.BigEndian.Uint16(os2[4:]) >= 600
	}
	if post := f.tables["post"]; len(post) >= 8 {
		fixed := int32(binary.BigEndian.Uint32(post[4:]))
		f.italic = float64(fixed) / 65536
	}
	return nil
}

// parseCmap reads the Unicode cmap: format 12 (full Unicode) when there is
// one, else format 4 (BMP).
func (f *Font) parseCmap() error {
	cmap := f.tables["cmap"]
	if len(cmap) < 4 {
		return errors.New("pdf: truncated cmap")
	}
	var sub4, sub12 []byte
	n := int(binary.BigEndian.Uint16(cmap[2:]))
	for i := 0; i < n && 4+8*i+8 <= len(cmap); i++ {
		rec := cmap[4+8*i:]
		platform, encoding := binary.BigEndian.Uint16(rec), binary.BigEndian.Uint16(rec[2:])
		off := int(binary.BigEndian.Uint32(rec[4:]))
		if off+4 > len(cmap) {
			continue
		}
		sub := cmap[off:]
		switch format := binary.BigEndian.Uint16(sub); {
		case format == 12 && (platform == 3 && encoding == 10 || platform == 0):
			sub12 = sub
		case format == 4 && (platform == 3 && encoding == 1 || platform == 0):
			sub4 = sub
		}
	}
	f.bmp = make([]uint16, 0x10000)
	f.astral = map[rune]uint16{}
	switch {
	case sub12 != nil:
		return f.readCmap12(sub12)
	case sub4 != nil:
		return f.readCmap4(sub4)
	}
	return errors.New("pdf: font has no Unicode cmap")
}

func (f *Font) readCmap4(sub []byte) error {
	if len(sub) < 14 {
		return errors.New("pdf: truncated cmap format 4")
	}
	segs := int(binary.BigEndian.Uint16(sub[6:])) / 2
	if len(sub) < 16+8*segs {
		return errors.New("pdf: truncated cmap format 4")
	}
	ends, starts := sub[14:], sub[16+2*segs:]
	deltas, ranges := sub[16+4*segs:], sub[16+6*segs:]
	for s := 0; s < segs; s++ {
		end := int(binary.BigEndian.Uint16(ends[2*s:]))
		start := int(binary.BigEndian.Uint16(starts[2*s:]))
		delta := int(binary.BigEndian.Uint16(deltas[2*s:]))
		rangeOff := int(binary.BigEndian.Uint16(ranges[2*s:]))
		for c := start; c <= end && c < 0xFFFF; c++ {
			var g int
			if rangeOff == 0 {
				g = (c + delta) & 0xFFFF
			} else {
				at := 16 + 6*segs + 2*s + rangeOff + 2*(c-start)
				if at+2 > len(sub) {
					continue
				}
				g = int(binary.BigEndian.Uint16(sub[at:]))
				if g != 0 {
					g = (g + delta) & 0xFFFF
				}
			}
			if g < f.numGlyphs {
				f.bmp[c] = uint16(g)
			}
		}
	}
	return nil
}

func (f *Font) readCmap12(sub []byte) error {
	if len(sub) < 16 {
		return errors.New("pdf: truncated cmap format 12")
	}
	groups := int(binary.BigEndian.Uint32(sub[12:]))
	if len(sub) < 16+12*groups {
		return errors.New("pdf: truncated cmap format 12")
	}
	for i := 0; i < groups; i++ {
		rec := sub[16+12*i:]
		start, end := binary.BigEndian.Uint32(rec), binary.BigEndian.Uint32(rec[4:])
		g := binary.BigEndian.Uint32(rec[8:])
		for c := start; c <= end && c <= utf8.MaxRune; c++ {
			gid := g + (c - start)
			if gid >= uint32(f.numGlyphs) {
				break
			}
			if c < 0x10000 {
				f.bmp[c] = uint16(gid)
			} else {
				f.astral[rune(c)] = uint16(gid)
			}
		}
	}
	return nil
}

// postScriptName reads name ID 6, falling back to "Font".
func (f *Font) postScriptName() string {
	name := f.tables["name"]
	if len(name) < 6 {
		return "Font"
	}
	count, strOff := int(binary.BigEndian.Uint16(name[2:])), int(binary.BigEndian.Uint16(name[4:]))
	for i := 0; i < count && 6+12*i+12 <= len(name); i++ {
		rec := name[6+12*i:]
		platform, id := binary.BigEndian.Uint16(rec), binary.BigEndian.Uint16(rec[6:])
		length, off := int(binary.BigEndian.Uint16(rec[8:])), int(binary.BigEndian.Uint16(rec[10:]))
		if id != 6 || strOff+off+length > len(name) {
			continue
		}
		raw := name[strOff+off : strOff+off+length]
		var s []byte
		if platform == 3 || platform == 0 { // UTF-16BE
			for j := 0; j+1 < len(raw); j += 2 {
				s = append(s, raw[j+1])
			}
		} else {
			s = raw
		}
		if out := sanitizeName(string(s)); out != "" {
			return out
		}
	}
	return "Font"
}

func sanitizeName(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c > ' ' && c < 0x7F && c != '/' && c != '(' && c != ')' && c != '[' && c != ']' && c != '<' && c != '>' && c != '{' && c != '}' && c != '%' {
			out = append(out, c)
		}
	}
	return string(out)
}

// glyph returns the glyph of r, 0 when the font lacks it.
func (f *Font) glyph(r rune) uint16 {
	if r >= 0 && r < 0x10000 {
		return f.bmp[r]
	}
	return f.astral[r]
}

// HasRune reports whether the font draws r.
func (f *Font) HasRune(r rune) bool {
	return f.glyph(r) != 0
}

// glyphOf returns the glyph drawn for r: its own, or the fallback '?'.
// A PDF/A file must never show the .notdef glyph.
func (f *Font) glyphOf(r rune) uint16 {
	if g := f.glyph(r); g != 0 {
		return g
	}
	return f.fallback
}

// Width returns the advance width of s at size, in the unit of size.
func (f *Font) Width(s string, size float64) float64 {
	w := 0
	for _, r := range s {
		w += f.widths[f.glyphOf(drawable(r))]
	}
	return float64(w) * size / 1000
}

// Ascent returns the height above the baseline of the font at size.
func (f *Font) Ascent(size float64) float64 {
	return float64(f.ascent) * size / float64(f.unitsPerEm)
}

// Descent returns the depth below the baseline (a positive number) at size.
func (f *Font) Descent(size float64) float64 {
	return -float64(f.descent) * size / float64(f.unitsPerEm)
}

// drawable maps characters that are never drawn as such (tabs, line breaks,
// other controls) to a space.
func drawable(r rune) rune {
	if r < ' ' || r == 0x7F || (r >= 0x80 && r < 0xA0) {
		return ' '
	}
	return r
}

// em converts font units to 1/1000 em.
func (f *Font) em(v int) int {
	return int(math.Round(float64(v) * 1000 / float64(f.unitsPerEm)))
}
