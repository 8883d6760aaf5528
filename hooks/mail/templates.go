package mail

import (
	"bytes"
	"encoding/json"
	"fmt"
	htmltemplate "html/template"
	"regexp"
	"strings"
	texttemplate "text/template"

	"github.com/kontor-app/kontor/locale"
	"github.com/kontor-app/kontor/templates"
)

// Templates are the emails Kontor writes. Each is a pair of files in
// templates/mail: <name>.html and <name>.txt, which also defines the
// subject. Their texts come from one catalogue, templates/mail/messages.json.
var Templates = []string{
	"welcome", "workspace_invitation", "invoice_sent", "proposal_sent", "proposal_signed",
	"proposal_declined", "payment_received", "reminder", "security_alert",
	"account_locked",
}

// Languages are the languages emails are written in; the first is the
// fallback.
var Languages = []string{"en", "es", "de", "fr", "it"}

// catalogue holds the texts of every email, by language and key.
// Placeholders are written {name}.
var catalogue = func() map[string]map[string]string {
	raw, err := templates.FS.ReadFile("mail/messages.json")
	if err != nil {
		panic("mail: " + err.Error())
	}
	var c map[string]map[string]string
	if err := json.Unmarshal(raw, &c); err != nil {
		panic("mail: messages.json: " + err.Error())
	}
	return c
}()

// Language returns the first of the candidates emails are written in, else
// English: e.g. Language(client, workspace) for a client's email.
func Language(candidates ...string) string {
	for _, c := range candidates {
		if _, ok := catalogue[c]; ok {
			return c
		}
	}
	return Languages[0]
}

// text returns the text of the key in lang with its placeholders filled
// from pairs of name and value. A key missing in lang falls back to
// English, and one missing there shows as itself.
func text(lang, key string, pairs ...string) string {
	s, ok := catalogue[Language(lang)][key]
	if !ok {
		if s, ok = catalogue[Languages[0]][key]; !ok {
			s = key
		}
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		s = strings.ReplaceAll(s, "{"+pairs[i]+"}", pairs[i+1])
	}
	return s
}

// Values are what an email's template shows. Amounts are decimal strings
// and dates YYYY-MM-DD; the template writes them the way the language does.
type Values struct {
	// Name is the recipient's name, for the greeting; empty greets without.
	Name string
	// ToClient is true for an email a workspace sends its client: it is
	// signed with the workspace's name, and replies go to the workspace.
	ToClient bool
	// Workspace is the workspace's name; Client the client's.
	Workspace, Client string
	// AppURL is where Kontor is reached (KONTOR_PUBLIC_URL); the mailer
	// sets it. Link is a page of the email, e.g. a proposal's public link.
	AppURL, Link string
	// Document is "invoice" or "credit_note"; Number its number (or a
	// proposal's), Credited the number of the invoice a credit note corrects.
	Document, Number, Credited string
	// IssueDate and DueDate are the document's; Date is when the event of
	// the email happened (a payment, a signature); ValidUntil a proposal's
	// end of validity.
	IssueDate, DueDate, Date, ValidUntil string
	// Currency is the code of the amounts: Amount is the document's total,
	// Due what is still due on it, Payment the amount of a payment.
	Currency, Amount, Due, Payment string
	// IBAN is the account to pay to.
	IBAN string
	// Message is a personal note of the sender, shown as written.
	Message string
	// Level is the firmness of a reminder: 1 friendly, 2 firm, 3 final.
	Level int
	// DunningLetter says a statement of what is owed, with late-payment
	// interest and compensation, is attached.
	DunningLetter bool
	// Role is a role in a workspace (owner, admin, member, viewer).
	Role string
	// Info describes a sign-in (device, place) for a security alert;
	// Reason is why a proposal was declined.
	Info, Reason string

	// Lang and Subject are set while rendering.
	Lang, Subject string
}

// rendered is an email written out: its subject, HTML and text.
type rendered struct {
	Subject, HTML, Text string
}

// templatePair is the parsed HTML and text template of an email.
type templatePair struct {
	html *htmltemplate.Template
	text *texttemplate.Template
}

// parsed holds every email's templates, parsed once; each render runs a
// clone with the functions of its language.
var parsed = func() map[string]templatePair {
	out := map[string]templatePair{}
	for _, name := range Templates {
		h, err := htmltemplate.New(name).Funcs(htmltemplate.FuncMap(funcs(Languages[0]))).
			ParseFS(templates.FS, "mail/layout.html", "mail/"+name+".html")
		if err != nil {
			panic("mail: " + err.Error())
		}
		t, err := texttemplate.New(name).Funcs(funcs(Languages[0])).
			ParseFS(templates.FS, "mail/layout.txt", "mail/"+name+".txt")
		if err != nil {
			panic("mail: " + err.Error())
		}
		out[name] = templatePair{html: h, text: t}
	}
	return out
}()

// link is a button of an email.
type link struct{ Label, URL string }

// funcs are the template functions of a language.
func funcs(lang string) map[string]any {
	return map[string]any{
		"t":     func(key string, pairs ...string) string { return text(lang, key, pairs...) },
		"money": func(amount, currency string) string { return locale.Money(amount, currency, lang) },
		"date":  func(s string) string { return locale.Date(s, lang) },
		"iban":  locale.IBAN,
		"owed":  owed,
		"role":  func(r string) string { return text(lang, "role_"+r) },
		"link":  func(label, url string) link { return link{label, url} },
	}
}

// render writes the email of the template in lang.
func render(name, lang string, v Values) (rendered, error) {
	pair, ok := parsed[name]
	if !ok {
		return rendered{}, fmt.Errorf("mail: there is no email template %q", name)
	}
	v.Lang = Language(lang)
	v.Level = min(max(v.Level, 1), 3)
	fm := funcs(v.Lang)

	textTmpl, err := pair.text.Clone()
	if err != nil {
		return rendered{}, err
	}
	textTmpl.Funcs(fm)
	var subject, body bytes.Buffer
	if err := textTmpl.ExecuteTemplate(&subject, "subject", v); err != nil {
		return rendered{}, err
	}
	v.Subject = strings.Join(strings.Fields(subject.String()), " ")
	if err := textTmpl.ExecuteTemplate(&body, "layout", v); err != nil {
		return rendered{}, err
	}

	htmlTmpl, err := pair.html.Clone()
	if err != nil {
		return rendered{}, err
	}
	htmlTmpl.Funcs(htmltemplate.FuncMap(fm))
	var html bytes.Buffer
	if err := htmlTmpl.ExecuteTemplate(&html, "layout", v); err != nil {
		return rendered{}, err
	}
	return rendered{Subject: v.Subject, HTML: html.String(), Text: tidy(body.String())}, nil
}

// blankLines are runs of empty lines in a text email.
var blankLines = regexp.MustCompile(`\n[ \t]*\n(?:[ \t]*\n)+`)

// tidy trims a text email's trailing spaces and keeps at most one empty
// line between paragraphs, whatever the template's optional parts left.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.TrimSpace(blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n")) + "\n"
}
