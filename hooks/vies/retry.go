package vies

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/outbox"
)

// retryPayload is what a queued check carries: the client, and the VAT
// number it had when the check was queued.
type retryPayload struct {
	Client string `json:"client"`
	VATID  string `json:"vat_id"`
}

// retry is the outbox handler of queued checks. It checks the client's VAT
// number again: an answer is kept and sets the client's status; VIES still
// unavailable is an error the outbox retries with backoff; a check VIES
// refuses is kept as an error and ends the retries, leaving the client
// unchecked, never invalid. A check of a number the client no longer has,
// or of a deleted client, is dropped.
func (v *checker) retry(ctx context.Context, m outbox.Item) error {
	var p retryPayload
	if err := json.Unmarshal(m.Payload, &p); err != nil || p.Client == "" || p.VATID == "" {
		return outbox.Permanent(fmt.Errorf("vies: not a check: %s", m.Payload))
	}
	client, err := v.app.FindRecordById("clients", p.Client)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	case client.GetString("vat_id") != p.VATID:
		return nil
	case v.api == nil:
		return outbox.NotSent("VIES checks are turned off on this server (KONTOR_VIES_URL=off)")
	}
	s, err := subjectOf(v.app, client)
	if err != nil {
		return outbox.Permanent(err)
	}

	res, err := v.api.Check(ctx, s.request)
	var verr *Error
	switch {
	case err == nil:
		_, _, err = saveAnswer(v.app, s, res, v.now())
	case errors.As(err, &verr) && verr.Retryable():
		return err
	case errors.As(err, &verr):
		if _, _, err := saveRefusal(v.app, s, verr); err != nil && !errors.Is(err, errStale) && !errors.Is(err, errGone) {
			return err
		}
		return outbox.Permanent(verr)
	}
	if errors.Is(err, errStale) || errors.Is(err, errGone) {
		return nil
	}
	return err
}

// settleGivenUp ends the wait of a pending client when the outbox gives up
// its check (too many attempts) or does not carry it out (checks turned
// off): the client is unchecked again, never invalid.
func settleGivenUp(e *core.RecordEvent) error {
	r := e.Record
	status := r.GetString("status")
	if r.GetString("kind") != Kind || status == r.Original().GetString("status") ||
		(status != outbox.StatusFailed && status != outbox.StatusNotSent) {
		return e.Next()
	}
	var p retryPayload
	if err := json.Unmarshal([]byte(r.GetString("payload")), &p); err != nil {
		return e.Next()
	}
	client, err := e.App.FindRecordById("clients", p.Client)
	if err == nil && client.GetString("vat_status") == Pending && client.GetString("vat_id") == p.VATID {
		client.Set("vat_status", Unchecked)
		if err := e.App.Save(client); err != nil {
			e.App.Logger().Error("VIES: ending the wait of a client", "client", p.Client, "error", err)
		}
	}
	return e.Next()
}
