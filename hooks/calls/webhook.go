package calls

import (
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/accounts"
	"github.com/kontor-app/kontor/plugins/host"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// maxWebhookBytes bounds a provider's webhook body.
const maxWebhookBytes = 1 << 20

// Outcomes of a provider event.
const (
	outcomeUpdated   = "updated"   // it changed the call and its activity
	outcomeIgnored   = "ignored"   // nothing for Kontor to log
	outcomeUnmatched = "unmatched" // no call of this workspace is the event's
	outcomeDuplicate = "duplicate" // the call already took this event
)

// webhookResponse is the answer to a provider whose event carries no reply
// of its own.
type webhookResponse struct {
	Outcome string `json:"outcome"`
}

// webhookRoute is POST /api/kontor/webhooks/telephony/{provider}/{workspace}.
// The plugin verifies the webhook with the workspace's account settings
// and the full public URL it was posted to (KONTOR_PUBLIC_URL and the
// path and query: what Twilio signs); one it refuses is a 400 that writes
// nothing. A verified event updates its call and the call's activity in
// one transaction, once by its id, and the route answers with the
// event's reply (Twilio's TwiML) when it has one.
func (c *calls) webhookRoute(e *core.RequestEvent) error {
	provider, ws := e.Request.PathValue("provider"), e.Request.PathValue("workspace")
	if !c.hasProvider(provider) {
		return e.NotFoundError("No telephony plugin named \""+provider+"\" is loaded.", nil)
	}
	account, err := e.App.FindFirstRecordByFilter("telephony_accounts", "workspace = {:w} && provider = {:p}",
		dbx.Params{"w": ws, "p": provider})
	if err != nil {
		return e.NotFoundError("This workspace has no "+provider+" account.", nil)
	}
	settings, err := accounts.OpenSettings(c.cfg.Secrets, account.GetString("sealed_settings"))
	if err != nil {
		return e.InternalServerError("The telephony account's settings cannot be read.", err)
	}
	body, err := io.ReadAll(http.MaxBytesReader(e.Response, e.Request.Body, maxWebhookBytes))
	if err != nil {
		return e.BadRequestError("The webhook body is too large.", nil)
	}
	ev, err := c.cfg.Plugins.ParseCallWebhook(e.Request.Context(), provider, sdk.CallWebhookRequest{
		Headers: e.Request.Header, Body: body, URL: c.cfg.PublicURL + e.Request.URL.RequestURI(), Settings: settings})
	if err != nil {
		var pe *sdk.ProviderError
		var ce *host.CallError
		if errors.As(err, &pe) && pe.Unavailable || errors.As(err, &ce) && ce.Reason != host.ReasonFailed {
			// the provider or the plugin could not take it now: the
			// provider delivers the webhook again
			return e.Error(http.StatusServiceUnavailable, "The webhook could not be handled now; deliver it again later.", err)
		}
		return e.BadRequestError("The webhook could not be verified: "+err.Error(), nil)
	}

	outcome := outcomeIgnored
	if ev.Status != sdk.CallIgnored {
		err = e.App.RunInTransaction(func(tx core.App) error {
			outcome, err = c.record(tx, ws, provider, ev)
			return err
		})
		if err != nil {
			return err
		}
	}
	if len(ev.Reply) > 0 {
		contentType := ev.ReplyContentType
		if contentType == "" {
			contentType = "text/plain"
		}
		return e.Blob(http.StatusOK, contentType, ev.Reply)
	}
	return e.JSON(http.StatusOK, webhookResponse{Outcome: outcome})
}

// record applies a verified event to its call and the call's activity,
// through tx, and returns the outcome.
func (c *calls) record(tx core.App, ws, provider string, ev *sdk.CallEvent) (string, error) {
	call := findCall(tx, ws, provider, ev)
	if call == nil {
		return outcomeUnmatched, nil
	}
	if handled(call, ev.ID) {
		return outcomeDuplicate, nil
	}
	at := c.now()
	if t, err := time.Parse(time.RFC3339, ev.OccurredAt); err == nil {
		at = t
	}
	if call.GetString("provider_call_id") == "" && ev.ProviderCallID != "" {
		call.Set("provider_call_id", ev.ProviderCallID)
	}
	progress(call, ev, at)
	if err := tx.Save(call); err != nil {
		return "", err
	}
	return outcomeUpdated, saveActivity(tx, call)
}

// findCall is the workspace's call of the event: by Kontor's reference,
// or else by the provider's call id; nil when there is none.
func findCall(tx core.App, ws, provider string, ev *sdk.CallEvent) *core.Record {
	if ev.Reference != "" {
		call, err := tx.FindFirstRecordByFilter("calls", "id = {:id} && workspace = {:w} && provider = {:p}",
			dbx.Params{"id": ev.Reference, "w": ws, "p": provider})
		if err == nil {
			return call
		}
	}
	if ev.ProviderCallID == "" {
		return nil
	}
	call, err := tx.FindFirstRecordByFilter("calls", "provider_call_id = {:c} && workspace = {:w} && provider = {:p}",
		dbx.Params{"c": ev.ProviderCallID, "w": ws, "p": provider})
	if err != nil {
		return nil
	}
	return call
}
