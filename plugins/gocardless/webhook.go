package gocardless

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// SignatureHeader is the header GoCardless signs its webhooks in: the hex
// HMAC-SHA256 of the raw body, keyed with the endpoint's secret.
const SignatureHeader = "Webhook-Signature"

// Event is one GoCardless event of a webhook.
type Event struct {
	ID               string            `json:"id"`
	CreatedAt        string            `json:"created_at"`
	ResourceType     string            `json:"resource_type"`
	Action           string            `json:"action"`
	Links            map[string]string `json:"links"`
	ResourceMetadata map[string]any    `json:"resource_metadata"`
}

// ParseWebhook verifies the Webhook-Signature of a webhook with the
// webhook_secret setting, in constant time, and reads its events:
//
//	billing_requests fulfilled          succeeded  PaymentID links.billing_request
//	billing_requests cancelled, failed  failed     PaymentID links.billing_request
//	payments failed, cancelled          failed     PaymentID links.payment
//	payments charged_back               refunded   PaymentID links.payment
//	refunds paid                        refunded   PaymentID links.payment
//	anything else                       ignored
//
// GoCardless events carry no amount: Amount and Currency are empty, which
// means the amount CreatePayment asked for. The Billing Request events
// quote the id CreatePayment returned (BRQ…); payment and refund events
// quote the payment (PM…), with InvoiceNumber from the payment's metadata
// (resource_metadata) for Kontor to match.
//
// GoCardless batches events in one webhook, and the plugin contract
// returns one event per webhook: ParseWebhook returns the first event of
// the batch that is not ignored (or, when all are, the first, as ignored).
// Other events of the same batch that matter are dropped; they are rare,
// since each webhook usually concerns one resource.
func (Provider) ParseWebhook(_ context.Context, req sdk.WebhookRequest) (*sdk.PaymentEvent, error) {
	secret := req.Settings[SettingWebhookSecret]
	if secret == "" {
		return nil, errors.New("gocardless webhook: the webhook_secret setting is not set, so the signature cannot be verified")
	}
	sig := strings.TrimSpace(sdk.Header(req.Headers, SignatureHeader))
	if sig == "" {
		return nil, errors.New("gocardless webhook: missing Webhook-Signature header; the request is not signed by GoCardless")
	}
	if !Verify(req.Body, sig, secret) {
		return nil, errors.New("gocardless webhook: invalid signature: the Webhook-Signature header does not match the body with this webhook_secret")
	}
	var batch struct {
		Events []Event `json:"events"`
	}
	if err := json.Unmarshal(req.Body, &batch); err != nil {
		return nil, fmt.Errorf("gocardless webhook: signature valid but the body is not a GoCardless webhook: %v", err)
	}
	if len(batch.Events) == 0 {
		return nil, errors.New("gocardless webhook: the webhook has no events")
	}
	for _, e := range batch.Events {
		if ev := Map(e); ev.Type != sdk.EventIgnored {
			return ev, nil
		}
	}
	return Map(batch.Events[0]), nil
}

// Verify reports whether sig is the hex HMAC-SHA256 of body with secret.
func Verify(body []byte, sig, secret string) bool {
	got, err := hex.DecodeString(strings.TrimSpace(sig))
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}

// Sign returns the Webhook-Signature of body with secret, as GoCardless
// computes it.
func Sign(body []byte, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// Map reads one GoCardless event as a payment event.
func Map(e Event) *sdk.PaymentEvent {
	out := &sdk.PaymentEvent{ID: e.ID, Type: sdk.EventIgnored}
	if t, err := time.Parse(time.RFC3339Nano, e.CreatedAt); err == nil {
		out.OccurredAt = t.UTC().Format(time.RFC3339)
	}
	if n, ok := e.ResourceMetadata[MetaInvoiceNumber].(string); ok {
		out.InvoiceNumber = n
	}
	switch e.ResourceType + " " + e.Action {
	case "billing_requests fulfilled":
		out.Type, out.PaymentID = sdk.EventSucceeded, e.Links["billing_request"]
	case "billing_requests cancelled", "billing_requests failed":
		out.Type, out.PaymentID = sdk.EventFailed, e.Links["billing_request"]
	case "payments failed", "payments cancelled":
		out.Type, out.PaymentID = sdk.EventFailed, e.Links["payment"]
	case "payments charged_back", "refunds paid":
		out.Type, out.PaymentID = sdk.EventRefunded, e.Links["payment"]
	}
	return out
}
