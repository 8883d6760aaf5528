package einvoice

import (
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/fielderr"
)

// checkPreferredFormat refuses a client's preferred_format that names no
// loaded format. A value that was already stored is kept even when its
// plugin is gone, so an unrelated edit of the client still saves.
func checkPreferredFormat(r Renderer) func(e *core.RecordEvent) error {
	return func(e *core.RecordEvent) error {
		name := strings.TrimSpace(e.Record.GetString("preferred_format"))
		e.Record.Set("preferred_format", name)
		if name == "" || name == e.Record.Original().GetString("preferred_format") {
			return e.Next()
		}
		if format, available := find(r.Formats(), name); format == nil {
			return fielderr.New("preferred_format", "There is no e-invoice format \""+name+"\". Choose one of: "+strings.Join(available, ", ")+".")
		}
		return e.Next()
	}
}
