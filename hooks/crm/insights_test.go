package crm_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/kontor-app/kontor/internal/testserver"
)

// TestInsights computes the dashboard's figures from invoices, payments,
// a credit note, an invoice in another currency and deals, and leaves out
// drafts and another workspace's documents.
func TestInsights(t *testing.T) {
	w := newWorld(t)
	s, u := w.s, w.owner
	client := s.Client(t, u, w.ws, nil)
	issue := func(lines ...map[string]any) string {
		t.Helper()
		id := s.Draft(t, u, w.ws, client, lines...)
		if r := s.Issue(t, u, id); r.Status != 200 {
			t.Fatalf("issue: %s", r.Raw)
		}
		return id
	}
	a := issue(testserver.Line("A", "1", "1000")) // net 1000, gross 1190
	s.Create(t, u, "payments", map[string]any{"invoice": a, "amount": "190"})
	b := issue(testserver.Line("B", "1", "500")) // net 500, gross 595, overdue
	w.exec(t, "UPDATE invoices SET due_date = '2020-01-31' WHERE id = {:id}", map[string]any{"id": b})
	c := issue(testserver.Line("C", "1", "200")) // credited in full
	note := s.Must(t, u.Token, http.MethodPost, "/api/kontor/invoices/"+c+"/credit-note", nil).String("id")
	if r := s.Issue(t, u, note); r.Status != 200 {
		t.Fatalf("credit note: %s", r.Raw)
	}
	usd := s.Create(t, u, "invoices", map[string]any{"workspace": w.ws, "client": client, "currency": "USD", "exchange_rate": "0.9",
		"lines": []any{testserver.Line("D", "1", "100")}}).String("id") // net 90 EUR, gross 107.10 EUR
	if r := s.Issue(t, u, usd); r.Status != 200 {
		t.Fatalf("issue USD: %s", r.Raw)
	}
	s.Draft(t, u, w.ws, client, testserver.Line("draft", "1", "99999"))
	theirs := s.Draft(t, w.outsider, w.w2, s.Client(t, w.outsider, w.w2, nil), testserver.Line("W2", "1", "77777"))
	s.Issue(t, w.outsider, theirs)

	w.deal(t, "new", map[string]any{"value": "1000"})
	w.deal(t, "proposal", map[string]any{"value": "2000"})
	w.deal(t, "proposal", map[string]any{"value": "500.50"})
	w.deal(t, "proposal", map[string]any{"value": "800", "currency": "USD"})
	w.deal(t, "won", map[string]any{"value": "900"})
	w.deal(t, "lost", map[string]any{"value": "300"})

	r := s.Must(t, w.user("viewer").Token, http.MethodGet, "/api/kontor/insights?workspace="+w.ws, nil)
	months := r.Body["revenue_by_month"].([]any)
	if len(months) != 12 {
		t.Fatalf("%d months", len(months))
	}
	thisMonth := time.Now().UTC().Format("2006-01")
	want := map[string]string{
		"currency":                           "EUR",
		"revenue_by_month.11.month":          thisMonth,
		"revenue_by_month.11.net":            "1590.00", // 1000 + 500 + 200 − 200 + 90
		"revenue_by_month.10.net":            "0.00",
		"receivables":                        "1702.10", // 1000 + 595 + 107.10
		"dso_days":                           "81.0",    // 1702.10 ÷ (1190 + 595 + 238 − 238 + 107.10) × 90
		"overdue.amount":                     "595.00",
		"overdue.count":                      "1",
		"unconverted":                        "0",
		"pipeline_by_stage.0.name":           "new",
		"pipeline_by_stage.0.value":          "1000.00",
		"pipeline_by_stage.0.weighted":       "100.00",
		"pipeline_by_stage.2.count":          "3",
		"pipeline_by_stage.2.value":          "2500.50",
		"pipeline_by_stage.2.weighted":       "1250.25",
		"pipeline_by_stage.2.other_currency": "1",
		"pipeline_by_stage.4.value":          "900.00",
		"win_rate.won":                       "1",
		"win_rate.lost":                      "1",
		"win_rate.rate":                      "0.5000",
	}
	for path, v := range want {
		if got := r.String(path); got != v {
			t.Errorf("%s = %q, want %q", path, got, v)
		}
	}
}

// TestInsightsOfAnEmptyWorkspace: no invoices, no deals: zeros, no DSO.
func TestInsightsOfAnEmptyWorkspace(t *testing.T) {
	w := newWorld(t)
	r := w.s.Must(t, w.owner.Token, http.MethodGet, "/api/kontor/insights?workspace="+w.ws, nil)
	for path, v := range map[string]string{"dso_days": "", "overdue.amount": "0.00", "receivables": "0.00", "win_rate.rate": "",
		"pipeline_by_stage.5.name": "lost", "pipeline_by_stage.5.value": "0.00", "revenue_by_month.0.net": "0.00"} {
		if got := r.String(path); got != v {
			t.Errorf("%s = %q, want %q", path, got, v)
		}
	}
}
