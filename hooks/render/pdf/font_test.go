package pdf

import (
	"encoding/binary"
	"testing"
)

func TestParseFont(t *testing.T) {
	f := dejaVu(t)
	checks := []struct {
		name string
		ok   bool
	}{
		{"name", f.PostScriptName == "DejaVuSans"},
		{"units per em", f.unitsPerEm == 2048},
		{"has A", f.HasRune('A')},
		{"has €", f.HasRune('€')},
		{"has Cyrillic", f.HasRune('Ж')},
		{"lacks CJK", !f.HasRune('翻')},
		{"fallback is ?", f.glyphOf('翻') == f.glyph('?')},
		{"width of empty", f.Width("", 10) == 0},
		{"width adds up", f.Width("AB", 10) == f.Width("A", 10)+f.Width("B", 10)},
		{"tab is a space", f.Width("\t", 10) == f.Width(" ", 10)},
		{"ascent above descent", f.Ascent(10) > 0 && f.Descent(10) > 0},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s", c.name)
		}
	}
	if _, err := ParseFont([]byte("not a font")); err == nil {
		t.Error("garbage parsed as a font")
	}
}

// The subset holds .notdef, the glyphs drawn in order, then the components
// of composite glyphs, renumbered; its metrics match the original's, and
// its checksums are right.
func TestSubset(t *testing.T) {
	f := dejaVu(t)
	order := []uint16{f.glyph('Ä'), f.glyph('x'), f.glyph('€')}
	sub := f.subset(order)

	if sum := checksum(sub); sum != 0xB1B0AFBA {
		t.Errorf("file checksum %#x, want 0xB1B0AFBA", sum)
	}
	tables := map[string][]byte{}
	n := int(binary.BigEndian.Uint16(sub[4:]))
	for i := 0; i < n; i++ {
		rec := sub[12+16*i:]
		off, length := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		tables[string(rec[:4])] = sub[off : off+length]
		if tag := string(rec[:4]); tag != "head" && checksum(sub[off:off+length]) != binary.BigEndian.Uint32(rec[4:]) {
			t.Errorf("table %s: wrong checksum", tag)
		}
	}
	for _, tag := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf"} {
		if tables[tag] == nil {
			t.Fatalf("no %s table", tag)
		}
	}
	glyphs := int(binary.BigEndian.Uint16(tables["maxp"][4:]))
	if glyphs < len(order)+1 {
		t.Fatalf("%d glyphs for %d drawn", glyphs, len(order))
	}
	if binary.BigEndian.Uint16(tables["hhea"][34:]) != uint16(glyphs) {
		t.Error("numberOfHMetrics is not the glyph count")
	}
	for i, g := range order {
		if adv := binary.BigEndian.Uint16(tables["hmtx"][4*(i+1):]); adv != f.advances[g] {
			t.Errorf("glyph %d: advance %d, want %d", i+1, adv, f.advances[g])
		}
	}
	loca := tables["loca"]
	glyf := tables["glyf"]
	for i := 0; i < glyphs; i++ {
		start, end := binary.BigEndian.Uint32(loca[4*i:]), binary.BigEndian.Uint32(loca[4*i+4:])
		if end < start || int(end) > len(glyf) {
			t.Fatalf("loca entry %d out of order", i)
		}
		components(glyf[start:end], func(at int) {
			if c := binary.BigEndian.Uint16(glyf[int(start)+at:]); int(c) >= glyphs {
				t.Errorf("glyph %d refers to component %d of %d glyphs", i, c, glyphs)
			}
		})
	}
	if glyphs == len(order)+1 {
		t.Log("no composite glyph among the test glyphs")
	}
}
