package vies

import (
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/fielderr"
	"github.com/kontor-app/kontor/hooks/outbox"
)

var (
	// errStale says the client's VAT number changed while it was checked:
	// the answer is about a number the client no longer has.
	errStale = errors.New("vies: the client's VAT number changed while it was being checked")
	// errGone says the client was deleted while it was checked.
	errGone = errors.New("vies: the client no longer exists")
)

// subject is one check: whose VAT number, and who asks.
type subject struct {
	client    string // the client's id
	workspace string // the client's workspace
	vatID     string // the VAT number as the client has it, e.g. ESB12345678
	requester string // the workspace's VAT number sent as requester; "" for none
	request   Request
}

// subjectOf returns the check of a client's VAT number. The workspace's
// own VAT number goes with it as requester, so that VIES answers with a
// consultation number; a workspace without one (or of a country outside
// VIES) is checked without, and gets none.
func subjectOf(app core.App, client *core.Record) (subject, error) {
	vatID := client.GetString("vat_id")
	if vatID == "" {
		return subject{}, fielderr.New("vat_id", "The client has no VAT number to check; enter it first.")
	}
	state, number, ok := SplitVATID(vatID)
	if !ok {
		return subject{}, fielderr.New("vat_id", "VIES checks the VAT numbers of EU member states (and of Northern Ireland, XI); "+vatID+" is not one of them.")
	}
	s := subject{
		client:    client.Id,
		workspace: client.GetString("workspace"),
		vatID:     vatID,
		request:   Request{CountryCode: state, VATNumber: number},
	}
	workspace, err := app.FindRecordById("workspaces", s.workspace)
	if err != nil {
		return subject{}, err
	}
	if own := workspace.GetString("vat_id"); own != "" {
		if state, number, ok := SplitVATID(own); ok {
			s.requester = own
			s.request.RequesterMemberStateCode, s.request.RequesterNumber = state, number
		}
	}
	return s, nil
}

// saveAnswer keeps VIES's answer as evidence and sets the client's status
// from it (valid or invalid), in one transaction. It returns the evidence
// and the client.
func saveAnswer(app core.App, s subject, res Result, now time.Time) (check, client *core.Record, err error) {
	return save(app, s, func(_ core.App, check, client *core.Record) error {
		status, clientStatus := CheckInvalid, Invalid
		if res.Valid {
			status, clientStatus = CheckValid, Valid
		}
		check.Set("status", status)
		check.Set("name", truncate(res.Name, 500))
		check.Set("address", truncate(res.Address, 1000))
		if !res.RequestDate.IsZero() {
			check.Set("request_date", res.RequestDate)
		}
		check.Set("consultation_number", truncate(res.RequestIdentifier, 100))
		client.Set("vat_status", clientStatus)
		client.Set("vat_checked_at", now)
		return nil
	})
}

// saveUnavailable keeps a check VIES could not answer now, makes the client
// pending and queues a retry in the outbox, in one transaction.
func saveUnavailable(app core.App, s subject, verr *Error, now time.Time) (check, client *core.Record, err error) {
	return save(app, s, func(tx core.App, check, client *core.Record) error {
		check.Set("status", CheckUnavailable)
		check.Set("error_code", truncate(verr.Code(), 200))
		client.Set("vat_status", Pending)
		_, _, err := outbox.Enqueue(tx, outbox.Message{
			Kind:      Kind,
			Key:       "vies:" + s.client + ":" + s.vatID + ":" + strconv.FormatInt(now.Unix(), 10),
			Workspace: s.workspace,
			Summary:   "VIES check of " + s.vatID + " (" + client.GetString("name") + ")",
			Payload:   retryPayload{Client: s.client, VATID: s.vatID},
		})
		return err
	})
}

// saveRefusal keeps a check VIES refused (an error retrying cannot mend)
// and ends a pending client's wait: it is unchecked again, never invalid.
func saveRefusal(app core.App, s subject, verr *Error) (check, client *core.Record, err error) {
	return save(app, s, func(_ core.App, check, client *core.Record) error {
		check.Set("status", CheckError)
		check.Set("error_code", truncate(verr.Code(), 200))
		if client.GetString("vat_status") == Pending {
			client.Set("vat_status", Unchecked)
		}
		return nil
	})
}

// save writes a new record of the evidence and the client's new status in
// one transaction, once fill has set them, provided the client still has
// the VAT number that was checked.
func save(app core.App, s subject, fill func(tx core.App, check, client *core.Record) error) (check, client *core.Record, err error) {
	err = app.RunInTransaction(func(tx core.App) error {
		c, err := tx.FindRecordById("clients", s.client)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return errGone
		case err != nil:
			return err
		case c.GetString("vat_id") != s.vatID:
			return errStale
		}
		collection, err := tx.FindCachedCollectionByNameOrId(Checks)
		if err != nil {
			return err
		}
		r := core.NewRecord(collection)
		r.Set("workspace", s.workspace)
		r.Set("client", s.client)
		r.Set("vat_id", s.vatID)
		r.Set("requester", s.requester)
		if err := fill(tx, r, c); err != nil {
			return err
		}
		if err := tx.Save(r); err != nil {
			return fmt.Errorf("vies: keeping the check: %w", err)
		}
		if c.GetString("vat_status") != c.Original().GetString("vat_status") ||
			c.GetString("vat_checked_at") != c.Original().GetString("vat_checked_at") {
			if err := tx.Save(c); err != nil {
				return fmt.Errorf("vies: updating the client: %w", err)
			}
		}
		check, client = r, c
		return nil
	})
	return check, client, err
}

// truncate cuts s to at most n runes, the most a field keeps.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
