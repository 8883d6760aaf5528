package mail

import (
	"errors"
	"html"
	"strings"
)

// Written is the template of an email the user wrote, such as a step of a
// sales sequence: Mail.Subject and Mail.Body are sent as written, with no
// layout, the way a person's email looks.
const Written = "written"

// renderWritten writes an email the user wrote: the subject on one line,
// the text as written (with the footer and link below a signature
// separator), and the HTML as the text escaped, a paragraph for each
// block separated by a blank line, single line breaks kept.
func renderWritten(subject, body, footer, link string) (rendered, error) {
	subject = strings.Join(strings.Fields(subject), " ")
	body = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\r", "\n"))
	if subject == "" || body == "" {
		return rendered{}, errors.New("mail: a written email needs a subject and a body")
	}
	var h strings.Builder
	h.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>`)
	for _, p := range strings.Split(body, "\n\n") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		h.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(p), "\n", "<br>") + "</p>")
	}
	text := body + "\n"
	if footer != "" || link != "" {
		h.WriteString(`<p style="color:#666;font-size:12px">` + html.EscapeString(footer))
		text += "\n-- \n" + footer
		if link != "" {
			h.WriteString(` <a href="` + html.EscapeString(link) + `">` + html.EscapeString(link) + `</a>`)
			text += " " + link
		}
		h.WriteString("</p>")
		text = strings.TrimRight(text, " ") + "\n"
	}
	h.WriteString("</body></html>")
	return rendered{Subject: subject, HTML: h.String(), Text: text}, nil
}
