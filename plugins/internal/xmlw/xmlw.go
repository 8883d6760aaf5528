// Package xmlw writes indented XML element by element, in the order the
// caller gives: e-invoice schemas fix the order of every element, which a
// streaming writer keeps plainly visible. Empty optional elements are left
// out, as the Peppol and XRechnung rules demand.
package xmlw

import (
	"bytes"
	"encoding/xml"
	"strings"
)

// Writer builds one XML document.
type Writer struct {
	buf   bytes.Buffer
	stack []string
}

// New starts a document with the XML declaration.
func New() *Writer {
	w := &Writer{}
	w.buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	return w
}

// Open opens an element; attrs are name, value pairs (an empty value leaves
// its attribute out).
func (w *Writer) Open(name string, attrs ...string) {
	w.indent()
	w.buf.WriteByte('<')
	w.buf.WriteString(name)
	w.attrs(attrs)
	w.buf.WriteString(">\n")
	w.stack = append(w.stack, name)
}

// Close closes the innermost open element.
func (w *Writer) Close() {
	name := w.stack[len(w.stack)-1]
	w.stack = w.stack[:len(w.stack)-1]
	w.indent()
	w.buf.WriteString("</" + name + ">\n")
}

// Leaf writes an element with text, or nothing when text is empty.
func (w *Writer) Leaf(name, text string, attrs ...string) {
	if text == "" {
		return
	}
	w.indent()
	w.buf.WriteByte('<')
	w.buf.WriteString(name)
	w.attrs(attrs)
	w.buf.WriteByte('>')
	escape(&w.buf, text)
	w.buf.WriteString("</" + name + ">\n")
}

// Bytes returns the document; every element must be closed.
func (w *Writer) Bytes() []byte {
	if len(w.stack) != 0 {
		panic("xmlw: unclosed elements: " + strings.Join(w.stack, " > "))
	}
	return w.buf.Bytes()
}

func (w *Writer) indent() {
	for range w.stack {
		w.buf.WriteString("  ")
	}
}

func (w *Writer) attrs(attrs []string) {
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1] == "" {
			continue
		}
		w.buf.WriteString(" " + attrs[i] + `="`)
		escape(&w.buf, attrs[i+1])
		w.buf.WriteByte('"')
	}
}

func escape(b *bytes.Buffer, s string) {
	_ = xml.EscapeText(b, []byte(s))
}
