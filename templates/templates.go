// Package templates holds Kontor's templates, embedded in the binary:
// html/template documents printed by a browser (the optional Gotenberg
// renderer), the emails in mail/ (an HTML and a text template per email,
// with one catalogue of their texts in every language), and the public
// pages in proposal/: the page a buyer opens from a proposal's link
// (page.html), its texts in every language (messages.json), and its
// script and style (page.js, page.css), served as files.
package templates

import "embed"

// FS holds every template file.
//
//go:embed *.html mail proposal
var FS embed.FS
