package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Kontor's own plans, billed through Stripe (hooks/billing):
//   - subscriptions: one per workspace that went to checkout: the Stripe
//     customer and subscription ids, the plan the workspace is on, the
//     subscription's status and the end of its paid period; nothing else
//     of Stripe's and never card data. Members of the workspace read it;
//     only the server writes it.
//   - billing_history: what Stripe charged (invoice.paid), failed to charge
//     (invoice.payment_failed) and refunded (charge.refunded), amounts in
//     the currency's minor units; owners and admins read it, only the
//     server writes it. stripe_ref is unique: each row is written once.
//   - stripe_events: the id of every Stripe event processed, unique, written
//     in the transaction of the event's effects so each takes effect once.
//     No API access.
func init() {
	m.Register(func(app core.App) error {
		workspaces, err := app.FindCollectionByNameOrId("workspaces")
		if err != nil {
			return err
		}

		subscriptions := core.NewBaseCollection("subscriptions")
		subscriptions.Fields.Add(
			workspaceRelation(workspaces),
			&core.TextField{Name: "stripe_customer_id", Max: 255},
			&core.TextField{Name: "stripe_subscription_id", Max: 255},
			&core.SelectField{Name: "plan", Required: true, MaxSelect: 1, Values: []string{"free", "pro", "team"}},
			// Stripe's status (active, trialing, past_due, canceled…); empty
			// until Stripe reports a subscription
			&core.TextField{Name: "status", Max: 50},
			&core.DateField{Name: "current_period_end"},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		subscriptions.AddIndex("idx_subscriptions_workspace", true, "workspace", "")
		subscriptions.AddIndex("idx_subscriptions_customer", false, "stripe_customer_id", "")
		subscriptions.AddIndex("idx_subscriptions_subscription", false, "stripe_subscription_id", "")
		subscriptions.ListRule = types.Pointer(ruleMember)
		subscriptions.ViewRule = types.Pointer(ruleMember)
		if err := app.Save(subscriptions); err != nil {
			return err
		}

		history := core.NewBaseCollection("billing_history")
		history.Fields.Add(
			workspaceRelation(workspaces),
			&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: []string{"payment", "payment_failed", "refund"}},
			&core.TextField{Name: "stripe_ref", Required: true, Max: 255},
			&core.TextField{Name: "stripe_invoice_id", Max: 255},
			&core.TextField{Name: "stripe_charge_id", Max: 255},
			// minor units of the currency (cents), as Stripe counts
			&core.NumberField{Name: "amount", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.TextField{Name: "currency", Max: 3},
			&core.DateField{Name: "period_start"},
			&core.DateField{Name: "period_end"},
			&core.DateField{Name: "occurred_at"},
			&core.TextField{Name: "stripe_event_id", Max: 255},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		history.AddIndex("idx_billing_history_ref", true, "stripe_ref", "")
		history.AddIndex("idx_billing_history_workspace", false, "workspace, occurred_at", "")
		history.ListRule = types.Pointer(ruleAdmin)
		history.ViewRule = types.Pointer(ruleAdmin)
		if err := app.Save(history); err != nil {
			return err
		}

		events := core.NewBaseCollection("stripe_events")
		events.Fields.Add(
			&core.TextField{Name: "event_id", Required: true, Max: 255},
			&core.TextField{Name: "type", Max: 100},
			// plain text, not a relation: the record of an event outlives
			// its workspace, so a late delivery is not applied again
			&core.TextField{Name: "workspace", Max: 50},
			&core.TextField{Name: "result", Max: 200},
			&core.DateField{Name: "stripe_created"},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		events.AddIndex("idx_stripe_events_event", true, "event_id", "")
		return app.Save(events)
	}, func(app core.App) error {
		if err := deleteCollections(app, "stripe_events", "billing_history", "subscriptions"); err != nil {
			return err
		}
		return nil
	})
}
