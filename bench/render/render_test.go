package main

import (
	"testing"

	"github.com/kontor-app/kontor/hooks/render"
)

func benchmarkPages(b *testing.B, pages int) {
	doc, err := invoicePages(pages, logo())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := render.Invoice(doc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRender1Page renders a one-page invoice with a logo and an EPC QR
// code.
func BenchmarkRender1Page(b *testing.B) { benchmarkPages(b, 1) }

// BenchmarkRender10Pages renders a ten-page invoice.
func BenchmarkRender10Pages(b *testing.B) { benchmarkPages(b, 10) }

// The fixtures render to the page counts the benchmarks are named after.
func TestFixtures(t *testing.T) {
	for _, pages := range []int{1, 10} {
		doc, err := invoicePages(pages, logo())
		if err != nil {
			t.Fatal(err)
		}
		out, err := render.Invoice(doc)
		if err != nil {
			t.Fatal(err)
		}
		if got := pageCount(out); got != pages {
			t.Errorf("%d pages, want %d", got, pages)
		}
	}
}
