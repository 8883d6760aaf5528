package pdf

import (
	"encoding/binary"
	"sort"
)

// Composite glyph flags (TrueType glyf table).
const (
	argsAreWords    = 0x0001
	haveScale       = 0x0008
	moreComponents  = 0x0020
	haveXYScale     = 0x0040
	haveTwoByTwo    = 0x0080
	compositeHeader = 10
)

// subsetTables are the tables a CIDFontType2 program needs; cmap, name and
// post are left out, since the PDF maps codes to glyphs itself.
var subsetTables = []string{"cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "prep"}

// glyphData returns the outline of glyph g in the font's glyf table.
func (f *Font) glyphData(g uint16) []byte {
	start, end := f.loca[g], f.loca[g+1]
	if end <= start {
		return nil
	}
	return f.tables["glyf"][start:end]
}

// components calls fn with the offset of each component's glyph index in a
// composite glyph's data; simple glyphs have none.
func components(data []byte, fn func(at int)) {
	if len(data) < compositeHeader || int16(binary.BigEndian.Uint16(data)) >= 0 {
		return
	}
	for at := compositeHeader; at+4 <= len(data); {
		flags := binary.BigEndian.Uint16(data[at:])
		fn(at + 2)
		at += 4
		if flags&argsAreWords != 0 {
			at += 4
		} else {
			at += 2
		}
		switch {
		case flags&haveScale != 0:
			at += 2
		case flags&haveXYScale != 0:
			at += 4
		case flags&haveTwoByTwo != 0:
			at += 8
		}
		if flags&moreComponents == 0 {
			return
		}
	}
}

// subset returns a font program holding glyph 0 (.notdef) and the glyphs of
// order, renumbered: order[i] becomes glyph i+1, so a PDF that shows glyph
// order[i] as CID i+1 maps CIDs to glyphs with /Identity. Glyphs that
// composite glyphs are built from are appended after them.
func (f *Font) subset(order []uint16) []byte {
	newID := make(map[uint16]uint16, len(order)+8)
	glyphs := make([]uint16, 0, len(order)+8)
	add := func(g uint16) {
		if _, ok := newID[g]; !ok {
			newID[g] = uint16(len(glyphs))
			glyphs = append(glyphs, g)
		}
	}
	add(0)
	for _, g := range order {
		add(g)
	}
	for i := 0; i < len(glyphs); i++ { // glyphs grows as components are found
		data := f.glyphData(glyphs[i])
		components(data, func(at int) {
			if c := binary.BigEndian.Uint16(data[at:]); int(c) < f.numGlyphs {
				add(c)
			}
		})
	}

	n := len(glyphs)
	glyf := make([]byte, 0, 4096)
	loca := make([]byte, 4*(n+1))
	hmtx := make([]byte, 4*n)
	for i, g := range glyphs {
		binary.BigEndian.PutUint32(loca[4*i:], uint32(len(glyf)))
		start := len(glyf)
		glyf = append(glyf, f.glyphData(g)...)
		components(glyf[start:], func(at int) {
			at += start
			binary.BigEndian.PutUint16(glyf[at:], newID[binary.BigEndian.Uint16(glyf[at:])])
		})
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
		binary.BigEndian.PutUint16(hmtx[4*i:], f.advances[g])
		binary.BigEndian.PutUint16(hmtx[4*i+2:], uint16(f.leftSideBearing(g)))
	}
	binary.BigEndian.PutUint32(loca[4*n:], uint32(len(glyf)))

	head := append([]byte(nil), f.tables["head"]...)
	binary.BigEndian.PutUint32(head[8:], 0)  // checkSumAdjustment, set by assembleFont
	binary.BigEndian.PutUint16(head[50:], 1) // long loca offsets
	hhea := append([]byte(nil), f.tables["hhea"]...)
	binary.BigEndian.PutUint16(hhea[34:], uint16(n)) // numberOfHMetrics
	maxp := append([]byte(nil), f.tables["maxp"]...)
	binary.BigEndian.PutUint16(maxp[4:], uint16(n)) // numGlyphs

	tables := map[string][]byte{"glyf": glyf, "loca": loca, "hmtx": hmtx, "head": head, "hhea": hhea, "maxp": maxp}
	for _, tag := range subsetTables {
		if tables[tag] == nil && f.tables[tag] != nil {
			tables[tag] = f.tables[tag]
		}
	}
	return assembleFont(tables)
}

// leftSideBearing reads glyph g's left side bearing from hmtx.
func (f *Font) leftSideBearing(g uint16) int16 {
	hmtx := f.tables["hmtx"]
	metrics := int(binary.BigEndian.Uint16(f.tables["hhea"][34:]))
	at := 4*int(g) + 2
	if int(g) >= metrics {
		at = 4*metrics + 2*(int(g)-metrics)
	}
	if at+2 > len(hmtx) {
		return 0
	}
	return int16(binary.BigEndian.Uint16(hmtx[at:]))
}

// assembleFont writes a TrueType file from its tables, with the table
// directory sorted by tag and every checksum set.
func assembleFont(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for tag := range tables {
		tags = append(tags, tag)
	}
	sort.Strings(tags)
	n := len(tags)
	entrySelector := 0
	for 1<<(entrySelector+1) <= n {
		entrySelector++
	}
	searchRange := 16 << entrySelector

	size := 12 + 16*n
	for _, tag := range tags {
		size += pad4(len(tables[tag]))
	}
	out := make([]byte, 12+16*n, size)
	binary.BigEndian.PutUint32(out, 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	binary.BigEndian.PutUint16(out[6:], uint16(searchRange))
	binary.BigEndian.PutUint16(out[8:], uint16(entrySelector))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-searchRange))
	headAt := 0
	for i, tag := range tags {
		data := tables[tag]
		rec := out[12+16*i:]
		copy(rec, tag)
		binary.BigEndian.PutUint32(rec[4:], checksum(data))
		binary.BigEndian.PutUint32(rec[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(data)))
		if tag == "head" {
			headAt = len(out)
		}
		out = append(out, data...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	return out
}

// checksum is the TrueType table checksum: the sum of big-endian uint32s.
func checksum(data []byte) uint32 {
	var sum uint32
	for i := 0; i < len(data); i += 4 {
		var word [4]byte
		copy(word[:], data[i:])
		sum += binary.BigEndian.Uint32(word[:])
	}
	return sum
}

func pad4(n int) int {
	return (n + 3) &^ 3
}
