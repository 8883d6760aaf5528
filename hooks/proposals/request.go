package proposals

import (
	"github.com/pocketbase/pocketbase/core"
)

// requestEvent starts an event of the type from a request: the real client
// IP (PocketBase's, which trusts forwarding headers only as its settings
// say), the user agent, and the signed-in user as the actor.
func requestEvent(e *core.RequestEvent, eventType string) Event {
	ev := Event{Type: eventType, IP: e.RealIP(), UserAgent: e.Request.UserAgent()}
	if e.Auth != nil {
		ev.Actor = e.Auth.GetString("name")
		if ev.Actor == "" {
			ev.Actor = e.Auth.Email()
		}
		ev.ActorEmail = e.Auth.Email()
		ev.ActorUser = e.Auth.Id
		if e.Auth.IsSuperuser() {
			ev.Actor, ev.ActorUser = "superuser "+e.Auth.Email(), ""
		}
	}
	return ev
}

// createRequest is bound to the create request of a proposal: the creator
// is the signed-in user, and the "created" event is appended in the
// transaction that creates it.
func (p *proposals) createRequest(e *core.RecordRequestEvent) error {
	if err := checkRequest(e); err != nil {
		return err
	}
	if e.Auth != nil && !e.Auth.IsSuperuser() {
		e.Record.Set("created_by", e.Auth.Id)
	}
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if err := e.Next(); err != nil {
			return err
		}
		s, err := buildSnapshot(tx, e.Record, 0, "")
		if err != nil {
			return err
		}
		raw, err := snapshotJSON(s)
		if err != nil {
			return err
		}
		ev := requestEvent(e.RequestEvent, EventCreated)
		ev.DocumentHash = hashOf(raw)
		if _, err := appendEvent(tx, e.Record, ev, p.now()); err != nil {
			return err
		}
		return tx.Save(e.Record)
	})
}
