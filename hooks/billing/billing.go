// Package billing sells Kontor's own plans (free, pro, team) through Stripe
// subscriptions and holds every workspace to its plan's limits.
//
// A workspace's plan is the one of its Stripe subscription while the
// subscription is active, trialing or past due, else the default plan.
// Limits are checked where the thing counted is written, in the same
// transaction: issuing an invoice (invoices per calendar month), adding a
// member (members per workspace) and, through AllowsFormat, producing an
// e-invoice. A refusal is a 402 that names the limit and the plan and
// carries the link to upgrade.
//
// Stripe is reached with the real stripe-go client built per Billing, never
// through the package-wide key. Checkout and the Customer Portal are routes
// under /api/kontor/billing/{workspace}; what Stripe reports comes through
// the signed webhook POST /api/kontor/webhooks/stripe, where every event is
// recorded by id in stripe_events in the same transaction as its effects,
// so it takes effect exactly once however often Stripe delivers it. For a
// subscription the webhook stores the subscription as Stripe holds it now,
// not as the event describes it, so events arriving out of order cannot
// leave an older state behind.
//
// Without KONTOR_STRIPE_SECRET_KEY billing is off: the server runs, says so
// in its log and on the billing routes, and every workspace is on the
// default plan (team unless KONTOR_BILLING_DEFAULT_PLAN says otherwise).
package billing

import (
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stripe/stripe-go/v76/client"

	"github.com/kontor-app/kontor/hooks/outbox"
)

// The collections of the package.
const (
	// Subscriptions holds one record per workspace that has been to
	// checkout: Stripe customer and subscription ids, plan, status and
	// current period end. Nothing else of Stripe's, and no card data.
	Subscriptions = "subscriptions"
	// History holds what Stripe charged, failed to charge and refunded.
	History = "billing_history"
	// Events holds the id of every Stripe event processed.
	Events = "stripe_events"
)

// ConversionKind is the outbox kind of a conversion event (a registration,
// a first payment, a change of plan, a refund), for the capability that
// reports conversions; until it handles the kind, the messages wait.
const ConversionKind = "conversion"

// Billing holds what the routes, the hooks and the webhook share.
type Billing struct {
	cfg    Config
	stripe *client.API // nil when billing is off
	now    func() time.Time

	// webhooks is held while one event is processed, from the check that
	// it is new to the commit of its effects, so that two deliveries of
	// events about the same subscription cannot interleave their reads
	// of Stripe and their writes.
	webhooks sync.Mutex
}

// Register binds the billing routes, the webhook, the limit checks and the
// registration conversion, and returns the Billing whose AllowsFormat the
// e-invoice route asks. The outbox worker is not used: billing only
// enqueues conversion events, which another capability handles.
func Register(app core.App, _ *outbox.Worker, cfg Config) *Billing {
	b := New(cfg)
	cfg = b.cfg

	app.OnRecordUpdate("invoices").BindFunc(b.limitIssuing)
	app.OnRecordCreate("memberships").BindFunc(b.limitMembers)
	app.OnRecordCreate("users").BindFunc(b.registration)

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/kontor/billing/{workspace}")
		g.GET("", b.statusRoute)
		g.POST("/checkout", b.checkoutRoute)
		g.POST("/portal", b.portalRoute)
		se.Router.POST("/api/kontor/webhooks/stripe", b.webhookRoute)

		log := se.App.Logger()
		switch {
		case !cfg.Enabled():
			log.Info("Billing is OFF: KONTOR_STRIPE_SECRET_KEY is not set; every workspace is on the " + b.cfg.DefaultPlan + " plan")
		case cfg.WebhookSecret == "":
			log.Warn("Billing is on, but KONTOR_STRIPE_WEBHOOK_SECRET is not set: Stripe's webhooks are refused, so subscriptions never take effect")
		default:
			log.Info("Billing: on (Stripe), default plan " + b.cfg.DefaultPlan)
		}
		if cfg.Enabled() {
			for _, p := range b.cfg.Plans {
				if p.ID != Free && p.PriceID == "" {
					log.Warn("Billing: the " + p.ID + " plan cannot be bought: KONTOR_STRIPE_PRICE_" + upper(p.ID) + " is not set")
				}
			}
		}
		return se.Next()
	})
	return b
}

// New returns the Billing of the configuration without binding anything
// to an app: Register binds it.
func New(cfg Config) *Billing {
	if len(cfg.Plans) == 0 {
		cfg.Plans = DefaultPlans()
	}
	if _, ok := cfg.Plan(cfg.DefaultPlan); !ok {
		cfg.DefaultPlan = cfg.defaultPlan().ID
	}
	b := &Billing{cfg: cfg, now: time.Now}
	if cfg.Enabled() {
		b.stripe = newStripe(cfg)
	}
	return b
}

// Config returns the configuration billing runs with.
func (b *Billing) Config() Config { return b.cfg }
