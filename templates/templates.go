// Package templates holds Kontor's templates, embedded in the binary:
// html/template documents printed by a browser (the optional Gotenberg
// renderer), the emails in mail/ (an HTML and a text template per email,
// with one catalogue of their texts in every language), and the public
// pages a buyer opens from a link without an account: in public/, what
// they share, the named templates every page is parsed with (parts.html)
// and the style every page links first (base.css); in proposal/, the page
// of a proposal's link (page.html), its texts in every language
// (messages.json), and its script and own style (page.js, page.css),
// served as files; in invoice/, the page of an invoice's link, where it is
// paid (page.html, messages.json and its own style, page.css).
package templates

import "embed"

// FS holds every template file.
//
//go:embed *.html mail proposal invoice public
var FS embed.FS
