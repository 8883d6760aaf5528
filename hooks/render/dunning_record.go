package render

import "github.com/pocketbase/pocketbase/core"

// PartyOf reads a workspace or client record as the party a document
// shows.
func PartyOf(r *core.Record) Party {
	return partyOf(r)
}

// LogoOf returns the logo file of a workspace record; nil when it has none
// or it cannot be read, since a letter without a logo is still a letter.
func LogoOf(app core.App, workspace *core.Record) []byte {
	name := workspace.GetString("logo")
	if name == "" {
		return nil
	}
	data, _ := readRecordFile(app, workspace, name, maxLogoSize)
	return data
}
