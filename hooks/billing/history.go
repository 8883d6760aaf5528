package billing

import (
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/shopspring/decimal"
)

// The kinds of billing history.
const (
	KindPayment       = "payment"        // invoice.paid
	KindPaymentFailed = "payment_failed" // invoice.payment_failed
	KindRefund        = "refund"         // charge.refunded
)

// entry is one row of billing history. Amount is in the currency's minor
// units, as Stripe gives it.
type entry struct {
	Kind        string
	Ref         string // unique: the Stripe invoice of a payment, the event of a failure or refund
	Invoice     string
	Charge      string
	Amount      int64
	Currency    string
	PeriodStart int64
	PeriodEnd   int64
	OccurredAt  int64
	Event       string
}

// addHistory writes the row unless its ref is already there, and reports
// whether it wrote it.
func addHistory(tx core.App, ws string, en entry) (bool, error) {
	var n int
	if err := tx.DB().NewQuery("SELECT COUNT(*) FROM " + History + " WHERE stripe_ref = {:r}").
		Bind(dbx.Params{"r": en.Ref}).Row(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	c, err := tx.FindCachedCollectionByNameOrId(History)
	if err != nil {
		return false, err
	}
	r := core.NewRecord(c)
	r.Set("workspace", ws)
	r.Set("kind", en.Kind)
	r.Set("stripe_ref", en.Ref)
	r.Set("stripe_invoice_id", en.Invoice)
	r.Set("stripe_charge_id", en.Charge)
	r.Set("amount", en.Amount)
	r.Set("currency", strings.ToUpper(en.Currency))
	setUnix(r, "period_start", en.PeriodStart)
	setUnix(r, "period_end", en.PeriodEnd)
	setUnix(r, "occurred_at", en.OccurredAt)
	r.Set("stripe_event_id", en.Event)
	return true, tx.Save(r)
}

func setUnix(r *core.Record, field string, sec int64) {
	if sec > 0 {
		r.Set(field, time.Unix(sec, 0).UTC())
	}
}

// historyJSON is a row of history as GET /api/kontor/billing/{workspace}
// gives it.
type historyJSON struct {
	Kind string `json:"kind"`
	// Amount is a decimal string in the currency's major unit ("19.00").
	Amount          string `json:"amount"`
	Currency        string `json:"currency"`
	StripeInvoiceID string `json:"stripe_invoice_id"`
	PeriodStart     string `json:"period_start"`
	PeriodEnd       string `json:"period_end"`
	OccurredAt      string `json:"occurred_at"`
}

// history returns the workspace's latest rows of billing history, newest
// first.
func history(app core.App, ws string, limit int) ([]historyJSON, error) {
	records, err := app.FindRecordsByFilter(History, "workspace = {:w}", "-occurred_at,-created", limit, 0, dbx.Params{"w": ws})
	if err != nil {
		return nil, err
	}
	out := make([]historyJSON, 0, len(records))
	for _, r := range records {
		out = append(out, historyJSON{
			Kind: r.GetString("kind"), Amount: majorUnits(int64(r.GetInt("amount")), r.GetString("currency")),
			Currency: r.GetString("currency"), StripeInvoiceID: r.GetString("stripe_invoice_id"),
			PeriodStart: dateString(r.GetDateTime("period_start")), PeriodEnd: dateString(r.GetDateTime("period_end")),
			OccurredAt: dateString(r.GetDateTime("occurred_at")),
		})
	}
	return out, nil
}

func dateString(d types.DateTime) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// zeroDecimal are the currencies Stripe counts in whole units
// (https://docs.stripe.com/currencies#zero-decimal).
var zeroDecimal = map[string]bool{
	"BIF": true, "CLP": true, "DJF": true, "GNF": true, "JPY": true, "KMF": true, "KRW": true, "MGA": true,
	"PYG": true, "RWF": true, "UGX": true, "VND": true, "VUV": true, "XAF": true, "XOF": true, "XPF": true,
}

// majorUnits turns an amount in minor units into a decimal string in the
// major unit: exact, no rounding (2 decimals, or none for zero-decimal
// currencies).
func majorUnits(minor int64, currency string) string {
	if zeroDecimal[strings.ToUpper(currency)] {
		return decimal.NewFromInt(minor).String()
	}
	return decimal.New(minor, -2).StringFixed(2)
}
