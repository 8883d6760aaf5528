package proposals

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Types of the events of the audit trail.
const (
	EventCreated   = "created"
	EventSent      = "sent"
	EventOpened    = "opened"
	EventSigned    = "signed"
	EventDeclined  = "declined"
	EventExpired   = "expired"
	EventConverted = "converted"
)

// systemActor names the server as the actor of its own jobs.
const systemActor = "Kontor"

// Event is one step of a proposal's audit trail, as it is appended.
type Event struct {
	Type string
	// Who and from where: the real client IP and the user agent of the
	// request, the actor's name and email, and the user id when a user
	// acted.
	IP, UserAgent, Actor, ActorEmail, ActorUser string
	// Version and DocumentHash are the version shown or acted on and the
	// SHA-256 of its snapshot; 0 and the hash of the current content
	// before the first send.
	Version      int
	DocumentHash string
	// Details are what else the event says, e.g. the lines a signer ticked.
	Details map[string]any
}

// eventHash is the hash of an event: SHA-256 of the canonical JSON of
// every field but the hash itself. It is computed the same way when the
// event is appended and when it is verified.
func eventHash(proposalID string, seq int, e Event, at, prevHash string, details json.RawMessage) (string, error) {
	var d any
	if len(details) > 0 {
		canon, err := canonicalJSON(details)
		if err != nil {
			return "", err
		}
		d = json.RawMessage(canon)
	}
	raw, err := json.Marshal(map[string]any{
		"proposal": proposalID, "seq": seq, "type": e.Type, "at": at,
		"ip": e.IP, "user_agent": e.UserAgent, "actor": e.Actor, "actor_email": e.ActorEmail,
		"actor_user": e.ActorUser, "version": e.Version, "document_hash": e.DocumentHash,
		"details": d, "prev_hash": prevHash,
	})
	if err != nil {
		return "", err
	}
	return hashOf(raw), nil
}

// appendEvent appends the event to the proposal's trail through app, which
// must be the transaction of the change the event records, chaining it to
// the last event, and sets the proposal's chain_head and event_count (the
// caller saves the proposal). It returns the event's record.
func appendEvent(app core.App, proposal *core.Record, e Event, at time.Time) (*core.Record, error) {
	// what is stored is what is hashed
	e.IP, e.UserAgent = truncate(e.IP, 64), truncate(e.UserAgent, 1000)
	e.Actor, e.ActorEmail = truncate(e.Actor, 300), truncate(e.ActorEmail, 254)
	var last struct {
		Seq  int    `db:"seq"`
		Hash string `db:"hash"`
	}
	err := app.DB().NewQuery(`SELECT seq, hash FROM proposal_events WHERE proposal = {:p} ORDER BY seq DESC LIMIT 1`).
		Bind(dbx.Params{"p": proposal.Id}).One(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	details := json.RawMessage("{}")
	if e.Details != nil {
		if details, err = json.Marshal(e.Details); err != nil {
			return nil, err
		}
	}
	if details, err = canonicalJSON(details); err != nil {
		return nil, err
	}
	seq, stamp := last.Seq+1, at.UTC().Format(time.RFC3339Nano)
	hash, err := eventHash(proposal.Id, seq, e, stamp, last.Hash, details)
	if err != nil {
		return nil, err
	}

	collection, err := app.FindCachedCollectionByNameOrId("proposal_events")
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(collection)
	r.Set("workspace", proposal.GetString("workspace"))
	r.Set("proposal", proposal.Id)
	r.Set("seq", seq)
	r.Set("type", e.Type)
	r.Set("at", stamp)
	r.Set("ip", e.IP)
	r.Set("user_agent", e.UserAgent)
	r.Set("actor", e.Actor)
	r.Set("actor_email", e.ActorEmail)
	r.Set("actor_user", e.ActorUser)
	r.Set("version", e.Version)
	r.Set("document_hash", e.DocumentHash)
	r.Set("details", types.JSONRaw(details))
	r.Set("prev_hash", last.Hash)
	r.Set("hash", hash)
	if err := app.Save(r); err != nil {
		return nil, fmt.Errorf("proposals: append %s event: %w", e.Type, err)
	}
	proposal.Set("chain_head", hash)
	proposal.Set("event_count", seq)
	return r, nil
}

// eventOf reads an event record back into the Event it was appended from.
func eventOf(r *core.Record) Event {
	return Event{
		Type: r.GetString("type"), IP: r.GetString("ip"), UserAgent: r.GetString("user_agent"),
		Actor: r.GetString("actor"), ActorEmail: r.GetString("actor_email"), ActorUser: r.GetString("actor_user"),
		Version: r.GetInt("version"), DocumentHash: r.GetString("document_hash"),
	}
}

// truncate cuts s to at most n bytes, on a character boundary; the stored
// value is the hashed one.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
