package billing

import (
	"database/sql"
	"errors"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// PlanOf returns the plan the workspace is on: with billing off the default
// plan; else the plan stored with its subscription while the subscription
// is live, the default plan otherwise (no subscription, or an ended one).
func (b *Billing) PlanOf(app core.App, workspaceID string) (Plan, error) {
	if !b.cfg.Enabled() {
		return b.cfg.defaultPlan(), nil
	}
	var row struct {
		Plan   string `db:"plan"`
		Status string `db:"status"`
	}
	err := app.DB().NewQuery("SELECT plan, status FROM " + Subscriptions + " WHERE workspace = {:w} LIMIT 1").
		Bind(dbx.Params{"w": workspaceID}).One(&row)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Plan{}, err
	}
	if p, ok := b.cfg.Plan(row.Plan); ok && (subscriptionState{Status: row.Status}).live() {
		return p, nil
	}
	return b.cfg.defaultPlan(), nil
}

// effectivePlan is the plan a subscription in this state gives: its price's
// plan while live, the default plan otherwise (and for a price no plan is
// billed with).
func (b *Billing) effectivePlan(s subscriptionState) Plan {
	if s.live() {
		if p, ok := b.cfg.planOfPrice(s.PriceID); ok {
			return p
		}
	}
	return b.cfg.defaultPlan()
}

// monthOf returns the start and end of the calendar month (UTC) of t, in
// PocketBase's date layout, which sorts as text.
func monthOf(t time.Time) (string, string) {
	t = t.UTC()
	start := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	return start.Format(types.DefaultDateLayout), start.AddDate(0, 1, 0).Format(types.DefaultDateLayout)
}

// invoicesIssued counts the invoices (not credit notes) the workspace issued
// in the calendar month (UTC) of now, by when they were issued.
func invoicesIssued(app core.App, workspaceID string, now time.Time) (int, error) {
	start, end := monthOf(now)
	var n int
	err := app.DB().NewQuery(`SELECT COUNT(*) FROM invoices WHERE workspace = {:w} AND document_type = 'invoice'
		AND status != 'draft' AND issued_at >= {:start} AND issued_at < {:end}`).
		Bind(dbx.Params{"w": workspaceID, "start": start, "end": end}).Row(&n)
	return n, err
}

// members counts the memberships of the workspace.
func members(app core.App, workspaceID string) (int, error) {
	var n int
	err := app.DB().NewQuery("SELECT COUNT(*) FROM memberships WHERE workspace = {:w}").
		Bind(dbx.Params{"w": workspaceID}).Row(&n)
	return n, err
}
