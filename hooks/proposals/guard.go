package proposals

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/kontor-app/kontor/hooks/fielderr"
)

// serverFields are written only by the server's routes and jobs.
var serverFields = []string{"number", "status", "totals", "vat_breakdown", "created_by", "version", "document_hash",
	"changed_since_sent", "sent_at", "viewed_at", "signed_at", "signer_name", "signer_email", "declined_at",
	"decline_reason", "expired_at", "converted_invoice", "chain_head", "event_count", "signature", "signed_pdf"}

// signedWritable are what still changes on a signed proposal: its signed
// PDF, the invoice made from it and the head of its audit trail.
var signedWritable = map[string]bool{"signed_pdf": true, "converted_invoice": true, "chain_head": true, "event_count": true, "updated": true}

// notContent are the fields that are not a proposal's content.
var notContent = func() map[string]bool {
	m := map[string]bool{"updated": true, "created": true, "id": true, "workspace": true}
	for _, f := range serverFields {
		m[f] = true
	}
	return m
}()

// resetServerFields makes a new record a draft with none of the server's
// fields.
func resetServerFields(r *core.Record) {
	createdBy := r.GetString("created_by")
	for _, f := range serverFields {
		r.Set(f, nil)
	}
	r.Set("created_by", createdBy) // set by the create request from the signed-in user
	r.Set("status", StatusDraft)
	r.Set("version", 0)
	r.Set("event_count", 0)
}

// guardRequest is bound to the update request of a proposal: see
// checkRequest.
func guardRequest(e *core.RecordRequestEvent) error {
	if err := checkRequest(e); err != nil {
		return err
	}
	return e.Next()
}

// checkRequest refuses, with a 400 naming them, the server's fields in a
// create or update request body when they would change, and any change to
// a signed proposal.
func checkRequest(e *core.RecordRequestEvent) error {
	if !e.Record.IsNew() && e.Record.Original().GetString("status") == StatusSigned {
		return signedError(e.Record.Original())
	}
	info, err := e.RequestInfo()
	if err != nil {
		return err
	}
	errs := fielderr.Errors{}
	for _, f := range serverFields {
		if _, sent := info.Body[f]; !sent {
			continue
		}
		if e.Record.IsNew() && f == "created_by" {
			continue // set from the signed-in user
		}
		if !sameValue(e.Record.Get(f), e.Record.Original().Get(f)) {
			errs.Add(f, "The server sets this field; it cannot be written.")
		}
	}
	return errs.Err()
}

// guardDelete refuses to delete a proposal that was ever sent: its
// versions and audit trail are evidence.
func guardDelete(e *core.RecordEvent) error {
	if e.Record.GetInt("version") > 0 {
		return apis.NewBadRequestError("Proposal "+e.Record.GetString("number")+" was sent; it is kept with its audit trail and cannot be deleted.", nil)
	}
	return e.Next()
}

// refuseChange refuses any change to an event or a version, from any
// route: the audit trail is append-only.
func refuseChange(e *core.RecordEvent) error {
	return apis.NewBadRequestError("The audit trail of a proposal is append-only; its entries cannot be changed.", nil)
}

// guardEvidenceDelete lets an event go only with its proposal, and only
// while that proposal was never sent (its only event is "created").
func guardEvidenceDelete(e *core.RecordEvent) error {
	p, err := e.App.FindRecordById("proposals", e.Record.GetString("proposal"))
	if err == nil && p.GetInt("version") > 0 {
		return apis.NewBadRequestError("The audit trail of a sent proposal cannot be deleted.", nil)
	}
	return e.Next()
}

// signedError is the error of any attempt to change a signed proposal.
func signedError(p *core.Record) error {
	return apis.NewApiError(http.StatusConflict, "Proposal "+p.GetString("number")+" is signed; it can no longer be changed.", nil)
}

// changedField returns the first field of r whose value differs from the
// original, leaving out those of skip; "" when none does.
func changedField(r, original *core.Record, skip map[string]bool) string {
	for _, f := range r.Collection().Fields.FieldNames() {
		if skip[f] {
			continue
		}
		if !sameValue(r.Get(f), original.Get(f)) {
			return f
		}
	}
	return ""
}

// sameValue reports whether two field values are equal once written as
// JSON, so that sending a stored value back does not count as a change.
func sameValue(a, b any) bool {
	return canonicalValue(a) == canonicalValue(b)
}

func canonicalValue(v any) string {
	if raw, ok := v.(types.JSONRaw); ok {
		canon, err := canonicalJSON(raw)
		if err != nil {
			return string(raw)
		}
		v = json.RawMessage(canon)
	}
	out, _ := json.Marshal(v)
	switch s := string(out); s {
	case `""`, "null", "[]", "{}", "0", "false":
		return ""
	default:
		return s
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
