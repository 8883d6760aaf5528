package billing

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

// maxWebhookBody bounds the body of a webhook; Stripe's events are far
// smaller.
const maxWebhookBody = 1 << 20

// The results an event is recorded with.
const (
	resultApplied     = "applied"
	resultUnhandled   = "ignored: not an event Kontor handles"
	resultNoWorkspace = "ignored: no workspace of Kontor's"
	resultUnreadable  = "ignored: the object could not be read"
)

// webhookRoute is POST /api/kontor/webhooks/stripe, Stripe's webhook
// endpoint. A payload whose signature does not verify with
// KONTOR_STRIPE_WEBHOOK_SECRET is a 400 and changes nothing. An event is
// processed once: a delivery of an event already processed answers 200
// and does nothing. A failure (Stripe unreachable, the database) is a 500,
// with nothing written, so that Stripe delivers the event again.
func (b *Billing) webhookRoute(e *core.RequestEvent) error {
	if !b.cfg.Enabled() {
		return e.Error(http.StatusServiceUnavailable, offMessage+"; this server takes no Stripe webhooks.", nil)
	}
	if b.cfg.WebhookSecret == "" {
		return e.Error(http.StatusServiceUnavailable, "Stripe webhooks are off: KONTOR_STRIPE_WEBHOOK_SECRET is not set.", nil)
	}
	payload, err := io.ReadAll(io.LimitReader(e.Request.Body, maxWebhookBody+1))
	if err != nil {
		return e.BadRequestError("The webhook's body could not be read.", nil)
	}
	if len(payload) > maxWebhookBody {
		return e.BadRequestError("The webhook's body is larger than 1 MB.", nil)
	}
	ev, err := webhook.ConstructEventWithOptions(payload, e.Request.Header.Get("Stripe-Signature"), b.cfg.WebhookSecret,
		webhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true})
	if err != nil {
		return e.BadRequestError("The Stripe-Signature header does not verify with KONTOR_STRIPE_WEBHOOK_SECRET ("+err.Error()+"); nothing was recorded.", nil)
	}
	result, err := b.Process(e.Request.Context(), e.App, ev)
	if err != nil {
		e.App.Logger().Error("billing: a Stripe event could not be processed; Stripe will deliver it again", "event", ev.ID, "type", ev.Type, "error", err)
		return e.InternalServerError("The event could not be processed now; Stripe delivers it again.", nil)
	}
	return e.JSON(http.StatusOK, map[string]any{"received": true, "event": ev.ID, "result": result})
}

// errDuplicate is returned when the event was recorded in the meantime.
var errDuplicate = errors.New("the event is already processed")

// Process applies a verified Stripe event once and returns what became of
// it: "duplicate" when it was processed before, else the result recorded
// in stripe_events. The event's id and its effects are written in one
// transaction, so it is applied entirely, once, or not at all (an error:
// Stripe delivers it again).
//
// For an event about a subscription, the subscription is read from Stripe
// as it is now and stored as such, whatever state the event carries: a
// delayed or replayed event cannot bring an older state back.
func (b *Billing) Process(ctx context.Context, app core.App, ev stripe.Event) (string, error) {
	if ev.ID == "" {
		return "", errors.New("an event without id")
	}
	if ev.Created <= 0 {
		ev.Created = b.now().Unix()
	}
	b.webhooks.Lock()
	defer b.webhooks.Unlock()

	if done, err := eventProcessed(app, ev.ID); err != nil || done {
		return "duplicate", err
	}

	result := resultApplied
	f, err := parseEvent(ev)
	if err != nil {
		app.Logger().Warn("billing: a Stripe event's object could not be read", "event", ev.ID, "type", ev.Type, "error", err)
		f, result = facts{}, resultUnreadable
	} else if !f.handled {
		result = resultUnhandled
	}

	// the reads from Stripe happen before the transaction: the database is
	// not locked while Stripe answers
	var state *subscriptionState
	if f.handled && f.subscription != "" {
		ctx, cancel := context.WithTimeout(ctx, stripeTimeout)
		s, err := b.fetchSubscription(ctx, f.subscription)
		cancel()
		switch {
		case err == nil:
			state = &s
		case isMissing(err):
			state = f.object // gone from Stripe: what the event says is all there is
		default:
			return "", err
		}
	}
	var ws string
	if f.handled {
		if ws, err = b.resolveWorkspace(ctx, app, f, state); err != nil {
			return "", err
		}
		if ws == "" {
			result = resultNoWorkspace
			app.Logger().Warn("billing: a Stripe event names no workspace of this server", "event", ev.ID, "type", ev.Type, "customer", f.customer)
		}
	}

	err = app.RunInTransaction(func(tx core.App) error {
		if err := recordEvent(tx, ev, ws, result); err != nil {
			return err
		}
		if result != resultApplied {
			return nil
		}
		return b.apply(tx, ev, f, state, ws)
	})
	if errors.Is(err, errDuplicate) {
		return "duplicate", nil
	}
	if err != nil {
		return "", err
	}
	return result, nil
}

