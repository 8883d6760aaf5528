package calls

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/kontor-app/kontor/hooks/access"
	"github.com/kontor-app/kontor/hooks/accounts"
	"github.com/kontor-app/kontor/hooks/fielderr"
	"github.com/kontor-app/kontor/plugins/host"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// callRoute is POST /api/kontor/contacts/{id}/call: members and above call
// the contact. The calls row (status "initiated") and its "call" activity
// are committed first, in one transaction; then the provider is asked to
// ring the user's phone, at once (a call must ring now, not when an outbox
// worker gets to it), and the row gets the provider's call id, or is
// marked failed with the reason when the provider refused or was
// unavailable.
func (c *calls) callRoute(e *core.RequestEvent) error {
	contact, err := access.RequireRecord(e, "contacts", access.Member)
	if err != nil {
		return err
	}
	ws := contact.GetString("workspace")
	errs := fielderr.Errors{}
	if contact.GetString("phone") == "" {
		errs.Add("phone", "This contact has no phone number; add one to the contact first.")
	}
	if e.Auth.GetString("phone") == "" {
		errs.Add("user_phone", "Your own phone is not set; add it under Telephony in your settings: it rings first, then the contact.")
	}
	account := c.account(e.App, ws)
	if account == nil {
		errs.Add("account", "The workspace has no enabled telephony account; an owner or admin sets one up under Telephony.")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	workspace, err := e.App.FindRecordById("workspaces", ws)
	if err != nil {
		return e.NotFoundError("", nil)
	}
	settings, err := accounts.OpenSettings(c.cfg.Secrets, account.GetString("sealed_settings"))
	if err != nil {
		return e.InternalServerError("The telephony account's settings cannot be read.", err)
	}
	req := sdk.CallRequest{
		Settings:          settings,
		From:              account.GetString("from"),
		AgentPhone:        e.Auth.GetString("phone"),
		To:                contact.GetString("phone"),
		Record:            workspace.GetBool("call_recording"),
		StatusCallbackURL: c.webhookURL(account.GetString("provider"), ws),
	}
	if req.Record {
		req.AnnounceRecording = recordingNotice(workspace)
	}

	var call *core.Record
	err = e.App.RunInTransaction(func(tx core.App) error {
		call, err = c.start(tx, contact, e.Auth, account, req.Record)
		return err
	})
	if err != nil {
		return err
	}
	req.Reference = call.Id

	// the call is placed even when the browser goes away meanwhile; the
	// host bounds it with the plugin timeout
	res, err := c.cfg.Plugins.PlaceCall(context.WithoutCancel(e.Request.Context()), account.GetString("provider"), req)
	if err != nil {
		status, message := placeError(err)
		if ferr := c.fail(e.App, call.Id, message); ferr != nil {
			e.App.Logger().Error("calls: could not mark the call failed", "call", call.Id, "error", ferr)
		}
		return apis.NewApiError(status, message, nil)
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
		call, err = tx.FindRecordById("calls", call.Id)
		if err != nil {
			return err
		}
		call.Set("provider_call_id", res.ProviderCallID)
		if call.GetString("status") == sdk.CallInitiated && res.Status == sdk.CallRinging {
			call.Set("status", res.Status)
		}
		return tx.Save(call)
	})
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, call)
}

// start writes the calls row and its activity, through tx.
func (c *calls) start(tx core.App, contact, user, account *core.Record, recorded bool) (*core.Record, error) {
	now, _ := types.ParseDateTime(c.now().UTC())
	activities, err := tx.FindCachedCollectionByNameOrId("activities")
	if err != nil {
		return nil, err
	}
	activity := core.NewRecord(activities)
	activity.Set("workspace", contact.GetString("workspace"))
	activity.Set("type", "call")
	activity.Set("subject", truncate("Call to "+contactName(contact), 200))
	activity.Set("contact", contact.Id)
	activity.Set("occurred_at", now)
	activity.Set("author", user.Id)
	if err := tx.Save(activity); err != nil {
		return nil, err
	}
	calls, err := tx.FindCachedCollectionByNameOrId("calls")
	if err != nil {
		return nil, err
	}
	call := core.NewRecord(calls)
	call.Set("workspace", contact.GetString("workspace"))
	call.Set("contact", contact.Id)
	call.Set("user", user.Id)
	call.Set("account", account.Id)
	call.Set("provider", account.GetString("provider"))
	call.Set("status", sdk.CallInitiated)
	call.Set("started_at", now)
	call.Set("recorded", recorded)
	call.Set("activity", activity.Id)
	call.Set("handled_events", []string{})
	activity.Set("body", activityBody(call))
	if err := tx.Save(call); err != nil {
		return nil, err
	}
	return call, tx.Save(activity)
}

// fail marks a call that could not be placed, and its activity, failed.
func (c *calls) fail(app core.App, id, reason string) error {
	return app.RunInTransaction(func(tx core.App) error {
		call, err := tx.FindRecordById("calls", id)
		if err != nil {
			return err
		}
		now, _ := types.ParseDateTime(c.now().UTC())
		call.Set("status", sdk.CallFailed)
		call.Set("error", truncate(reason, 1000))
		call.Set("ended_at", now)
		if err := tx.Save(call); err != nil {
			return err
		}
		return saveActivity(tx, call)
	})
}

// placeError is the status and message of a call the plugin did not place:
// the provider unavailable (503: try again later), the provider refusing
// the call (400, with the provider's message: a number or setting to fix),
// the plugin not loaded or not starting (503), too slow (504), or failing
// otherwise (502).
func placeError(err error) (int, string) {
	var pe *sdk.ProviderError
	var ce *host.CallError
	switch {
	case errors.As(err, &pe) && pe.Unavailable:
		return http.StatusServiceUnavailable, "The telephony provider " + pe.Provider + " is unavailable right now; try again in a moment. (" + pe.Message + ")"
	case errors.As(err, &pe):
		return http.StatusBadRequest, "The telephony provider " + pe.Provider + " refused the call: " + pe.Message
	case errors.Is(err, host.ErrNotFound):
		return http.StatusServiceUnavailable, "The workspace's telephony plugin is not loaded: " + err.Error()
	case errors.As(err, &ce) && ce.Reason == host.ReasonTimeout:
		return http.StatusGatewayTimeout, err.Error()
	case errors.As(err, &ce) && ce.Reason != host.ReasonFailed:
		return http.StatusServiceUnavailable, err.Error()
	case errors.As(err, &ce):
		return http.StatusBadGateway, "The call could not be placed: " + ce.Err.Error()
	}
	return http.StatusBadGateway, "The call could not be placed: " + err.Error()
}

// contactName is how a contact is named in a call's subject.
func contactName(contact *core.Record) string {
	name := strings.TrimSpace(contact.GetString("first_name") + " " + contact.GetString("last_name"))
	if name == "" {
		name = contact.GetString("email")
	}
	if name == "" {
		name = contact.GetString("phone")
	}
	return name
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
