package billing

import (
	"database/sql"
	"errors"
	"net/http"
	"strconv"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stripe/stripe-go/v76"

	"github.com/kontor-app/kontor/hooks/access"
	"github.com/kontor-app/kontor/hooks/fielderr"
)

// offMessage says why billing is off, wherever it matters.
const offMessage = "Billing is off: KONTOR_STRIPE_SECRET_KEY is not set"

// statusJSON is the answer of GET /api/kontor/billing/{workspace}.
type statusJSON struct {
	Enabled bool `json:"enabled"`
	// Message says what a person should know: why billing is off, or
	// which plans cannot be bought; "" when nothing.
	Message string `json:"message"`
	Plan    string `json:"plan"`
	// Status is the Stripe subscription's status, "" without one.
	Status string `json:"status"`
	// CurrentPeriodEnd is when the paid period ends, "" without one.
	CurrentPeriodEnd string `json:"current_period_end"`
	// Customer is true once the workspace has a Stripe customer, so the
	// customer portal can open.
	Customer   bool          `json:"customer"`
	Limits     Limits        `json:"limits"`
	Usage      usageJSON     `json:"usage"`
	Plans      []planJSON    `json:"plans"`
	History    []historyJSON `json:"history"`
	UpgradeURL string        `json:"upgrade_url"`
}

type usageJSON struct {
	InvoicesThisMonth int `json:"invoices_this_month"`
	Members           int `json:"members"`
}

type planJSON struct {
	ID     string `json:"id"`
	Limits Limits `json:"limits"`
	// Available is true when the plan can be bought through checkout.
	Available bool `json:"available"`
}

// statusRoute is GET /api/kontor/billing/{workspace}: the workspace's plan,
// limits, usage and the plans on offer, for any member; the billing history
// only for owners and admins.
func (b *Billing) statusRoute(e *core.RequestEvent) error {
	ws := e.Request.PathValue("workspace")
	if err := access.Require(e, ws, access.Viewer); err != nil {
		return err
	}
	plan, err := b.PlanOf(e.App, ws)
	if err != nil {
		return e.InternalServerError("", err)
	}
	out := statusJSON{Enabled: b.cfg.Enabled(), Plan: plan.ID, Limits: plan.Limits, Plans: []planJSON{}, History: []historyJSON{},
		UpgradeURL: b.UpgradeURL()}
	if out.Usage.InvoicesThisMonth, err = invoicesIssued(e.App, ws, b.now()); err != nil {
		return e.InternalServerError("", err)
	}
	if out.Usage.Members, err = members(e.App, ws); err != nil {
		return e.InternalServerError("", err)
	}
	var unbuyable []string
	for _, p := range b.cfg.Plans {
		available := b.cfg.Enabled() && p.PriceID != ""
		out.Plans = append(out.Plans, planJSON{ID: p.ID, Limits: p.Limits, Available: available})
		if b.cfg.Enabled() && p.ID != Free && p.PriceID == "" {
			unbuyable = append(unbuyable, p.ID)
		}
	}
	if !b.cfg.Enabled() {
		out.Message = offMessage + " on this server, so there are no subscriptions and every workspace is on the " + b.cfg.DefaultPlan + " plan."
		return e.JSON(http.StatusOK, out)
	}
	if len(unbuyable) > 0 {
		out.Message = "Not on sale on this server (no Stripe price configured): " + join(unbuyable) + "."
	}

	if sub, err := findSubscription(e.App, ws); err != nil {
		return e.InternalServerError("", err)
	} else if sub != nil {
		out.Status = sub.GetString("status")
		out.Customer = sub.GetString("stripe_customer_id") != ""
		if t := sub.GetDateTime("current_period_end"); !t.IsZero() {
			out.CurrentPeriodEnd = t.String()
		}
	}
	if role, err := access.RoleOf(e.App, ws, e.Auth.Id); err == nil && role.AtLeast(access.Admin) {
		if out.History, err = history(e.App, ws, 100); err != nil {
			return e.InternalServerError("", err)
		}
	}
	return e.JSON(http.StatusOK, out)
}

