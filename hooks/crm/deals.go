package crm

import (
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/kontor-app/kontor/hooks/access"
	"github.com/kontor-app/kontor/hooks/fielderr"
	"github.com/kontor-app/kontor/isocodes"
	"github.com/kontor-app/kontor/money"
)

// dateLayout is how expected_close and due dates are written.
const dateLayout = "2006-01-02"

// saveDeal checks a deal on every save, from any route, and keeps its
// status, won_at and lost_at in step with its stage.
func (c *crm) saveDeal(e *core.RecordEvent) error {
	if access.WorkspaceGone(e.App, e.Record) {
		return e.Next() // deleted with its workspace: a contact or company going first unlinks it
	}
	stage, errs := prepareDeal(e.App, e.Record)
	if err := errs.Err(); err != nil {
		return err
	}
	r := e.Record
	kind := stage.GetString("kind")
	if r.IsNew() || r.Original().GetString("status") != kind {
		now, _ := types.ParseDateTime(c.now().UTC())
		r.Set("status", kind)
		r.Set("won_at", "")
		r.Set("lost_at", "")
		switch kind {
		case KindWon:
			r.Set("won_at", now)
		case KindLost:
			r.Set("lost_at", now)
		}
	}
	return e.Next()
}

// prepareDeal normalises a deal and returns its stage and what is wrong
// with it: a title, the value (a decimal ≥ 0 with at most 2 decimals), the
// currency, the expected close date, and that its stage, contact, company
// and owner belong to its workspace.
func prepareDeal(app core.App, r *core.Record) (*core.Record, fielderr.Errors) {
	errs := fielderr.Errors{}
	ws := r.GetString("workspace")
	workspace, err := app.FindRecordById("workspaces", ws)
	if err != nil {
		errs.Add("workspace", "Choose one of your workspaces.")
		return nil, errs
	}
	r.Set("title", strings.TrimSpace(r.GetString("title")))
	if r.GetString("title") == "" {
		errs.Add("title", "Give the deal a title.")
	}
	value := strings.TrimSpace(r.GetString("value"))
	if value == "" {
		value = "0"
	}
	if d, err := money.Parse(value); err != nil || d.IsNegative() || money.Places(d) > 2 {
		errs.Add("value", "The value is an amount of 0 or more with at most 2 decimals, like 1500.00.")
	} else {
		r.Set("value", money.Amount(d))
	}
	currency := strings.ToUpper(strings.TrimSpace(r.GetString("currency")))
	if currency == "" {
		currency = workspace.GetString("currency")
	}
	r.Set("currency", currency)
	if !isocodes.IsCurrency(currency) {
		errs.Add("currency", "Use a three-letter ISO 4217 currency code, like EUR, USD or GBP.")
	}
	if v := strings.TrimSpace(r.GetString("expected_close")); v != "" {
		r.Set("expected_close", v)
		if _, err := time.Parse(dateLayout, v); err != nil {
			errs.Add("expected_close", "Write the expected close date as YYYY-MM-DD.")
		}
	}
	var stage *core.Record
	if id := r.GetString("stage"); id == "" {
		errs.Add("stage", "Choose the deal's stage.")
	} else if stage = inWorkspace(app, "pipeline_stages", id, ws); stage == nil {
		errs.Add("stage", "This stage does not exist in the workspace.")
	}
	checkRef(app, r, "contact", "contacts", "This contact does not exist in the workspace.", errs)
	checkRef(app, r, "company", "companies", "This company does not exist in the workspace.", errs)
	checkOwner(app, r, errs)
	return stage, errs
}

// checkDealLink checks, on every save of a proposal or an invoice, that the
// deal it names belongs to its workspace.
func checkDealLink(e *core.RecordEvent) error {
	r := e.Record
	if id := r.GetString("deal"); id != "" && (r.IsNew() || id != r.Original().GetString("deal")) {
		if inWorkspace(e.App, "deals", id, r.GetString("workspace")) == nil {
			return fielderr.New("deal", "This deal does not exist in the workspace.")
		}
	}
	return e.Next()
}
