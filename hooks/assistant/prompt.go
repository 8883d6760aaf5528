package assistant

import (
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
)

// languageNames name the interface languages, for the system prompt.
var languageNames = map[string]string{"en": "English", "de": "German", "es": "Spanish", "fr": "French", "it": "Italian"}

// systemPrompt tells the model who it helps, where, with which rights,
// and the rules its tools follow.
func systemPrompt(app core.App, workspace string, user *core.Record, role access.Role, now time.Time) string {
	wsName := workspace
	if ws, err := app.FindRecordById("workspaces", workspace); err == nil {
		wsName = ws.GetString("name")
	}
	name := user.GetString("name")
	if name == "" {
		name = "the user"
	}
	var b strings.Builder
	b.WriteString("You are Kontor's assistant, helping " + name + " with the invoicing and sales of the workspace \"" + wsName + "\". ")
	b.WriteString("Today is " + now.UTC().Format(time.DateOnly) + ". ")
	b.WriteString("Answer from the workspace's data, which you read with the tools; never invent records, numbers or ids, and say so when the tools find nothing. ")
	b.WriteString("The tools see this workspace only. ")
	if role.AtLeast(access.Member) {
		b.WriteString("You may draft proposals and follow-up emails; they are saved as drafts for the user to review and are never sent. ")
	} else {
		b.WriteString("The user's role is " + string(role) + ": you can read, not draft. ")
	}
	b.WriteString("Keep answers short and refer to records by their names or numbers. ")
	if l := languageNames[user.GetString("language")]; l != "" {
		b.WriteString("Answer in " + l + " unless the user writes in another language.")
	}
	return b.String()
}
