package crm

import (
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"github.com/kontor-app/kontor/hooks/access"
	"github.com/kontor-app/kontor/hooks/fielderr"
	"github.com/kontor-app/kontor/money"
)

// openInvoice is the SQL condition of an invoice still to be paid.
const openInvoice = `document_type = 'invoice' AND status IN ('issued', 'sent', 'partially_paid')`

// monthRevenue is the net revenue of one month, in the workspace currency.
type monthRevenue struct {
	Month string `json:"month"`
	Net   string `json:"net"`
}

// stageValue is the pipeline in one stage.
type stageValue struct {
	Stage       string `json:"stage"`
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	Probability int    `json:"probability"`
	Count       int    `json:"count"`
	Value       string `json:"value"`
	Weighted    string `json:"weighted"`
	// OtherCurrency counts the stage's deals in another currency than the
	// workspace's, left out of value and weighted.
	OtherCurrency int `json:"other_currency"`
}

// insights are the dashboard's figures of a workspace.
type insights struct {
	Currency       string         `json:"currency"`
	RevenueByMonth []monthRevenue `json:"revenue_by_month"`
	// Unconverted counts the documents of the last 12 months in another
	// currency with no exchange rate, left out of every amount.
	Unconverted     int          `json:"unconverted"`
	DSODays         *string      `json:"dso_days"`
	Receivables     string       `json:"receivables"`
	Overdue         overdue      `json:"overdue"`
	PipelineByStage []stageValue `json:"pipeline_by_stage"`
	WinRate         winRate      `json:"win_rate"`
}

type overdue struct {
	Amount string `json:"amount"`
	Count  int    `json:"count"`
}

type winRate struct {
	Won  int `json:"won"`
	Lost int `json:"lost"`
	// Rate is won ÷ (won + lost) as a decimal fraction with 4 places, ""
	// with no closed deal.
	Rate string `json:"rate"`
}

// insightsRoute is GET /api/kontor/insights?workspace=ID: revenue by month,
// days sales outstanding, the overdue amount, the pipeline by stage and the
// win rate, each computed by an SQL aggregate and added up as decimals.
func (c *crm) insightsRoute(e *core.RequestEvent) error {
	if e.Auth == nil || e.Auth.Collection().Name != "users" {
		return e.UnauthorizedError("Sign in to do this.", nil)
	}
	ws := e.Request.URL.Query().Get("workspace")
	if ws == "" {
		return fielderr.New("workspace", "Choose the workspace.")
	}
	if err := access.Require(e, ws, access.Viewer); err != nil {
		return err
	}
	workspace, err := e.App.FindRecordById("workspaces", ws)
	if err != nil {
		return e.NotFoundError("", nil)
	}
	out, err := computeInsights(e.App, workspace, c.now())
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, out)
}

// amountGroup is an SQL aggregate of amounts in cents, for one group of
// documents in one currency at one exchange rate.
type amountGroup struct {
	Key      string `db:"key"`
	Kind     string `db:"kind"`
	Currency string `db:"currency"`
	Rate     string `db:"rate"`
	Cents    int64  `db:"cents"`
	Count    int    `db:"n"`
}

// inCurrency converts a group's amount to the workspace currency: as it is
// in that currency, else at the group's exchange rate (units of the
// workspace currency per unit); ok is false with no rate.
func (g amountGroup) inCurrency(currency string) (decimal.Decimal, bool) {
	amount := decimal.New(g.Cents, -2)
	if g.Currency == currency || g.Currency == "" {
		return amount, true
	}
	rate, err := money.Parse(g.Rate)
	if err != nil || !rate.IsPositive() {
		return decimal.Zero, false
	}
	return money.Round2(amount.Mul(rate)), true
}

// cents is the SQL of a totals amount in integer cents: the amounts are
// decimal strings with 2 places, so rounding the product is exact.
func cents(path string) string {
	return `CAST(round(CAST(coalesce(json_extract(totals, '$.` + path + `'), '0') AS REAL) * 100) AS INTEGER)`
}

