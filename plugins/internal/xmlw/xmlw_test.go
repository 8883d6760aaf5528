package xmlw

import "testing"

func TestWriter(t *testing.T) {
	w := New()
	w.Open("a:Doc", "xmlns:a", "urn:x", "empty", "")
	w.Leaf("a:Name", `Müller & Söhne <GmbH> "quoted"`)
	w.Leaf("a:Skipped", "")
	w.Open("a:Amounts")
	w.Leaf("a:Amount", "12.50", "currencyID", "EUR")
	w.Close()
	w.Close()
	want := `<?xml version="1.0" encoding="UTF-8"?>
<a:Doc xmlns:a="urn:x">
  <a:Name>Müller &amp; Söhne &lt;GmbH&gt; &#34;quoted&#34;</a:Name>
  <a:Amounts>
    <a:Amount currencyID="EUR">12.50</a:Amount>
  </a:Amounts>
</a:Doc>
`
	if got := string(w.Bytes()); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestUnclosedPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	w := New()
	w.Open("a")
	w.Bytes()
}
