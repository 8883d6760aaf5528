package crm

import (
	"encoding/json"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/fielderr"
)

// serverFields are, per collection, the fields only the server writes: the
// conversion, scoring, unsubscribes, the stage of a deal and the author of
// an activity.
var serverFields = map[string][]string{
	"companies": {"client"},
	"contacts": {"client", "unsubscribed", "unsubscribed_at", "score", "score_model", "score_explanation",
		"last_activity_at"},
	"deals":      {"status", "won_at", "lost_at"},
	"activities": {"done_at", "author"},
}

// guardRequest refuses, with a 400 naming them, the server's fields in a
// create or update request body when they would change.
func guardRequest(e *core.RecordRequestEvent) error {
	info, err := e.RequestInfo()
	if err != nil {
		return err
	}
	errs := fielderr.Errors{}
	for _, f := range serverFields[e.Record.Collection().Name] {
		if _, sent := info.Body[f]; !sent {
			continue
		}
		if !sameValue(e.Record.Get(f), e.Record.Original().Get(f)) {
			errs.Add(f, "The server sets this field; it cannot be written.")
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return e.Next()
}

// sameValue reports whether two field values are equal once written as
// JSON, empty values all alike, so that sending a stored value back does
// not count as a change.
func sameValue(a, b any) bool {
	return canonicalValue(a) == canonicalValue(b)
}

func canonicalValue(v any) string {
	out, _ := json.Marshal(v)
	switch s := string(out); s {
	case `""`, "null", "[]", "{}", "0", "false":
		return ""
	default:
		return s
	}
}
