package calls

import (
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// defaultNotices are what the contact is told when the workspace records
// its calls and wrote no notice of its own, by the workspace's language.
var defaultNotices = map[string]string{
	"en": "This call is being recorded.",
	"de": "Dieses Gespräch wird aufgezeichnet.",
	"es": "Esta llamada está siendo grabada.",
	"fr": "Cet appel est enregistré.",
	"it": "Questa chiamata viene registrata.",
}

// recordingNotice is what the contact of the workspace's recorded calls is
// told: the workspace's notice, or the default of its language (English
// when it has none).
func recordingNotice(workspace *core.Record) string {
	if n := strings.TrimSpace(workspace.GetString("call_recording_notice")); n != "" {
		return n
	}
	if n, ok := defaultNotices[workspace.GetString("language")]; ok {
		return n
	}
	return defaultNotices["en"]
}
