package privacy

import (
	"bytes"
	"html/template"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/publicpage"
)

// subprocessorsCSP allows the page nothing but its own inline style.
const subprocessorsCSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// subprocessorsTemplate is the public sub-processors page.
var subprocessorsTemplate = template.Must(template.New("subprocessors").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sub-processors · Kontor</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.5rem;border-bottom:1px solid #ddd;vertical-align:top}
</style>
</head>
<body>
<main>
<h1>Sub-processors</h1>
<p>The external services this Kontor installation is configured to use, and the personal data each receives.
The list is generated from the server's configuration, so it always shows what is actually in use.</p>
{{if .}}
<table>
<thead><tr><th scope="col">Service</th><th scope="col">Purpose</th><th scope="col">Where the data goes</th><th scope="col">Personal data</th></tr></thead>
<tbody>
{{range .}}<tr><td>{{.Name}}</td><td>{{.Purpose}}</td><td>{{.Host}}</td><td>{{.Data}}</td></tr>
{{end}}</tbody>
</table>
{{else}}
<p>None: this installation keeps every piece of data on its own server and sends nothing to an external service.</p>
{{end}}
</main>
</body>
</html>
`))

// subprocessorsPage is GET /subprocessors: the public page listing the
// external services configured.
func (p *privacy) subprocessorsPage(e *core.RequestEvent) error {
	var b bytes.Buffer
	if err := subprocessorsTemplate.Execute(&b, p.cfg.Subprocessors(e.App)); err != nil {
		return e.InternalServerError("", err)
	}
	return publicpage.Write(e, http.StatusOK, b.Bytes(), subprocessorsCSP)
}

// subprocessorsRoute is GET /api/kontor/privacy/subprocessors: the same
// list as JSON.
func (p *privacy) subprocessorsRoute(e *core.RequestEvent) error {
	list := p.cfg.Subprocessors(e.App)
	if list == nil {
		list = []Subprocessor{}
	}
	return e.JSON(http.StatusOK, map[string]any{"items": list})
}
