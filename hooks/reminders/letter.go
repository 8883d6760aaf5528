package reminders

import (
	"sort"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"github.com/kontor-app/kontor/hooks/render"
	"github.com/kontor-app/kontor/money"
)

// Letter builds the dunning letter of a client as of the day on: the
// client's open invoices past their due date (except those whose reminders
// are stopped), and, when the client is a business, the late-payment
// interest and the fixed compensation on each invoice whose reminders
// reached the workspace's late_payment_from_level. Interest is counted by
// LateInterest to the day on, in each invoice's currency; the compensation
// is in euros whatever the invoice's currency.
func Letter(app core.App, clientID string, on time.Time) (render.DunningLetter, error) {
	on = day(on)
	client, err := app.FindRecordById("clients", clientID)
	if err != nil {
		return render.DunningLetter{}, err
	}
	workspace, err := app.FindRecordById("workspaces", client.GetString("workspace"))
	if err != nil {
		return render.DunningLetter{}, err
	}
	invoices, err := app.FindRecordsByFilter("invoices",
		`client = {:c} && workspace = {:w} && document_type = "invoice" && (status = {:s0} || status = {:s1} || status = {:s2})
			&& reminders_stopped = false && due_date != "" && due_date < {:on}`,
		"due_date,number", 0, 0,
		dbx.Params{"c": client.Id, "w": workspace.Id, "s0": openStatuses[0], "s1": openStatuses[1], "s2": openStatuses[2],
			"on": on.Format(dateLayout)})
	if err != nil {
		return render.DunningLetter{}, err
	}
	rates, err := loadRates(app)
	if err != nil {
		return render.DunningLetter{}, err
	}

	letter := render.DunningLetter{
		Language: client.GetString("language"),
		Date:     on.Format(dateLayout),
		Seller:   render.PartyOf(workspace),
		Buyer:    render.PartyOf(client),
		Logo:     render.LogoOf(app, workspace),
		Created:  on,
	}
	if letter.Language == "" {
		letter.Language = workspace.GetString("language")
	}
	from := workspace.GetInt("late_payment_from_level")
	business := isBusiness(client)

	sums := map[string]*currencySum{}
	used, missing := map[string]bool{}, map[string]bool{}
	compensations := 0
	for _, inv := range invoices {
		amount := amountDue(inv)
		due, ok := parseDate(inv.GetString("due_date"))
		if !amount.IsPositive() || !ok {
			continue
		}
		cur := inv.GetString("currency")
		item := render.DunningItem{Number: inv.GetString("number"), IssueDate: inv.GetString("issue_date"),
			DueDate: inv.GetString("due_date"), Currency: cur, AmountDue: money.Amount(amount), DaysLate: daysBetween(due, on)}
		sum := sums[cur]
		if sum == nil {
			sum = &currencySum{}
			sums[cur] = sum
		}
		sum.due = sum.due.Add(amount)
		if business && from > 0 && inv.GetInt("reminder_level") >= from {
			compensations++
			in := LateInterest(amount, due, on, rates)
			for _, h := range in.Missing {
				missing[h] = true
			}
			if len(in.Missing) == 0 {
				item.Interest = money.Amount(in.Amount)
				sum.interest = sum.interest.Add(in.Amount)
				sum.claimed = true
				for _, h := range in.Periods {
					used[h] = true
				}
			}
		}
		letter.Items = append(letter.Items, item)
	}

	if compensations > 0 {
		total := Compensation.Mul(decimal.NewFromInt(int64(compensations)))
		letter.CompensationCount = compensations
		letter.CompensationEach = money.Amount(Compensation)
		letter.CompensationTotal = money.Amount(total)
		eur := sums["EUR"]
		if eur == nil {
			eur = &currencySum{}
			sums["EUR"] = eur
		}
		eur.compensation = total
	}
	letter.Totals = totalsOf(sums)
	for _, h := range sortedKeys(used) {
		letter.Rates = append(letter.Rates, render.DunningRate{Period: h, Rate: money.Plain(rates[h], 2),
			Total: money.Plain(rates[h].Add(Margin), 2)})
	}
	letter.MissingRates = sortedKeys(missing)
	return letter, nil
}

// LetterPDF renders the dunning letter of a client as of the day on, and
// returns it with its file name.
func LetterPDF(app core.App, clientID string, on time.Time) ([]byte, string, error) {
	letter, err := Letter(app, clientID, on)
	if err != nil {
		return nil, "", err
	}
	data, err := render.Dunning(letter)
	if err != nil {
		return nil, "", err
	}
	return data, render.DunningFileName(letter), nil
}

// currencySum adds up a letter's invoices of one currency.
type currencySum struct {
	due, interest, compensation decimal.Decimal
	claimed                     bool // interest is claimed on an invoice of it
}

// totalsOf writes the sums, euros first and then by currency code.
func totalsOf(sums map[string]*currencySum) []render.DunningTotal {
	currencies := sortedKeys(sums)
	sort.SliceStable(currencies, func(i, j int) bool { return currencies[i] == "EUR" && currencies[j] != "EUR" })
	var out []render.DunningTotal
	for _, cur := range currencies {
		s := sums[cur]
		t := render.DunningTotal{Currency: cur, AmountDue: money.Amount(s.due),
			Total: money.Amount(s.due.Add(s.interest).Add(s.compensation))}
		if s.claimed {
			t.Interest = money.Amount(s.interest)
		}
		if s.compensation.IsPositive() {
			t.Compensation = money.Amount(s.compensation)
		}
		out = append(out, t)
	}
	return out
}

// sortedKeys returns the keys of a map in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
