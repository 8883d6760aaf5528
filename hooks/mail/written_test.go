package mail

import (
	"strings"
	"testing"
)

func TestRenderWritten(t *testing.T) {
	r, err := renderWritten("  Hello\r\n <Ana>  ", "Hi <b>Ana</b> & co,\r\n\r\nline one\nline two\n\n\n", "Unsubscribe:", sealedLink)
	if err != nil {
		t.Fatal(err)
	}
	if r.Subject != "Hello <Ana>" {
		t.Errorf("subject %q", r.Subject)
	}
	for _, want := range []string{"<p>Hi &lt;b&gt;Ana&lt;/b&gt; &amp; co,</p>", "<p>line one<br>line two</p>",
		`Unsubscribe: <a href="` + sealedLink + `">`} {
		if !strings.Contains(r.HTML, want) {
			t.Errorf("HTML lacks %q:\n%s", want, r.HTML)
		}
	}
	if strings.Contains(r.HTML, "<b>") {
		t.Error("the user's text is not escaped")
	}
	if want := "Hi <b>Ana</b> & co,\n\nline one\nline two\n\n-- \nUnsubscribe: " + sealedLink + "\n"; r.Text != want {
		t.Errorf("text %q, want %q", r.Text, want)
	}
	if _, err := renderWritten("", "body", "", ""); err == nil {
		t.Error("no subject was taken")
	}
}
