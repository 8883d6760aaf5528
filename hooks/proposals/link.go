package proposals

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// States of a public link, as its page shows them.
const (
	stateOpen       = "open"       // can be accepted or declined
	stateSigned     = "signed"     // this version was signed
	stateDeclined   = "declined"   // this version was declined
	stateExpired    = "expired"    // past its validity
	stateSuperseded = "superseded" // a newer version was sent
	stateGone       = "gone"       // no such link
)

// publicLink is what a link's secret leads to.
type publicLink struct {
	version  *core.Record // the version the link shows
	proposal *core.Record
	snapshot Snapshot
	state    string
}

// findLink reads the proposal version of a link's secret, by its hash.
// A secret that leads nowhere is stateGone.
func findLink(app core.App, token string, now time.Time) (*publicLink, error) {
	if len(token) < 40 || len(token) > 64 {
		return &publicLink{state: stateGone}, nil
	}
	v, err := app.FindFirstRecordByData("proposal_versions", "token_hash", hashOf([]byte(token)))
	if err != nil {
		return &publicLink{state: stateGone}, nil
	}
	p, err := app.FindRecordById("proposals", v.GetString("proposal"))
	if err != nil {
		return &publicLink{state: stateGone}, nil
	}
	s, err := readSnapshot(v.GetString("snapshot"))
	if err != nil {
		return nil, err
	}
	l := &publicLink{version: v, proposal: p, snapshot: s}
	current := p.GetInt("version") == v.GetInt("version")
	switch status := p.GetString("status"); {
	case !current || !v.GetDateTime("superseded_at").IsZero():
		l.state = stateSuperseded
	case status == StatusSigned:
		l.state = stateSigned
	case status == StatusDeclined:
		l.state = stateDeclined
	case status == StatusExpired || s.ValidUntil < now.UTC().Format(dateLayout):
		l.state = stateExpired
	default:
		l.state = stateOpen
	}
	return l, nil
}