// computeInsights computes the insights of the workspace at now.
//
// Revenue of a month is the net of the invoices issued in it minus that of
// the credit notes issued in it. DSO (days sales outstanding) is what is
// still due on open invoices ÷ the gross invoiced (minus credit notes) in
// the last 90 days × 90, null when nothing was invoiced in that time.
// Overdue is what is still due on open invoices whose due date has passed.
func computeInsights(app core.App, workspace *core.Record, now time.Time) (*insights, error) {
	ws, currency := workspace.Id, workspace.GetString("currency")
	out := &insights{Currency: currency, RevenueByMonth: []monthRevenue{}, PipelineByStage: []stageValue{}}
	today := now.UTC()
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -11, 0)
	months := map[string]decimal.Decimal{}
	for i := 0; i < 12; i++ {
		months[first.AddDate(0, i, 0).Format("2006-01")] = decimal.Zero
	}

	var groups []amountGroup
	err := app.DB().NewQuery(`SELECT substr(issue_date, 1, 7) AS key, document_type AS kind, currency, exchange_rate AS rate,
			SUM(` + cents("net") + `) AS cents, COUNT(*) AS n
		FROM invoices
		WHERE workspace = {:w} AND number != '' AND status != 'draft' AND issue_date >= {:from}
		GROUP BY key, kind, currency, rate`).
		Bind(dbx.Params{"w": ws, "from": first.Format(dateLayout)}).All(&groups)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		amount, ok := g.inCurrency(currency)
		if !ok {
			out.Unconverted += g.Count
			continue
		}
		if g.Kind == "credit_note" {
			amount = amount.Abs().Neg()
		}
		if _, in := months[g.Key]; in {
			months[g.Key] = months[g.Key].Add(amount)
		}
	}
	for i := 0; i < 12; i++ {
		m := first.AddDate(0, i, 0).Format("2006-01")
		out.RevenueByMonth = append(out.RevenueByMonth, monthRevenue{Month: m, Net: money.Amount(months[m])})
	}

	// receivables, overdue and the gross of the last 90 days
	receivables, overdueAmount, invoiced := decimal.Zero, decimal.Zero, decimal.Zero
	groups = nil
	err = app.DB().NewQuery(`SELECT CASE WHEN due_date != '' AND due_date < {:today} THEN 'overdue' ELSE 'due' END AS key,
			'' AS kind, currency, exchange_rate AS rate, SUM(` + cents("due") + `) AS cents, COUNT(*) AS n
		FROM invoices WHERE workspace = {:w} AND ` + openInvoice + `
		GROUP BY key, currency, rate`).
		Bind(dbx.Params{"w": ws, "today": today.Format(dateLayout)}).All(&groups)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		amount, ok := g.inCurrency(currency)
		if !ok {
			continue
		}
		receivables = receivables.Add(amount)
		if g.Key == "overdue" {
			overdueAmount = overdueAmount.Add(amount)
			out.Overdue.Count += g.Count
		}
	}
	groups = nil
	err = app.DB().NewQuery(`SELECT '' AS key, document_type AS kind, currency, exchange_rate AS rate,
			SUM(` + cents("gross") + `) AS cents, COUNT(*) AS n
		FROM invoices
		WHERE workspace = {:w} AND number != '' AND status != 'draft' AND issue_date > {:from}
		GROUP BY kind, currency, rate`).
		Bind(dbx.Params{"w": ws, "from": today.AddDate(0, 0, -90).Format(dateLayout)}).All(&groups)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		amount, ok := g.inCurrency(currency)
		if !ok {
			continue
		}
		if g.Kind == "credit_note" {
			amount = amount.Abs().Neg()
		}
		invoiced = invoiced.Add(amount)
	}
	out.Receivables = money.Amount(receivables)
	out.Overdue.Amount = money.Amount(overdueAmount)
	if invoiced.IsPositive() {
		dso := receivables.Div(invoiced).Mul(decimal.NewFromInt(90)).Round(1).StringFixed(1)
		out.DSODays = &dso
	}

	// the pipeline, stage by stage
	var stages []struct {
		ID          string `db:"id"`
		Name        string `db:"name"`
		Kind        string `db:"kind"`
		Probability int    `db:"probability"`
		Count       int    `db:"n"`
		Cents       int64  `db:"cents"`
		Other       int    `db:"other"`
	}
	err = app.DB().NewQuery(`SELECT s.id, s.name, s.kind, s.probability, COUNT(d.id) AS n,
			coalesce(SUM(CASE WHEN d.currency = {:c} THEN CAST(round(CAST(d.value AS REAL) * 100) AS INTEGER) ELSE 0 END), 0) AS cents,
			coalesce(SUM(CASE WHEN d.id IS NOT NULL AND d.currency != {:c} THEN 1 ELSE 0 END), 0) AS other
		FROM pipeline_stages s LEFT JOIN deals d ON d.stage = s.id
		WHERE s.workspace = {:w}
		GROUP BY s.id ORDER BY s.position, s.created`).
		Bind(dbx.Params{"w": ws, "c": currency}).All(&stages)
	if err != nil {
		return nil, err
	}
	for _, s := range stages {
		value := decimal.New(s.Cents, -2)
		weighted := money.Round2(value.Mul(decimal.NewFromInt(int64(s.Probability))).Div(decimal.NewFromInt(100)))
		out.PipelineByStage = append(out.PipelineByStage, stageValue{Stage: s.ID, Name: s.Name, Kind: s.Kind, Probability: s.Probability,
			Count: s.Count, Value: money.Amount(value), Weighted: money.Amount(weighted), OtherCurrency: s.Other})
	}

	err = app.DB().NewQuery(`SELECT coalesce(SUM(status = 'won'), 0) AS won, coalesce(SUM(status = 'lost'), 0) AS lost
		FROM deals WHERE workspace = {:w}`).Bind(dbx.Params{"w": ws}).One(&out.WinRate)
	if err != nil {
		return nil, err
	}
	if closed := out.WinRate.Won + out.WinRate.Lost; closed > 0 {
		out.WinRate.Rate = decimal.NewFromInt(int64(out.WinRate.Won)).Div(decimal.NewFromInt(int64(closed))).Round(4).StringFixed(4)
	}
	return out, nil
}
