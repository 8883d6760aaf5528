package reminders

import (
	"time"

	"github.com/shopspring/decimal"
)

// Directive 2011/7/EU on combating late payment in commercial transactions:
// between businesses, interest runs from the day after the due date at the
// reference rate plus at least 8 percentage points (art. 2(6)), and the
// creditor is owed a fixed EUR 40 for recovery costs (art. 6(1)), for each
// invoice paid late (CJEU, C-585/20, 20 October 2022).
var (
	// Margin is the points added to the reference rate.
	Margin = decimal.NewFromInt(8)
	// Compensation is the fixed compensation per invoice, in euros.
	Compensation = decimal.NewFromInt(40)
)

// daysPerYear is the day count of the interest: actual days over 365.
var daysPerYear = decimal.NewFromInt(365)

// Interest is the statutory interest on one invoice.
type Interest struct {
	// Amount is the interest, rounded to cents; zero when a rate is missing.
	Amount decimal.Decimal
	// Days counts the days of delay: from the day after the due date to
	// the day interest is counted to, both included.
	Days int
	// Periods are the half-years the delay spans, in order ("2025-H2").
	Periods []string
	// Missing are the half-years of the delay with no reference rate on
	// record. Then no interest is stated at all: a part of the delay
	// cannot be counted, and a made-up rate is never used.
	Missing []string
}

// LateInterest returns the interest on amount for a payment due on due and
// still outstanding on on, with the reference rate of each half-year the
// delay spans (the rate in force on 1 January for January to June, on
// 1 July for July to December, art. 2(12)):
//
//	interest = amount × Σ_h days_h × (rate_h + 8) / 100 / 365
//
// over the half-years h, days_h being the days of delay in h. The sum is
// exact in decimal and rounded once, half away from zero, to cents
// (10.125 → 10.13). The amount is what is due on the day interest is
// counted to; a part paid late is not charged for the time it was
// outstanding, which can only state less than the law allows.
func LateInterest(amount decimal.Decimal, due, on time.Time, rates Rates) Interest {
	var in Interest
	sum := decimal.Zero // Σ days_h × (rate_h + 8)
	due, on = day(due), day(on)
	for d := due.AddDate(0, 0, 1); !d.After(on); {
		end := halfYearEnd(d)
		if end.After(on) {
			end = on
		}
		days := daysBetween(d, end) + 1
		h := halfYear(d)
		in.Days += days
		in.Periods = append(in.Periods, h)
		if rate, ok := rates[h]; ok {
			sum = sum.Add(decimal.NewFromInt(int64(days)).Mul(rate.Add(Margin)))
		} else {
			in.Missing = append(in.Missing, h)
		}
		d = end.AddDate(0, 0, 1)
	}
	in.Amount = decimal.Zero
	if len(in.Missing) == 0 && in.Days > 0 {
		in.Amount = amount.Mul(sum).DivRound(daysPerYear.Mul(decimal.NewFromInt(100)), 2)
	}
	return in
}
