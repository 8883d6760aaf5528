// Package outbox is Kontor's transactional outbox. Every outward effect (an
// email, a call to a provider) is a record of the outbox collection, written
// by Enqueue in the same transaction as the change that causes it; a Worker
// carries it out after commit, retries failures with exponential backoff,
// and records the outcome on the record, where admins see it. Nothing is
// lost when a provider is down, and a message is enqueued at most once per
// idempotency key.
//
// Delivery is at least once: a message whose handler was interrupted (the
// process stopped mid-call) is tried again after its lease. Handlers pass
// the message id to their provider as its idempotency key, so such a retry
// is not a second email or payment.
package outbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Collection is the name of the outbox collection.
const Collection = "outbox"

// Statuses of a message.
const (
	StatusPending = "pending"  // waiting for its next attempt
	StatusSent    = "sent"     // carried out
	StatusFailed  = "failed"   // given up: a permanent error, or too many attempts
	StatusNotSent = "not_sent" // not carried out on purpose, e.g. no mailer configured
)

// Message is an outward effect to carry out.
type Message struct {
	// Kind names the handler that carries it out, e.g. "email".
	Kind string
	// Key is the idempotency key: the outbox holds one message per key,
	// ever, e.g. "reminder:<invoice id>:2".
	Key string
	// Workspace is the workspace the message belongs to; empty for none.
	Workspace string
	// Summary describes the message for the people who see the outbox,
	// e.g. "Invoice INV-2026-0001 to ap@acme.example".
	Summary string
	// Payload is what the handler needs, stored as JSON.
	Payload any
}

// Enqueue writes the message into the outbox through app, which should be
// the transaction of the change that causes it, so that both commit or
// neither does. It returns the message's record and whether it was written
// now: when the key is already in the outbox nothing is written and the
// existing record is returned.
func Enqueue(app core.App, m Message) (*core.Record, bool, error) {
	if m.Kind == "" || strings.TrimSpace(m.Key) == "" {
		return nil, false, errors.New("outbox: a message needs a kind and an idempotency key")
	}
	if existing, err := app.FindFirstRecordByData(Collection, "idempotency_key", m.Key); err == nil {
		return existing, false, nil
	}
	collection, err := app.FindCachedCollectionByNameOrId(Collection)
	if err != nil {
		return nil, false, err
	}
	payload, err := json.Marshal(m.Payload)
	if err != nil {
		return nil, false, fmt.Errorf("outbox: the payload of %s: %w", m.Key, err)
	}
	r := core.NewRecord(collection)
	r.Set("kind", m.Kind)
	r.Set("idempotency_key", m.Key)
	r.Set("workspace", m.Workspace)
	r.Set("summary", truncate(m.Summary, 300))
	r.Set("payload", types.JSONRaw(payload))
	r.Set("status", StatusPending)
	r.Set("attempts", 0)
	r.Set("next_attempt", types.NowDateTime())
	if err := app.Save(r); err != nil {
		return nil, false, err
	}
	return r, true, nil
}

// Retry makes a failed or not sent message pending again, with its
// attempts counted from zero.
func Retry(app core.App, r *core.Record) error {
	switch r.GetString("status") {
	case StatusFailed, StatusNotSent:
	default:
		return fmt.Errorf("only a failed or not sent message can be retried; this one is %s", r.GetString("status"))
	}
	r.Set("status", StatusPending)
	r.Set("attempts", 0)
	r.Set("next_attempt", types.NowDateTime())
	return app.Save(r)
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
