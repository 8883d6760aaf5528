package billing

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stripe/stripe-go/v76"
)

// applySubscription stores the subscription's state, as Stripe holds it
// now, as the workspace's, and queues a plan change when the plan the
// workspace is on changes.
//
// A workspace has one subscriptions record, which follows one Stripe
// subscription at a time; which one does not depend on the order events
// arrive in:
//   - a subscription that is canceled or expired stays so: Stripe never
//     revives one, so a late event cannot make it live again, and a
//     customer.subscription.deleted event ends it whatever it carries;
//   - an ended subscription does not replace another one: a late event of
//     a former subscription cannot end the current one;
//   - a live subscription replaces an ended one (a new checkout after a
//     cancellation).
func (b *Billing) applySubscription(tx core.App, ev stripe.Event, f facts, n subscriptionState, ws string) error {
	rec, err := findSubscription(tx, ws)
	if err != nil {
		return err
	}
	if rec == nil {
		if rec, err = newSubscriptionRecord(tx, ws, b.cfg.defaultPlan().ID); err != nil {
			return err
		}
	}
	// the plan the workspace was on, as PlanOf gives it
	oldPlan := rec.GetString("plan")
	if _, ok := b.cfg.Plan(oldPlan); !ok || !(subscriptionState{Status: rec.GetString("status")}).live() {
		oldPlan = b.cfg.defaultPlan().ID
	}
	if string(ev.Type) == EventSubscriptionDeleted && n.ID == f.subscription {
		n.Status = "canceled"
	}

	stored, storedStatus := rec.GetString("stripe_subscription_id"), rec.GetString("status")
	take := true
	switch {
	case stored == "" || stored == n.ID:
		if stored == n.ID && isTerminal(storedStatus) && !n.terminal() {
			n.Status = storedStatus
		}
	case n.terminal():
		take = false
	}
	if rec.GetString("stripe_customer_id") == "" {
		customer := f.customer
		if customer == "" {
			customer = n.Customer
		}
		rec.Set("stripe_customer_id", customer)
	}
	newPlan := oldPlan
	if take {
		newPlan = b.effectivePlan(n).ID
		rec.Set("stripe_subscription_id", n.ID)
		rec.Set("status", n.Status)
		rec.Set("plan", newPlan)
		if n.PeriodEnd > 0 {
			rec.Set("current_period_end", time.Unix(n.PeriodEnd, 0).UTC())
		} else {
			rec.Set("current_period_end", "")
		}
	}
	if err := tx.Save(rec); err != nil {
		return err
	}
	if newPlan == oldPlan {
		return nil
	}

	user, err := ownerOf(tx, ws)
	if err != nil {
		return err
	}
	c := Conversion{Event: ConversionPlanChange, User: user, Workspace: ws, Value: "0", Plan: newPlan,
		OccurredAt: rfc3339(ev.Created)}
	if n.live() && n.Currency != "" {
		c.Value, c.Currency = majorUnits(n.UnitAmount, n.Currency), n.Currency
	}
	return enqueueConversion(tx, ConversionPlanChange+":"+ev.ID, c, "Plan change from "+oldPlan+" to "+newPlan)
}

// keepCustomer stores the workspace's Stripe customer when it has none yet.
func keepCustomer(tx core.App, ws, customer, plan string) error {
	rec, err := findSubscription(tx, ws)
	if err != nil {
		return err
	}
	if rec != nil && rec.GetString("stripe_customer_id") != "" {
		return nil
	}
	if rec == nil {
		if rec, err = newSubscriptionRecord(tx, ws, plan); err != nil {
			return err
		}
	}
	rec.Set("stripe_customer_id", customer)
	return tx.Save(rec)
}
