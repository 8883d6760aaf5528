package pdf

import (
	"compress/flate"
	"crypto/md5"
	"strconv"
	"strings"
	"sync"
)

// baseRunes are the characters every subset of a font holds, with fixed
// character ids: printable ASCII, which every document draws most of. The
// other characters a document draws get the ids after them, in the order
// they first appear, which is mostly the same from one document to the
// next (labels come first). A document whose subset another one had
// already embeds the font program compressed then.
var baseRunes = func() []rune {
	var rs []rune
	for r := rune(0x20); r <= 0x7E; r++ {
		rs = append(rs, r)
	}
	return rs
}()

// base is a font's fixed part of every subset.
type base struct {
	order []uint16 // CID-1 → glyph
	runes []rune   // CID-1 → character
	cid   []uint16 // glyph → CID, 0 for glyphs outside the base
}

// newBase lists the glyphs of baseRunes the font has, once each.
func newBase(f *Font) base {
	b := base{cid: make([]uint16, f.numGlyphs)}
	for _, r := range baseRunes {
		g := f.glyph(r)
		if g == 0 || b.cid[g] != 0 {
			continue
		}
		b.order = append(b.order, g)
		b.runes = append(b.runes, r)
		b.cid[g] = uint16(len(b.order))
	}
	return b
}

// embedding is what a document writes of a font: the compressed subset
// program, its ToUnicode map and its /W array.
type embedding struct {
	tag       string // subset tag, e.g. "ABCDEF"
	program   []byte // compressed font program
	length1   int    // its uncompressed length
	toUnicode []byte // compressed CMap
	widths    string // /W array
}

// embeddingCacheSize bounds the embeddings kept per font.
const embeddingCacheSize = 128

// embeddings caches embeddings per font and set of extra glyphs.
type embeddings struct {
	sync.Mutex
	byKey map[string]*embedding
}

// embed returns the embedding of the base glyphs and the extra ones, from
// the cache when another document drew the same.
func (f *Font) embed(extra []uint16, extraRunes []rune) *embedding {
	var key strings.Builder
	for i, g := range extra {
		key.WriteString(strconv.Itoa(int(g)))
		key.WriteByte(':')
		key.WriteString(strconv.Itoa(int(extraRunes[i])))
		key.WriteByte(',')
	}
	f.cache.Lock()
	e := f.cache.byKey[key.String()]
	f.cache.Unlock()
	if e != nil {
		return e
	}

	order := append(append([]uint16(nil), f.base.order...), extra...)
	runes := append(append([]rune(nil), f.base.runes...), extraRunes...)
	program := f.subset(order)
	e = &embedding{
		tag:       subsetTag(f.PostScriptName, order),
		program:   compress(program, flate.BestCompression),
		length1:   len(program),
		toUnicode: compress(toUnicode(runes), flate.BestCompression),
		widths:    widthArray(f, order),
	}

	f.cache.Lock()
	if f.cache.byKey == nil {
		f.cache.byKey = map[string]*embedding{}
	}
	if len(f.cache.byKey) >= embeddingCacheSize {
		for k := range f.cache.byKey { // drop any one
			delete(f.cache.byKey, k)
			break
		}
	}
	f.cache.byKey[key.String()] = e
	f.cache.Unlock()
	return e
}

// widthArray returns the /W array: the widths of CIDs 1 to n, the glyphs of
// order.
func widthArray(f *Font, order []uint16) string {
	var b strings.Builder
	b.WriteString("[ 1 [")
	for _, g := range order {
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(f.widths[g]))
	}
	b.WriteString(" ] ]")
	return b.String()
}

// toUnicode returns the CMap that maps each CID back to its character, so
// text can be searched and copied.
func toUnicode(runes []rune) []byte {
	var b strings.Builder
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n")
	b.WriteString("/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n")
	b.WriteString("/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n")
	b.WriteString("1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	hex4 := func(v int) {
		b.WriteByte(hexDigits[v>>12&0xF])
		b.WriteByte(hexDigits[v>>8&0xF])
		b.WriteByte(hexDigits[v>>4&0xF])
		b.WriteByte(hexDigits[v&0xF])
	}
	for i := 0; i < len(runes); i += 100 {
		chunk := runes[i:min(i+100, len(runes))]
		b.WriteString(strconv.Itoa(len(chunk)))
		b.WriteString(" beginbfchar\n")
		for j, r := range chunk {
			b.WriteByte('<')
			hex4(i + j + 1)
			b.WriteString("> <")
			if r >= 0x10000 {
				r -= 0x10000
				hex4(int(0xD800 + (r >> 10)))
				hex4(int(0xDC00 + (r & 0x3FF)))
			} else {
				hex4(int(r))
			}
			b.WriteString(">\n")
		}
		b.WriteString("endbfchar\n")
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return []byte(b.String())
}

// subsetTag derives the six capital letters that mark a font subset from
// the glyphs it holds, so the same subset always gets the same tag.
func subsetTag(fontName string, order []uint16) string {
	h := md5.New()
	h.Write([]byte(fontName))
	for _, g := range order {
		h.Write([]byte{byte(g >> 8), byte(g)})
	}
	sum := h.Sum(nil)
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	return string(tag)
}