// apply writes the effects of a handled event of the workspace.
func (b *Billing) apply(tx core.App, ev stripe.Event, f facts, state *subscriptionState, ws string) error {
	if state != nil {
		if err := b.applySubscription(tx, ev, f, *state, ws); err != nil {
			return err
		}
	} else if f.customer != "" {
		if err := keepCustomer(tx, ws, f.customer, b.cfg.defaultPlan().ID); err != nil {
			return err
		}
	}
	if f.entry == nil {
		return nil
	}
	wrote, err := addHistory(tx, ws, *f.entry)
	if err != nil || !wrote {
		return err
	}
	switch f.entry.Kind {
	case KindPayment:
		if f.amount <= 0 {
			return nil // a free invoice (a trial) is no payment
		}
		user, err := ownerOf(tx, ws)
		if err != nil {
			return err
		}
		// keyed by workspace: only the first payment is one
		return enqueueConversion(tx, ConversionFirstPayment+":"+ws, Conversion{
			Event: ConversionFirstPayment, User: user, Workspace: ws, Value: majorUnits(f.amount, f.currency),
			Currency: upper(f.currency), OccurredAt: rfc3339(f.entry.OccurredAt),
		}, "First payment of a workspace")
	case KindRefund:
		user, err := ownerOf(tx, ws)
		if err != nil {
			return err
		}
		return enqueueConversion(tx, ConversionRefund+":"+ev.ID, Conversion{
			Event: ConversionRefund, User: user, Workspace: ws, Value: majorUnits(f.amount, f.currency),
			Currency: upper(f.currency), OccurredAt: rfc3339(ev.Created),
		}, "Refund to a workspace")
	}
	return nil
}

// resolveWorkspace finds the workspace an event is about: the one it names
// (checkout's client_reference_id, metadata set at checkout), else the
// one whose stored subscription or customer it concerns, else the one in
// the Stripe customer's metadata. "" when none of this server's.
func (b *Billing) resolveWorkspace(ctx context.Context, app core.App, f facts, state *subscriptionState) (string, error) {
	named := []string{f.workspace}
	if state != nil {
		named = append(named, state.Workspace)
	}
	for _, ws := range named {
		if ok, err := workspaceExists(app, ws); err != nil || ok {
			return ws, err
		}
	}
	for _, q := range []struct{ field, value string }{
		{"stripe_subscription_id", f.subscription}, {"stripe_customer_id", f.customer},
	} {
		if q.value == "" {
			continue
		}
		var ws string
		err := app.DB().NewQuery("SELECT workspace FROM " + Subscriptions + " WHERE " + q.field + " = {:v} LIMIT 1").
			Bind(dbx.Params{"v": q.value}).Row(&ws)
		if err == nil && ws != "" {
			return ws, nil
		}
	}
	if f.customer == "" {
		return "", nil
	}
	ctx, cancel := context.WithTimeout(ctx, stripeTimeout)
	defer cancel()
	ws, err := b.customerWorkspace(ctx, f.customer)
	if err != nil {
		return "", err
	}
	if ok, err := workspaceExists(app, ws); err != nil || !ok {
		return "", err
	}
	return ws, nil
}

func workspaceExists(app core.App, id string) (bool, error) {
	if id == "" {
		return false, nil
	}
	var n int
	err := app.DB().NewQuery("SELECT COUNT(*) FROM workspaces WHERE id = {:id}").Bind(dbx.Params{"id": id}).Row(&n)
	return n > 0, err
}

// eventProcessed reports whether the event is recorded.
func eventProcessed(app core.App, id string) (bool, error) {
	var n int
	err := app.DB().NewQuery("SELECT COUNT(*) FROM " + Events + " WHERE event_id = {:id}").Bind(dbx.Params{"id": id}).Row(&n)
	return n > 0, err
}

// recordEvent records the event, or returns errDuplicate when it is
// recorded already.
func recordEvent(tx core.App, ev stripe.Event, ws, result string) error {
	if done, err := eventProcessed(tx, ev.ID); err != nil {
		return err
	} else if done {
		return errDuplicate
	}
	c, err := tx.FindCachedCollectionByNameOrId(Events)
	if err != nil {
		return err
	}
	r := core.NewRecord(c)
	r.Set("event_id", ev.ID)
	r.Set("type", string(ev.Type))
	r.Set("workspace", ws)
	r.Set("result", result)
	if ev.Created > 0 {
		r.Set("stripe_created", time.Unix(ev.Created, 0).UTC())
	}
	return tx.Save(r)
}
