package pdf

import (
	"testing"
	"time"
)

func TestStrings(t *testing.T) {
	at := time.Date(2026, 1, 15, 10, 30, 5, 0, time.FixedZone("CET", 3600))
	cases := []struct {
		name, got, want string
	}{
		{"ASCII text", textString("Invoice (copy) \\ 1"), `(Invoice \(copy\) \\ 1)`},
		{"non-ASCII text", textString("Ä€"), "<FEFF00C420AC>"},
		{"text beyond the BMP", textString("😀"), "<FEFFD83DDE00>"},
		{"name with slash", name("text/xml"), "/text#2Fxml"},
		{"name with space and hash", name("a b#c"), "/a#20b#23c"},
		{"date in UTC", date(at), "(D:20260115093005+00'00')"},
		{"XMP date, same instant", xmpDate(at), "2026-01-15T09:30:05+00:00"},
		{"XML escaping", xmlEscape(`<a href="x">&'`), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"},
		{"XML drops controls", xmlEscape("a\x01b"), "ab"},
		{"file name for /F", asciiName("Rechnung-Ä.xml"), "Rechnung-_.xml"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: %q, want %q", c.name, c.got, c.want)
		}
	}
}

func TestAppendNum(t *testing.T) {
	cases := []struct {
		in   float64
		want string
	}{
		{0, "0"}, {-0.0001, "0"}, {1, "1"}, {1.5, "1.5"}, {595.28, "595.28"}, {-12.3456, "-12.346"}, {100.0004, "100"},
	}
	for _, c := range cases {
		if got := string(appendNum(nil, c.in)); got != c.want {
			t.Errorf("appendNum(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}
