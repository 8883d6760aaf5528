package stripe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// SignatureHeader is the header Stripe signs its webhooks in.
const SignatureHeader = "Stripe-Signature"

// ParseWebhook verifies the Stripe-Signature of a webhook with the
// webhook_secret setting (and that it was signed within the last five
// minutes, Stripe's default tolerance) and reads its event:
//
//	checkout.session.completed, payment_status paid  succeeded
//	checkout.session.async_payment_succeeded         succeeded
//	checkout.session.async_payment_failed            failed
//	checkout.session.expired                         expired
//	charge.refunded                                  refunded
//	anything else (and a completed session not yet   ignored
//	paid, e.g. a SEPA debit still pending)
//
// For a session, PaymentID is the session id CreatePayment returned, and
// Amount its amount_total. A charge does not name its Checkout Session, so
// for charge.refunded PaymentID is the charge's PaymentIntent id (pi_…),
// not a session id: Kontor matches it by InvoiceNumber, which Stripe copies
// from the PaymentIntent's metadata to the charge; Amount is then the total
// refunded on the charge so far (amount_refunded), not only this refund.
//
// Events of any API version are read: the fields read here have not
// changed across versions.
func (Provider) ParseWebhook(_ context.Context, req sdk.WebhookRequest) (*sdk.PaymentEvent, error) {
	secret := strings.TrimSpace(req.Settings[SettingWebhookSecret])
	if secret == "" {
		return nil, errors.New("stripe webhook: the webhook_secret setting is not set, so the signature cannot be verified")
	}
	sig := sdk.Header(req.Headers, SignatureHeader)
	if sig == "" {
		return nil, errors.New("stripe webhook: missing Stripe-Signature header; the request is not signed by Stripe")
	}
	ev, err := webhook.ConstructEventWithOptions(req.Body, sig, secret, webhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true})
	switch {
	case errors.Is(err, webhook.ErrTooOld):
		return nil, errors.New("stripe webhook: invalid signature: its timestamp is older than the 5 minute tolerance (a replay, or a clock off)")
	case errors.Is(err, webhook.ErrNoValidSignature), errors.Is(err, webhook.ErrInvalidHeader), errors.Is(err, webhook.ErrNotSigned):
		return nil, errors.New("stripe webhook: invalid signature: the Stripe-Signature header does not match the body with this webhook_secret")
	case err != nil:
		return nil, fmt.Errorf("stripe webhook: signature valid but the body is not a Stripe event: %v", err)
	case ev.Data == nil:
		return nil, errors.New("stripe webhook: the event has no data")
	}
	out := &sdk.PaymentEvent{ID: ev.ID, Type: sdk.EventIgnored}
	if ev.Created > 0 {
		out.OccurredAt = time.Unix(ev.Created, 0).UTC().Format(time.RFC3339)
	}
	switch ev.Type {
	case "checkout.session.completed", "checkout.session.async_payment_succeeded",
		"checkout.session.async_payment_failed", "checkout.session.expired":
		var s stripego.CheckoutSession
		if err := json.Unmarshal(ev.Data.Raw, &s); err != nil {
			return nil, fmt.Errorf("stripe webhook: %s: the object is not a Checkout Session: %v", ev.Type, err)
		}
		switch ev.Type {
		case "checkout.session.completed":
			if s.PaymentStatus == stripego.CheckoutSessionPaymentStatusPaid {
				out.Type = sdk.EventSucceeded
			}
		case "checkout.session.async_payment_succeeded":
			out.Type = sdk.EventSucceeded
		case "checkout.session.async_payment_failed":
			out.Type = sdk.EventFailed
		case "checkout.session.expired":
			out.Type = sdk.EventExpired
		}
		out.PaymentID = s.ID
		out.InvoiceNumber = s.ClientReferenceID
		if out.InvoiceNumber == "" {
			out.InvoiceNumber = s.Metadata[MetaInvoiceNumber]
		}
		if s.Currency != "" {
			out.Currency = strings.ToUpper(string(s.Currency))
			out.Amount = FromMinorUnits(s.AmountTotal, out.Currency)
		}
	case "charge.refunded":
		var c stripego.Charge
		if err := json.Unmarshal(ev.Data.Raw, &c); err != nil {
			return nil, fmt.Errorf("stripe webhook: %s: the object is not a charge: %v", ev.Type, err)
		}
		out.Type = sdk.EventRefunded
		if c.PaymentIntent != nil {
			out.PaymentID = c.PaymentIntent.ID
		}
		out.InvoiceNumber = c.Metadata[MetaInvoiceNumber]
		if c.Currency != "" {
			out.Currency = strings.ToUpper(string(c.Currency))
			out.Amount = FromMinorUnits(c.AmountRefunded, out.Currency)
		}
	}
	return out, nil
}