// checkoutRoute is POST /api/kontor/billing/{workspace}/checkout with
// {"plan": "pro"}: a Stripe Checkout Session that subscribes the workspace
// to the plan, for owners and admins. It answers {"url"} to send the
// browser to.
func (b *Billing) checkoutRoute(e *core.RequestEvent) error {
	ws := e.Request.PathValue("workspace")
	if err := access.Require(e, ws, access.Admin); err != nil {
		return err
	}
	if !b.cfg.Enabled() {
		return e.Error(http.StatusServiceUnavailable, offMessage+"; plans cannot be bought on this server.", nil)
	}
	var body struct {
		Plan string `json:"plan"`
	}
	if err := e.BindBody(&body); err != nil {
		return fielderr.New("plan", "Send the plan to subscribe to as JSON, e.g. {\"plan\": \"pro\"}.")
	}
	plan, ok := b.cfg.Plan(body.Plan)
	switch {
	case body.Plan == "":
		return fielderr.New("plan", "Choose the plan to subscribe to: pro or team.")
	case !ok:
		return fielderr.New("plan", "There is no plan "+strconv.Quote(body.Plan)+"; the plans are free, pro and team.")
	case plan.PriceID == "":
		if plan.ID == Free {
			return fielderr.New("plan", "The free plan is not bought; cancel the subscription in the customer portal to return to it.")
		}
		return fielderr.New("plan", "The "+plan.ID+" plan is not on sale on this server: KONTOR_STRIPE_PRICE_"+upper(plan.ID)+" is not set.")
	}

	sub, err := findSubscription(e.App, ws)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if sub != nil && sub.GetString("stripe_subscription_id") != "" && !isTerminal(sub.GetString("status")) && sub.GetString("status") != "incomplete" {
		return e.Error(http.StatusConflict, "This workspace already has a subscription (the "+sub.GetString("plan")+" plan, "+
			sub.GetString("status")+"); change or cancel it in the customer portal.", nil)
	}
	customer, err := b.customerOf(e, ws, sub)
	if err != nil {
		return err
	}

	params := &stripe.CheckoutSessionParams{
		Mode:              stripe.String(string(stripe.CheckoutSessionModeSubscription)),
		Customer:          stripe.String(customer),
		ClientReferenceID: stripe.String(ws),
		LineItems:         []*stripe.CheckoutSessionLineItemParams{{Price: stripe.String(plan.PriceID), Quantity: stripe.Int64(1)}},
		SuccessURL:        stripe.String(b.UpgradeURL() + "?checkout=success"),
		CancelURL:         stripe.String(b.UpgradeURL() + "?checkout=cancelled"),
		SubscriptionData: &stripe.CheckoutSessionSubscriptionDataParams{
			Metadata: map[string]string{"workspace": ws, "plan": plan.ID},
		},
	}
	params.Context = e.Request.Context()
	params.AddMetadata("workspace", ws)
	params.AddMetadata("plan", plan.ID)
	session, err := b.stripe.CheckoutSessions.New(params)
	if err != nil {
		return stripeError(e, "open Stripe Checkout", err)
	}
	return e.JSON(http.StatusOK, map[string]string{"url": session.URL})
}

// portalRoute is POST /api/kontor/billing/{workspace}/portal: a Stripe
// Customer Portal session where owners and admins change the plan, the
// payment method or cancel; {"url"}.
func (b *Billing) portalRoute(e *core.RequestEvent) error {
	ws := e.Request.PathValue("workspace")
	if err := access.Require(e, ws, access.Admin); err != nil {
		return err
	}
	if !b.cfg.Enabled() {
		return e.Error(http.StatusServiceUnavailable, offMessage+"; there is no customer portal on this server.", nil)
	}
	sub, err := findSubscription(e.App, ws)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if sub == nil || sub.GetString("stripe_customer_id") == "" {
		return e.BadRequestError("This workspace has no Stripe customer yet; choose a plan first.", nil)
	}
	params := &stripe.BillingPortalSessionParams{
		Customer:  stripe.String(sub.GetString("stripe_customer_id")),
		ReturnURL: stripe.String(b.UpgradeURL()),
	}
	params.Context = e.Request.Context()
	session, err := b.stripe.BillingPortalSessions.New(params)
	if err != nil {
		return stripeError(e, "open the customer portal", err)
	}
	return e.JSON(http.StatusOK, map[string]string{"url": session.URL})
}

