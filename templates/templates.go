// Package templates holds Kontor's templates, embedded in the binary:
// html/template documents printed by a browser (the optional Gotenberg
// renderer), the emails in mail/ (an HTML and a text template per email,
// with one catalogue of their texts in every language), and later public
// pages.
package templates

import "embed"

// FS holds every template file.
//
//go:embed *.html mail
var FS embed.FS
