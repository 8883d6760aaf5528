package einvoice

import (
	"fmt"
	"time"
)

// dueTexts say when a document is due (BT-20), in the document language.
var dueTexts = map[string]struct{ format, layout string }{
	"en": {"Due date: %s", "2006-01-02"},
	"de": {"Fällig am %s", "02.01.2006"},
	"es": {"Vencimiento: %s", "02/01/2006"},
	"fr": {"Échéance : %s", "02/01/2006"},
	"it": {"Scadenza: %s", "02/01/2006"},
}

// dueText is the payment terms sentence of a due date (YYYY-MM-DD).
func dueText(language, date string) string {
	t, ok := dueTexts[language]
	if !ok {
		t = dueTexts["en"]
	}
	if d, err := time.Parse("2006-01-02", date); err == nil {
		date = d.Format(t.layout)
	}
	return fmt.Sprintf(t.format, date)
}
