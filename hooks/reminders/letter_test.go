package reminders_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kontor-app/kontor/hooks/reminders"
	"github.com/kontor-app/kontor/internal/testserver"
)

// letterFixture is a workspace that claims late payment from level 2, with
// reminders off (the letter does not depend on them), and a business
// client with invoices in 2025, whose reference rates are seeded.
type letterFixture struct {
	*fixture
	claimed, usd, early, notDue, stopped, paid string
}

func newLetterFixture(t *testing.T) *letterFixture {
	t.Helper()
	f := &letterFixture{fixture: newFixture(t)}
	s, u := f.s, f.owner
	s.Must(t, u.Token, http.MethodPatch, "/api/collections/workspaces/records/"+f.ws,
		map[string]any{"late_payment_from_level": 2, "reminders_enabled": false})
	s.Must(t, u.Token, http.MethodPatch, "/api/collections/clients/records/"+f.client, map[string]any{"language": "en"})

	issue := func(issueDate, due string, fields map[string]any, lines ...map[string]any) string {
		body := map[string]any{"workspace": f.ws, "client": f.client, "lines": lines, "issue_date": issueDate, "due_date": due}
		for k, v := range fields {
			body[k] = v
		}
		id := s.Create(t, u, "invoices", body).String("id")
		if r := s.Issue(t, u, id); r.Status != http.StatusOK {
			t.Fatalf("issue: %d %s", r.Status, r.Raw)
		}
		return id
	}
	f.claimed = issue("2025-05-01", "2025-06-20", nil, testserver.Line("Design", "10", "100")) // 1190.00 EUR
	f.usd = issue("2025-10-31", "2025-11-30", map[string]any{"currency": "USD", "exchange_rate": "0.92"},
		testserver.Line("Hosting", "1", "500")) // 595.00 USD
	f.early = issue("2025-11-20", "2025-12-20", nil, testserver.Line("Support", "1", "100")) // 119.00 EUR, level 1
	f.stopped = issue("2025-11-20", "2025-12-01", nil, testserver.Line("Disputed", "1", "100"))
	s.Must(t, u.Token, http.MethodPatch, "/api/collections/invoices/records/"+f.stopped, map[string]any{"reminders_stopped": true})
	f.paid = issue("2025-11-20", "2025-12-01", nil, testserver.Line("Paid", "1", "100"))
	s.Create(t, u, "payments", map[string]any{"invoice": f.paid, "amount": "119.00", "date": "2025-12-05"})
	f.notDue = issue("2025-12-16", "2026-01-15", nil, testserver.Line("Later", "1", "100"))

	for id, level := range map[string]int{f.claimed: 3, f.usd: 2, f.early: 1} {
		inv := record(t, s.App, "invoices", id)
		inv.Set("reminder_level", level)
		if err := s.App.Save(inv); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// The letter lists the client's overdue open invoices and claims interest
// (reference rate + 8 points per half-year) and EUR 40 on those that
// reached the workspace's level, with the compensation in euros whatever
// the invoice's currency.
func TestLetterFigures(t *testing.T) {
	f := newLetterFixture(t)
	letter, err := reminders.Letter(f.s.App, f.client, at("2025-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	var items []string
	for _, it := range letter.Items {
		items = append(items, strings.Join([]string{it.DueDate, it.Currency, it.AmountDue, strconv.Itoa(it.DaysLate), it.Interest}, " "))
	}
	// 1190 × (10 × 11.15 + 184 × 10.15) / 36500 = 64.524…; 595 × 31 × 10.15 / 36500 = 5.129…
	want := []string{"2025-06-20 EUR 1190.00 194 64.52", "2025-11-30 USD 595.00 31 5.13", "2025-12-20 EUR 119.00 11 "}
	if strings.Join(items, " | ") != strings.Join(want, " | ") {
		t.Errorf("items\n %v\nwant\n %v", items, want)
	}
	var totals []string
	for _, tt := range letter.Totals {
		totals = append(totals, strings.Join([]string{tt.Currency, tt.AmountDue, tt.Interest, tt.Compensation, tt.Total}, " "))
	}
	if got := strings.Join(totals, " | "); got != "EUR 1309.00 64.52 80.00 1453.52 | USD 595.00 5.13  600.13" {
		t.Errorf("totals %s", got)
	}
	if letter.CompensationCount != 2 || letter.CompensationEach != "40.00" || letter.CompensationTotal != "80.00" {
		t.Errorf("compensation %d × %s = %s", letter.CompensationCount, letter.CompensationEach, letter.CompensationTotal)
	}
	if len(letter.Rates) != 2 || letter.Rates[0].Period != "2025-H1" || letter.Rates[0].Total != "11.15" ||
		letter.Rates[1].Period != "2025-H2" || letter.Rates[1].Rate != "2.15" || letter.Rates[1].Total != "10.15" || len(letter.MissingRates) != 0 {
		t.Errorf("rates %+v, missing %v", letter.Rates, letter.MissingRates)
	}
	if letter.Date != "2025-12-31" || letter.Language != "en" || letter.Seller.Name != "Nordlicht GmbH" || letter.Buyer.VATID != "ESB12345678" {
		t.Errorf("letter %+v", letter)
	}
}

// A half-year with no reference rate on record gives no interest, and the
// letter says which; the compensation is still claimed.
func TestLetterWithoutARate(t *testing.T) {
	f := newLetterFixture(t)
	letter, err := reminders.Letter(f.s.App, f.client, at("2026-02-10"))
	if err != nil {
		t.Fatal(err)
	}
	if len(letter.MissingRates) != 1 || letter.MissingRates[0] != "2026-H1" {
		t.Errorf("missing %v", letter.MissingRates)
	}
	for _, it := range letter.Items {
		if it.Interest != "" {
			t.Errorf("interest stated with a rate missing: %+v", it)
		}
	}
	if letter.Totals[0].Interest != "" || letter.CompensationCount != 2 {
		t.Errorf("totals %+v, compensation %d", letter.Totals, letter.CompensationCount)
	}
	if len(letter.Items) != 4 {
		t.Errorf("%d items on 10 February 2026, want 4 (the one due in January too)", len(letter.Items))
	}
}

// A consumer is owed no statutory late-payment claim: the letter lists
// what is overdue and claims nothing.
func TestLetterToAConsumer(t *testing.T) {
	f := newLetterFixture(t)
	f.s.Must(t, f.owner.Token, http.MethodPatch, "/api/collections/clients/records/"+f.client, map[string]any{"vat_id": ""})
	letter, err := reminders.Letter(f.s.App, f.client, at("2025-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	if len(letter.Items) != 3 || letter.CompensationCount != 0 || letter.Totals[0].Interest != "" || letter.Totals[0].Total != "1309.00" {
		t.Errorf("letter %+v", letter)
	}
}

// GET /api/kontor/clients/{id}/dunning-letter: the letter as a PDF, to
// writers of the client's workspace, as of today or an earlier day.
func TestLetterRoute(t *testing.T) {
	f := newLetterFixture(t)
	s := f.s
	path := "/api/kontor/clients/" + f.client + "/dunning-letter"
	r := s.Do(t, f.owner.Token, http.MethodGet, path+"?date=2025-12-31&download=1", nil)
	if r.Status != 200 || !strings.HasPrefix(string(r.Raw), "%PDF-") || r.Header.Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(r.Header.Get("Content-Disposition"), `attachment; filename="Payment_reminder-Acme_SL-2025-12-31.pdf"`) {
		t.Errorf("letter: %d %v %.40q", r.Status, r.Header, r.Raw)
	}
	tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format("2006-01-02")
	for _, bad := range []string{"31.12.2025", tomorrow} {
		if r := s.Do(t, f.owner.Token, http.MethodGet, path+"?date="+bad, nil); r.Status != 400 {
			t.Errorf("date %s: %d %s", bad, r.Status, r.Raw)
		}
	}
	if r := s.Do(t, f.owner.Token, http.MethodGet, "/api/kontor/clients/nosuchclient123/dunning-letter", nil); r.Status != 404 {
		t.Errorf("missing client: %d", r.Status)
	}
}
