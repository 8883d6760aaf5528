package mail

import (
	"regexp"
	"strings"
	"testing"
)

// Every language has every text of English, and nothing else.
func TestCatalogueComplete(t *testing.T) {
	for _, lang := range Languages {
		for key := range catalogue["en"] {
			if strings.TrimSpace(catalogue[lang][key]) == "" {
				t.Errorf("%s lacks %s", lang, key)
			}
		}
		for key := range catalogue[lang] {
			if _, ok := catalogue["en"][key]; !ok {
				t.Errorf("%s has %s, which English lacks", lang, key)
			}
		}
	}
}

// leftovers are what a rendered email must not show: an unfilled
// placeholder, a catalogue key, a template's no-value.
var leftovers = regexp.MustCompile(`\{[a-z_]+\}|\b(?:welcome|workspace_invitation|invoice_sent|proposal_sent|proposal_signed|proposal_declined|payment_received|reminder|security_alert|account_locked|role)[._][a-z_0-9]+\b|<no value>`)

// Every email renders in every language, with its subject, and shows no
// placeholder or key.
func TestEveryTemplateRenders(t *testing.T) {
	v := Values{
		Name: "Ana", ToClient: true, Workspace: "Nordlicht GmbH", Client: "Acme SL", AppURL: "https://kontor.example",
		Link: "https://kontor.example/p/abc", Document: "invoice", Number: "INV-2026-0042", IssueDate: "2026-03-05",
		DueDate: "2026-04-04", Date: "2026-03-20", ValidUntil: "2026-04-30", Currency: "EUR", Amount: "1211.34",
		Due: "211.34", Payment: "1000", IBAN: "DE89370400440532013000", Message: "See you soon.", Level: 2,
		Role: "member", Info: "Firefox on Linux, 203.0.113.9", Reason: "Too expensive",
	}
	for _, name := range Templates {
		for _, lang := range Languages {
			r, err := render(name, lang, v)
			if err != nil {
				t.Fatalf("%s/%s: %v", name, lang, err)
			}
			if r.Subject == "" || strings.Contains(r.Subject, "\n") {
				t.Errorf("%s/%s: subject %q", name, lang, r.Subject)
			}
			for part, s := range map[string]string{"subject": r.Subject, "html": r.HTML, "text": r.Text} {
				if m := leftovers.FindString(s); m != "" {
					t.Errorf("%s/%s: the %s shows %q", name, lang, part, m)
				}
			}
			if !strings.Contains(r.HTML, `<html lang="`+lang+`">`) || !strings.Contains(r.Text, text(lang, "regards")) {
				t.Errorf("%s/%s: not written in %s", name, lang, lang)
			}
		}
	}
}

// The invoice email says, in each language, which invoice it carries, for
// how much and by when, and escapes what users wrote.
func TestInvoiceSentInEveryLanguage(t *testing.T) {
	cases := []struct {
		lang, subject, word, amount, due string
	}{
		{"en", "Invoice INV-2026-0042 from Nordlicht <GmbH>", "Please find attached", "1,211.34\u00a0EUR", "4 April 2026"},
		{"es", "Factura INV-2026-0042 de Nordlicht <GmbH>", "Le adjuntamos", "1.211,34\u00a0EUR", "04/04/2026"},
		{"de", "Rechnung INV-2026-0042 von Nordlicht <GmbH>", "anbei erhalten Sie", "1.211,34\u00a0EUR", "04.04.2026"},
		{"fr", "Facture INV-2026-0042 de Nordlicht <GmbH>", "ci-joint", "1\u00a0211,34\u00a0EUR", "04/04/2026"},
		{"it", "Fattura INV-2026-0042 di Nordlicht <GmbH>", "in allegato", "1.211,34\u00a0EUR", "04/04/2026"},
	}
	v := Values{Name: "Acme SL", ToClient: true, Workspace: "Nordlicht <GmbH>", Document: "invoice", Number: "INV-2026-0042",
		IssueDate: "2026-03-05", DueDate: "2026-04-04", Currency: "EUR", Amount: "1211.34", Due: "1211.34",
		IBAN: "DE89370400440532013000", Message: "<b>Thanks</b> for the order!"}
	for _, c := range cases {
		t.Run(c.lang, func(t *testing.T) {
			r, err := render("invoice_sent", c.lang, v)
			if err != nil {
				t.Fatal(err)
			}
			if r.Subject != c.subject {
				t.Errorf("subject %q, want %q", r.Subject, c.subject)
			}
			for _, body := range []string{r.Text, strings.ReplaceAll(r.HTML, "&lt;", "<")} {
				for _, want := range []string{"INV-2026-0042", c.word, c.amount, c.due, "DE89 3704 0044 0532 0130 00"} {
					if !strings.Contains(body, want) {
						t.Errorf("the body lacks %q:\n%s", want, body)
					}
				}
			}
			if strings.Contains(r.HTML, "<b>Thanks") || !strings.Contains(r.HTML, "&lt;b&gt;Thanks") {
				t.Errorf("the note is not escaped in the HTML")
			}
			if !strings.Contains(r.Text, "<b>Thanks</b> for the order!") {
				t.Errorf("the note is not in the text as written")
			}
		})
	}
}

// Reminders grow firmer with their level.
func TestReminderLevels(t *testing.T) {
	v := Values{ToClient: true, Workspace: "Nordlicht GmbH", Number: "INV-7", IssueDate: "2026-01-05", DueDate: "2026-02-04",
		Currency: "EUR", Amount: "100", Due: "100"}
	cases := []struct {
		level, levels, want int
	}{{1, 3, 1}, {2, 3, 2}, {3, 3, 3}, {4, 5, 2}, {5, 5, 3}, {1, 1, 1}, {2, 0, 2}, {9, 0, 3}}
	for _, c := range cases {
		if got := firmness(c.level, c.levels); got != c.want {
			t.Errorf("firmness(%d, %d) = %d, want %d", c.level, c.levels, got, c.want)
		}
	}
	for _, lang := range Languages {
		seen := map[string]bool{}
		for level := 1; level <= 3; level++ {
			v.Level = level
			r, err := render("reminder", lang, v)
			if err != nil {
				t.Fatal(err)
			}
			ask := text(lang, "reminder.ask_"+string(rune('0'+level)))
			if seen[r.Subject] || !strings.Contains(r.Text, ask) || !strings.Contains(r.Subject, "INV-7") {
				t.Errorf("%s level %d: %q\n%s", lang, level, r.Subject, r.Text)
			}
			seen[r.Subject] = true
		}
	}
}

func TestAddressAndLanguage(t *testing.T) {
	cases := []struct{ got, want string }{
		{address(`Ana "the boss" Díaz`, "ana@example.com"), `"Ana \"the boss\" Díaz" <ana@example.com>`},
		{address("", "ana@example.com"), "ana@example.com"},
		{address("Nordlicht GmbH", "mail@kontor.example"), "Nordlicht GmbH <mail@kontor.example>"},
		{address("Müller, Schmidt & Co.", "mail@kontor.example"), `"Müller, Schmidt & Co." <mail@kontor.example>`},
		{Language("", "xx", "fr", "de"), "fr"},
		{Language(), "en"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
