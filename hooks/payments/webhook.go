package payments

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/money"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// maxWebhookBytes bounds a provider's webhook body.
const maxWebhookBytes = 1 << 20

// Outcomes of a provider event.
const (
	outcomeRecorded  = "recorded"  // it changed a payment link, or recorded a payment
	outcomeIgnored   = "ignored"   // an event the plugin does not act on
	outcomeUnmatched = "unmatched" // no payment link of this workspace has its payment id
	outcomeOverpaid  = "overpaid"  // more was paid than was due: what was due is recorded
)

// webhookResponse is the answer to a provider.
type webhookResponse struct {
	Outcome   string `json:"outcome"`
	Duplicate bool   `json:"duplicate,omitempty"`
}

// webhookRoute is POST /api/kontor/webhooks/payments/{provider}/{workspace}.
// The plugin verifies the call with the workspace's settings; a call it
// refuses is a 400 that writes nothing. A verified event is stored once by
// its id, in one transaction with what it does: a payment of the invoice
// (which settles it and queues the payment-received email), or the payment
// link's new status.
func (p *payments) webhookRoute(e *core.RequestEvent) error {
	provider, workspaceID := e.Request.PathValue("provider"), e.Request.PathValue("workspace")
	if p.provider(provider) == nil {
		return e.NotFoundError("No payment provider plugin named \""+provider+"\" is loaded.", nil)
	}
	account, err := e.App.FindFirstRecordByFilter("payment_accounts", "workspace = {:w} && provider = {:p}",
		dbx.Params{"w": workspaceID, "p": provider})
	if err != nil {
		return e.NotFoundError("This workspace has no "+provider+" account.", nil)
	}
	settings, err := p.openSettings(account.GetString("sealed_settings"))
	if err != nil {
		return err
	}
	body, err := io.ReadAll(http.MaxBytesReader(e.Response, e.Request.Body, maxWebhookBytes))
	if err != nil {
		return e.BadRequestError("The webhook body is too large.", nil)
	}
	ev, err := p.cfg.Providers.ParseWebhook(e.Request.Context(), provider, sdk.WebhookRequest{
		Headers: e.Request.Header, Body: body, Settings: settings})
	if err != nil {
		return e.BadRequestError("The webhook could not be verified: "+err.Error(), nil)
	}
	if ev.ID == "" {
		return e.BadRequestError("The webhook's event has no id.", nil)
	}

	res := webhookResponse{}
	err = e.App.RunInTransaction(func(tx core.App) error {
		if _, err := tx.FindFirstRecordByFilter("payment_events", "workspace = {:w} && provider = {:p} && event_id = {:id}",
			dbx.Params{"w": workspaceID, "p": provider, "id": ev.ID}); err == nil {
			res.Duplicate = true
			return nil
		}
		record, err := recordEvent(tx, workspaceID, provider, ev)
		if err != nil {
			return err
		}
		res.Outcome = record.GetString("outcome")
		return tx.Save(record)
	})
	if err != nil {
		return err
	}
	if res.Duplicate {
		res.Outcome = "duplicate"
	}
	return e.JSON(http.StatusOK, res)
}

// recordEvent carries out a verified event through tx and returns its
// payment_events record, not yet saved.
func recordEvent(tx core.App, workspaceID, provider string, ev *sdk.PaymentEvent) (*core.Record, error) {
	collection, err := tx.FindCachedCollectionByNameOrId("payment_events")
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(collection)
	r.Set("workspace", workspaceID)
	r.Set("provider", provider)
	r.Set("event_id", ev.ID)
	r.Set("type", ev.Type)
	r.Set("amount", ev.Amount)
	r.Set("currency", strings.ToUpper(ev.Currency))
	r.Set("occurred_at", ev.OccurredAt)
	r.Set("outcome", outcomeIgnored)
	if ev.Type == sdk.EventIgnored {
		return r, nil
	}

	link, err := tx.FindFirstRecordByFilter("payment_links", "workspace = {:w} && provider = {:p} && provider_payment_id = {:id}",
		dbx.Params{"w": workspaceID, "p": provider, "id": ev.PaymentID})
	if err != nil {
		r.Set("outcome", outcomeUnmatched)
		return r, nil
	}
	r.Set("payment_link", link.Id)
	r.Set("invoice", link.GetString("invoice"))
	r.Set("outcome", outcomeRecorded)
	switch ev.Type {
	case sdk.EventSucceeded:
		if link.GetString("status") == "paid" {
			return r, nil // the same payment, told again by another event
		}
		outcome, err := recordPayment(tx, link, ev)
		if err != nil {
			return nil, err
		}
		r.Set("outcome", outcome)
		link.Set("status", "paid")
	case sdk.EventFailed:
		link.Set("status", "failed")
	case sdk.EventExpired:
		link.Set("status", "expired")
	case sdk.EventRefunded:
		// a refund is the seller's to book (a credit note); the event is kept
		return r, nil
	}
	return r, tx.Save(link)
}

// recordPayment records what a succeeded event paid as a payment of the
// link's invoice: the event's amount (or the link's, when the provider does
// not say), at most what is due. It returns the event's outcome.
func recordPayment(tx core.App, link *core.Record, ev *sdk.PaymentEvent) (string, error) {
	invoice, err := tx.FindRecordById("invoices", link.GetString("invoice"))
	if err != nil {
		return "", err
	}
	amountText := ev.Amount
	if amountText == "" {
		amountText = link.GetString("amount")
	}
	amount, err := money.Parse(amountText)
	if err != nil || !amount.IsPositive() {
		return outcomeUnmatched, nil
	}
	if ev.Currency != "" && !strings.EqualFold(ev.Currency, invoice.GetString("currency")) {
		return outcomeUnmatched, nil
	}
	var totals struct {
		Due string `json:"due"`
	}
	_ = json.Unmarshal([]byte(invoice.GetString("totals")), &totals)
	due, _ := money.Parse(totals.Due)
	outcome := outcomeRecorded
	if amount.GreaterThan(due) {
		amount, outcome = due, outcomeOverpaid
	}
	if !amount.IsPositive() {
		return outcomeOverpaid, nil
	}
	collection, err := tx.FindCachedCollectionByNameOrId("payments")
	if err != nil {
		return "", err
	}
	payment := core.NewRecord(collection)
	payment.Set("workspace", invoice.GetString("workspace"))
	payment.Set("invoice", invoice.Id)
	payment.Set("amount", money.Amount(amount))
	payment.Set("date", paymentDate(ev.OccurredAt))
	payment.Set("method", "online")
	payment.Set("reference", link.GetString("provider")+" "+ev.PaymentID)
	return outcome, tx.Save(payment)
}

// paymentDate is the day of an RFC 3339 time, today (UTC) when it has none.
func paymentDate(occurredAt string) string {
	if t, err := time.Parse(time.RFC3339, occurredAt); err == nil {
		return t.UTC().Format(time.DateOnly)
	}
	return time.Now().UTC().Format(time.DateOnly)
}