// customerOf returns the workspace's Stripe customer, creating it (and the
// workspace's subscriptions record) on its first checkout. Stripe's
// idempotency key makes two checkouts at once create one customer.
func (b *Billing) customerOf(e *core.RequestEvent, ws string, sub *core.Record) (string, error) {
	if sub != nil && sub.GetString("stripe_customer_id") != "" {
		return sub.GetString("stripe_customer_id"), nil
	}
	var w struct {
		Name  string `db:"name"`
		Email string `db:"email"`
	}
	if err := e.App.DB().NewQuery("SELECT name, email FROM workspaces WHERE id = {:id}").Bind(dbx.Params{"id": ws}).One(&w); err != nil {
		return "", e.InternalServerError("", err)
	}
	params := &stripe.CustomerParams{Name: stripe.String(w.Name)}
	if w.Email == "" {
		w.Email = e.Auth.Email()
	}
	if w.Email != "" {
		params.Email = stripe.String(w.Email)
	}
	params.Context = e.Request.Context()
	params.AddMetadata("workspace", ws)
	params.SetIdempotencyKey("kontor-customer-" + ws)
	c, err := b.stripe.Customers.New(params)
	if err != nil {
		return "", stripeError(e, "create the Stripe customer", err)
	}

	err = e.App.RunInTransaction(func(tx core.App) error {
		rec, err := findSubscription(tx, ws)
		if err != nil {
			return err
		}
		if rec == nil {
			if rec, err = newSubscriptionRecord(tx, ws, b.cfg.defaultPlan().ID); err != nil {
				return err
			}
		}
		if rec.GetString("stripe_customer_id") != "" {
			return nil
		}
		rec.Set("stripe_customer_id", c.ID)
		return tx.Save(rec)
	})
	if err != nil {
		return "", e.InternalServerError("", err)
	}
	sub, err = findSubscription(e.App, ws)
	if err != nil || sub == nil {
		return "", e.InternalServerError("", err)
	}
	return sub.GetString("stripe_customer_id"), nil
}

// stripeError is the answer when Stripe refused or could not be reached.
func stripeError(e *core.RequestEvent, doing string, err error) error {
	var se *stripe.Error
	if errors.As(err, &se) && se.Msg != "" {
		return e.Error(http.StatusBadGateway, "Stripe refused to "+doing+": "+se.Msg, nil)
	}
	e.App.Logger().Error("billing: Stripe call failed", "doing", doing, "error", err)
	return e.Error(http.StatusBadGateway, "Kontor could not reach Stripe to "+doing+"; try again in a moment.", nil)
}

// findSubscription returns the workspace's subscriptions record, nil when
// it has none.
func findSubscription(app core.App, ws string) (*core.Record, error) {
	r, err := app.FindFirstRecordByData(Subscriptions, "workspace", ws)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return r, err
}

// newSubscriptionRecord returns a new, unsaved subscriptions record of the
// workspace on the plan.
func newSubscriptionRecord(app core.App, ws, plan string) (*core.Record, error) {
	c, err := app.FindCachedCollectionByNameOrId(Subscriptions)
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(c)
	r.Set("workspace", ws)
	r.Set("plan", plan)
	return r, nil
}

func itoa(n int) string { return strconv.Itoa(n) }

// join lists words: "a", "a and b", "a, b and c".
func join(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	out := ""
	for i, w := range words[:len(words)-1] {
		if i > 0 {
			out += ", "
		}
		out += w
	}
	return out + " and " + words[len(words)-1]
}
