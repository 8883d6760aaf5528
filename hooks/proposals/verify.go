package proposals

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
)

// Verification is what verifying a proposal's audit trail found.
type Verification struct {
	// Intact is true when nothing was altered: every event hashes to its
	// hash and chains to the one before, none is missing, the proposal's
	// chain head is the last event, every version's snapshot hashes to its
	// document hash, and a signed proposal holds what was signed.
	Intact    bool           `json:"intact"`
	Events    int            `json:"events"`
	ChainHead string         `json:"chain_head"`
	Versions  []VersionCheck `json:"versions"`
	Problems  []string       `json:"problems"`
}

// VersionCheck is the check of one sent version's document.
type VersionCheck struct {
	Version      int    `json:"version"`
	DocumentHash string `json:"document_hash"`
	Intact       bool   `json:"intact"`
}

// verifyRoute is GET /api/kontor/proposals/{id}/verify.
func verifyRoute(e *core.RequestEvent) error {
	proposal, err := access.RequireRecord(e, "proposals", access.Viewer)
	if err != nil {
		return err
	}
	v, err := Verify(e.App, proposal)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, v)
}

// Verify recomputes a proposal's audit trail and document hashes from what
// is stored and says whether anything was altered, added out of order or
// removed.
func Verify(app core.App, proposal *core.Record) (Verification, error) {
	v := Verification{Versions: []VersionCheck{}, Problems: []string{}}
	problem := func(format string, args ...any) { v.Problems = append(v.Problems, fmt.Sprintf(format, args...)) }

	events, err := app.FindRecordsByFilter("proposal_events", "proposal = {:p}", "seq", 0, 0, dbx.Params{"p": proposal.Id})
	if err != nil {
		return v, err
	}
	versions, err := app.FindRecordsByFilter("proposal_versions", "proposal = {:p}", "version", 0, 0, dbx.Params{"p": proposal.Id})
	if err != nil {
		return v, err
	}

	versionHash := map[int]string{}
	for i, r := range versions {
		n := r.GetInt("version")
		if n != i+1 {
			problem("Version %d is missing.", i+1)
		}
		check := VersionCheck{Version: n, DocumentHash: r.GetString("document_hash")}
		canon, err := canonicalJSON([]byte(r.GetString("snapshot")))
		check.Intact = err == nil && hashOf(canon) == check.DocumentHash
		if !check.Intact {
			problem("The document of version %d was altered: it no longer matches its SHA-256.", n)
		}
		versionHash[n] = check.DocumentHash
		v.Versions = append(v.Versions, check)
	}

	prev := ""
	var signed *core.Record
	for i, r := range events {
		seq := r.GetInt("seq")
		if seq != i+1 {
			problem("Event %d is missing: the trail jumps to event %d.", i+1, seq)
		}
		ev := eventOf(r)
		want, err := eventHash(proposal.Id, seq, ev, r.GetString("at"), r.GetString("prev_hash"), json.RawMessage(r.GetString("details")))
		if err != nil || want != r.GetString("hash") {
			problem("Event %d (%s) was altered: it no longer matches its hash.", seq, ev.Type)
		}
		if r.GetString("prev_hash") != prev {
			problem("Event %d (%s) does not follow the event before it in the chain.", seq, ev.Type)
		}
		if h, ok := versionHash[ev.Version]; ok && ev.DocumentHash != h {
			problem("Event %d (%s) names a document other than version %d.", seq, ev.Type, ev.Version)
		}
		if ev.Type == EventSigned {
			signed = r
		}
		prev = r.GetString("hash")
	}
	v.Events, v.ChainHead = len(events), prev
	if proposal.GetString("chain_head") != prev || proposal.GetInt("event_count") != len(events) {
		problem("The trail ends at event %d, but the proposal recorded %d events: events were removed or added outside Kontor.",
			len(events), proposal.GetInt("event_count"))
	}
	if n := proposal.GetInt("version"); n != len(versions) || (n > 0 && proposal.GetString("document_hash") != versionHash[n]) {
		problem("The proposal does not name the last version sent.")
	}
	if proposal.GetString("status") == StatusSigned {
		checkSigned(proposal, signed, problem)
	}
	v.Intact = len(v.Problems) == 0
	return v, nil
}

// checkSigned confirms that a signed proposal holds the lines and totals
// its "signed" event recorded.
func checkSigned(proposal, signed *core.Record, problem func(string, ...any)) {
	if signed == nil {
		problem("The proposal is marked signed, but its trail has no signature event.")
		return
	}
	var details struct {
		Included []int  `json:"included"`
		Totals   Totals `json:"totals"`
	}
	_ = json.Unmarshal([]byte(signed.GetString("details")), &details)
	lines, _ := parseLines([]byte(proposal.GetString("lines")))
	chosen := []int{}
	for i, l := range lines {
		if l.Optional && l.Included {
			chosen = append(chosen, i)
		}
	}
	t := totalsOf(compute(lines, proposal.GetString("language")))
	if fmt.Sprint(chosen) != fmt.Sprint(details.Included) || t != details.Totals {
		problem("The proposal no longer holds what was signed: its lines or totals changed since.")
	}
}
