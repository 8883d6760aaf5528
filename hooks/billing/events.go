package billing

import (
	"encoding/json"
	"fmt"

	"github.com/stripe/stripe-go/v76"
)

// The Stripe event types billing handles.
const (
	EventCheckoutCompleted    = "checkout.session.completed"
	EventSubscriptionCreated  = "customer.subscription.created"
	EventSubscriptionUpdated  = "customer.subscription.updated"
	EventSubscriptionDeleted  = "customer.subscription.deleted"
	EventInvoicePaid          = "invoice.paid"
	EventInvoicePaymentFailed = "invoice.payment_failed"
	EventChargeRefunded       = "charge.refunded"
)

// HandledEvents are the event types to send to the webhook endpoint.
var HandledEvents = []string{EventCheckoutCompleted, EventSubscriptionCreated, EventSubscriptionUpdated,
	EventSubscriptionDeleted, EventInvoicePaid, EventInvoicePaymentFailed, EventChargeRefunded}

// facts is what an event says that billing needs. Objects are read from
// their JSON with the fields of both the client's API version and newer
// ones, since an endpoint may be pinned to another version than the client.
type facts struct {
	handled      bool
	customer     string
	subscription string
	// workspace is the workspace the event names itself: the checkout's
	// client_reference_id, or metadata.workspace set at checkout.
	workspace string
	// object is the event's subscription, for customer.subscription.*.
	object *subscriptionState
	// entry is the billing history row of an invoice or charge event.
	entry *entry
	// value and currency of a payment or refund, in minor units.
	amount   int64
	currency string
}

// parseEvent reads the facts of an event. An unhandled type gives facts
// with handled false and no error.
func parseEvent(ev stripe.Event) (facts, error) {
	f := facts{}
	if ev.Data == nil {
		return f, fmt.Errorf("event %s has no data", ev.ID)
	}
	raw := []byte(ev.Data.Raw)
	switch string(ev.Type) {
	case EventCheckoutCompleted:
		var s struct {
			Mode              string            `json:"mode"`
			ClientReferenceID string            `json:"client_reference_id"`
			Customer          idOrObject        `json:"customer"`
			Subscription      idOrObject        `json:"subscription"`
			Metadata          map[string]string `json:"metadata"`
		}
		if err := json.Unmarshal(raw, &s); err != nil {
			return f, err
		}
		if s.Mode != "subscription" {
			return f, nil // a payment checkout is not a subscription of Kontor's
		}
		f.handled = true
		f.customer, f.subscription = string(s.Customer), string(s.Subscription)
		f.workspace = s.ClientReferenceID
		if f.workspace == "" {
			f.workspace = s.Metadata["workspace"]
		}

	case EventSubscriptionCreated, EventSubscriptionUpdated, EventSubscriptionDeleted:
		s, err := parseSubscription(raw)
		if err != nil {
			return f, err
		}
		f.handled = true
		f.customer, f.subscription, f.workspace, f.object = s.Customer, s.ID, s.Workspace, &s

	case EventInvoicePaid, EventInvoicePaymentFailed:
		var in struct {
			ID                  string              `json:"id"`
			Customer            idOrObject          `json:"customer"`
			Subscription        idOrObject          `json:"subscription"`
			SubscriptionDetails *subscriptionDetail `json:"subscription_details"`
			Parent              *struct {
				SubscriptionDetails *subscriptionDetail `json:"subscription_details"`
			} `json:"parent"`
			Charge      idOrObject `json:"charge"`
			AmountPaid  int64      `json:"amount_paid"`
			AmountDue   int64      `json:"amount_due"`
			Currency    string     `json:"currency"`
			PeriodStart int64      `json:"period_start"`
			PeriodEnd   int64      `json:"period_end"`
			Lines       struct {
				Data []struct {
					Period struct {
						Start int64 `json:"start"`
						End   int64 `json:"end"`
					} `json:"period"`
				} `json:"data"`
			} `json:"lines"`
			StatusTransitions struct {
				PaidAt int64 `json:"paid_at"`
			} `json:"status_transitions"`
		}
		if err := json.Unmarshal(raw, &in); err != nil {
			return f, err
		}
		if in.ID == "" {
			return f, fmt.Errorf("event %s: an invoice without id", ev.ID)
		}
		f.handled = true
		f.customer, f.subscription = string(in.Customer), string(in.Subscription)
		for _, d := range []*subscriptionDetail{in.SubscriptionDetails, parentDetails(in.Parent)} {
			if d == nil {
				continue
			}
			if f.subscription == "" {
				f.subscription = string(d.Subscription)
			}
			if f.workspace == "" {
				f.workspace = d.Metadata["workspace"]
			}
		}
		en := entry{Invoice: in.ID, Charge: string(in.Charge), Currency: in.Currency, Event: ev.ID,
			PeriodStart: in.PeriodStart, PeriodEnd: in.PeriodEnd, OccurredAt: ev.Created}
		if len(in.Lines.Data) > 0 && in.Lines.Data[0].Period.End > 0 {
			en.PeriodStart, en.PeriodEnd = in.Lines.Data[0].Period.Start, in.Lines.Data[0].Period.End
		}
		if string(ev.Type) == EventInvoicePaid {
			// one payment per invoice
			en.Kind, en.Ref, en.Amount = KindPayment, in.ID, in.AmountPaid
			if in.StatusTransitions.PaidAt > 0 {
				en.OccurredAt = in.StatusTransitions.PaidAt
			}
		} else {
			// every failed attempt
			en.Kind, en.Ref, en.Amount = KindPaymentFailed, ev.ID, in.AmountDue
		}
		f.entry, f.amount, f.currency = &en, en.Amount, en.Currency

	case EventChargeRefunded:
		var ch struct {
			ID             string            `json:"id"`
			Customer       idOrObject        `json:"customer"`
			Invoice        idOrObject        `json:"invoice"`
			AmountRefunded int64             `json:"amount_refunded"`
			Currency       string            `json:"currency"`
			Metadata       map[string]string `json:"metadata"`
		}
		if err := json.Unmarshal(raw, &ch); err != nil {
			return f, err
		}
		if ch.ID == "" {
			return f, fmt.Errorf("event %s: a charge without id", ev.ID)
		}
		f.handled = true
		f.customer, f.workspace = string(ch.Customer), ch.Metadata["workspace"]
		// what this event refunded: the total refunded now less the total
		// before, which Stripe gives in previous_attributes
		refunded := ch.AmountRefunded
		if prev, ok := ev.Data.PreviousAttributes["amount_refunded"].(float64); ok && int64(prev) <= refunded {
			refunded -= int64(prev)
		}
		en := entry{Kind: KindRefund, Ref: ev.ID, Invoice: string(ch.Invoice), Charge: ch.ID, Amount: refunded,
			Currency: ch.Currency, OccurredAt: ev.Created, Event: ev.ID}
		f.entry, f.amount, f.currency = &en, en.Amount, en.Currency
	}
	return f, nil
}

// subscriptionDetail is an invoice's subscription_details: where newer API
// versions name the subscription, and its metadata.
type subscriptionDetail struct {
	Subscription idOrObject        `json:"subscription"`
	Metadata     map[string]string `json:"metadata"`
}

func parentDetails(p *struct {
	SubscriptionDetails *subscriptionDetail `json:"subscription_details"`
}) *subscriptionDetail {
	if p == nil {
		return nil
	}
	return p.SubscriptionDetails
}
