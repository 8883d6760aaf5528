// Package templates holds Kontor's templates, embedded in the binary:
// html/template documents printed by a browser (the optional Gotenberg
// renderer), and later emails and public pages.
package templates

import "embed"

// FS holds every template file.
//
//go:embed *.html
var FS embed.FS
