package render

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"net/http"
	"strings"
	"sync"

	"github.com/kontor-app/kontor/templates"
)

// htmlPage is what the HTML templates are executed with.
type htmlPage struct {
	V    *view
	Logo template.URL  // the logo as a data: URL
	QR   template.HTML // the EPC QR code as inline SVG
	// PageBoxes prints the footer and page numbers with CSS @page margin
	// boxes, for a browser printing the page itself; Gotenberg gets a
	// footer.html instead.
	PageBoxes bool
	// PageBefore, PageMiddle and PageAfter are "Page {page} of {pages}"
	// around its two numbers.
	PageBefore, PageMiddle, PageAfter string
}

var htmlTemplates = sync.OnceValues(func() (*template.Template, error) {
	return template.ParseFS(templates.FS, "invoice.html", "invoice_footer.html")
})

// InvoiceHTML renders the document as one HTML page for a browser to
// print, from the same translated and formatted view as the native PDF.
// The footer and page numbers come from CSS @page margin boxes.
func InvoiceHTML(doc Document) ([]byte, error) {
	index, _, err := invoiceHTML(doc, true)
	return index, err
}

// invoiceHTML returns the page and, for Gotenberg, its footer.
func invoiceHTML(doc Document, pageBoxes bool) (index, footer []byte, err error) {
	v, err := newView(doc)
	if err != nil {
		return nil, nil, err
	}
	tmpl, err := htmlTemplates()
	if err != nil {
		return nil, nil, err
	}
	page := htmlPage{V: v, PageBoxes: pageBoxes}
	label := text(v.Lang, "page")
	before, rest, _ := strings.Cut(label, "{page}")
	middle, after, _ := strings.Cut(rest, "{pages}")
	page.PageBefore, page.PageMiddle, page.PageAfter = before, middle, after
	if len(doc.Logo) > 0 {
		if mime := http.DetectContentType(doc.Logo); mime == "image/png" || mime == "image/jpeg" {
			page.Logo = template.URL("data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(doc.Logo))
		}
	}
	if v.Payment != nil && v.Payment.QR != nil {
		page.QR = template.HTML(qrSVG(v.Payment.QR)) // built from module positions only
	}

	var a, b bytes.Buffer
	if err := tmpl.ExecuteTemplate(&a, "invoice.html", page); err != nil {
		return nil, nil, err
	}
	if err := tmpl.ExecuteTemplate(&b, "invoice_footer.html", page); err != nil {
		return nil, nil, err
	}
	return a.Bytes(), b.Bytes(), nil
}
