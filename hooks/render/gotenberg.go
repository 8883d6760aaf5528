package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
)

// gotenbergHTMLRoute is Gotenberg's Chromium route converting an uploaded
// index.html to PDF.
const gotenbergHTMLRoute = "/forms/chromium/convert/html"

// Gotenberg renders documents from the HTML template in templates/ through
// a Gotenberg server (headless Chromium behind an HTTP API). It is an
// optional alternative to the native renderer, for operators who want
// browser-laid-out documents; it is much slower and needs the service.
type Gotenberg struct {
	client *resty.Client
}

// NewGotenberg returns a client of the Gotenberg server at baseURL, e.g.
// "http://gotenberg:3000".
func NewGotenberg(baseURL string) *Gotenberg {
	c := resty.New().
		SetBaseURL(strings.TrimRight(baseURL, "/")).
		SetTimeout(60*time.Second).
		SetHeader("User-Agent", Producer)
	return &Gotenberg{client: c}
}

// Invoice renders the document as PDF/A-3b with Gotenberg: the HTML page
// as index.html, its footer (seller, page numbers) as footer.html, the page
// size and margins from the page's CSS. Attachments are not supported: use
// the native renderer for documents that carry files.
func (g *Gotenberg) Invoice(ctx context.Context, doc Document) ([]byte, error) {
	if len(doc.Attachments) > 0 {
		return nil, errors.New("gotenberg: documents with attachments are rendered natively")
	}
	index, footer, err := invoiceHTML(doc, false)
	if err != nil {
		return nil, err
	}
	res, err := g.client.R().
		SetContext(ctx).
		SetMultipartFields(
			&resty.MultipartField{Param: "files", FileName: "index.html", ContentType: "text/html", Reader: bytes.NewReader(index)},
			&resty.MultipartField{Param: "files", FileName: "footer.html", ContentType: "text/html", Reader: bytes.NewReader(footer)},
		).
		SetMultipartFormData(map[string]string{
			"pdfa":              "PDF/A-3b",
			"printBackground":   "true",
			"preferCssPageSize": "true",
		}).
		Post(gotenbergHTMLRoute)
	if err != nil {
		return nil, fmt.Errorf("gotenberg: %w", err)
	}
	body := res.Body()
	if res.StatusCode() != 200 {
		msg := strings.TrimSpace(string(body))
		if len(msg) > 300 {
			msg = msg[:300]
		}
		return nil, fmt.Errorf("gotenberg: %s: %s", res.Status(), msg)
	}
	if !bytes.HasPrefix(body, []byte("%PDF-")) {
		return nil, errors.New("gotenberg: the answer is not a PDF")
	}
	return body, nil
}
