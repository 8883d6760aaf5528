package invoicing_test

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kontor-app/kontor/internal/testserver"
)

func TestIssueNumbersFreezesAndDates(t *testing.T) {
	s := testserver.New(t)
	u := s.SignUp(t, "ana@example.com")
	ws := s.Workspace(t, u, "Ana GmbH")
	client := s.Client(t, u, ws, nil)

	id := s.Draft(t, u, ws, client, testserver.Line("Consulting", "10", "99.995"))
	draft := s.Must(t, u.Token, http.MethodGet, "/api/collections/invoices/records/"+id, nil)
	if draft.String("number") != "" || draft.String("status") != "draft" || draft.String("totals.gross") != "1189.94" {
		t.Fatalf("draft: %s", draft.Raw)
	}

	r := s.Issue(t, u, id)
	year := time.Now().UTC().Year()
	today := time.Now().UTC().Format("2006-01-02")
	due := time.Now().UTC().AddDate(0, 0, 30).Format("2006-01-02")
	for path, want := range map[string]string{
		"number":             fmt.Sprintf("INV-%d-0001", year),
		"status":             "issued",
		"issue_date":         today,
		"due_date":           due,
		"seller.name":        "Ana GmbH",
		"seller.vat_id":      "DE123456789",
		"buyer.name":         "Acme SL",
		"buyer.vat_id":       "ESB12345678",
		"totals.net":         "999.95",
		"totals.vat":         "189.99",
		"totals.gross":       "1189.94",
		"totals.due":         "1189.94",
		"lines.0.net_amount": "999.95",
	} {
		if got := r.String(path); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	if r.String("issued_at") == "" {
		t.Error("issued_at not set")
	}

	// the snapshot stays what it was when the client changes later
	s.Must(t, u.Token, http.MethodPatch, "/api/collections/clients/records/"+client, map[string]any{"name": "Acme Renamed SL"})
	again := s.Must(t, u.Token, http.MethodGet, "/api/collections/invoices/records/"+id, nil)
	if again.String("buyer.name") != "Acme SL" {
		t.Errorf("buyer snapshot changed: %s", again.String("buyer.name"))
	}

	// a given issue date earlier than the series' last one breaks the chronology
	early := s.Create(t, u, "invoices", map[string]any{"workspace": ws, "client": client, "issue_date": "2020-01-01",
		"lines": []any{testserver.Line("x", "1", "1")}}).String("id")
	if r := s.Issue(t, u, early); r.Status != 400 || r.String("data.issue_date.message") == "" {
		t.Errorf("earlier date: %d %s", r.Status, r.Raw)
	}

	// the next valid one still gets 0002: the refused issue consumed nothing
	next := s.Draft(t, u, ws, client, testserver.Line("More", "1", "10"))
	if got := s.Issue(t, u, next).String("number"); got != fmt.Sprintf("INV-%d-0002", year) {
		t.Errorf("next number = %q", got)
	}
	// issuing twice is refused
	if r := s.Issue(t, u, next); r.Status != 400 {
		t.Errorf("second issue: %d %s", r.Status, r.Raw)
	}
}

func TestIssueRefusesIncompleteDrafts(t *testing.T) {
	s := testserver.New(t)
	u := s.SignUp(t, "ana@example.com")
	ws := s.Workspace(t, u, "Ana GmbH")
	client := s.Client(t, u, ws, nil)
	noVAT := s.Client(t, u, ws, map[string]any{"name": "No VAT SARL", "country": "FR", "vat_id": ""})
	usd := s.Client(t, u, ws, map[string]any{"name": "US Inc", "country": "US", "vat_id": "", "currency": "USD"})
	bare := s.SignUp(t, "bare@example.com")
	bareWS := s.Create(t, bare, "workspaces", map[string]any{"name": "Bare"}).String("id")
	bareClient := s.Client(t, bare, bareWS, nil)

	reverse := map[string]any{"description": "Service", "quantity": "1", "unit_price": "100", "vat_category": "AE", "vat_rate": "0"}
	notSubject := map[string]any{"description": "Fee", "quantity": "1", "unit_price": "5", "vat_category": "O", "vat_rate": "0"}
	cases := []struct {
		name  string
		user  testserver.User
		body  map[string]any
		field string
	}{
		{"no client", u, map[string]any{"workspace": ws, "lines": []any{testserver.Line("a", "1", "1")}}, "client"},
		{"no lines", u, map[string]any{"workspace": ws, "client": client}, "lines"},
		{"reverse charge without buyer VAT id", u, map[string]any{"workspace": ws, "client": noVAT, "lines": []any{reverse}}, "client"},
		{"not subject mixed with standard", u, map[string]any{"workspace": ws, "client": client, "lines": []any{notSubject, testserver.Line("a", "1", "1")}}, "lines"},
		{"foreign currency without rate", u, map[string]any{"workspace": ws, "client": usd, "lines": []any{testserver.Line("a", "1", "1")}}, "exchange_rate"},
		{"seller without country and VAT id", bare, map[string]any{"workspace": bareWS, "client": bareClient, "lines": []any{testserver.Line("a", "1", "1")}}, "seller"},
		{"negative total", u, map[string]any{"workspace": ws, "client": client, "lines": []any{testserver.Line("refund", "-1", "10")}}, "lines"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			id := s.Create(t, c.user, "invoices", c.body).String("id")
			r := s.Issue(t, c.user, id)
			if r.Status != 400 || r.String("data."+c.field+".message") == "" {
				t.Fatalf("want 400 naming %s, got %d %s", c.field, r.Status, r.Raw)
			}
			if got := s.Must(t, c.user.Token, http.MethodGet, "/api/collections/invoices/records/"+id, nil); got.String("status") != "draft" || got.String("number") != "" {
				t.Fatalf("refused draft changed: %s", got.Raw)
			}
		})
	}

	// none of the refusals consumed a number
	id := s.Draft(t, u, ws, client, testserver.Line("a", "1", "1"))
	if got := s.Issue(t, u, id).String("number"); !strings.HasSuffix(got, "-0001") {
		t.Errorf("first number after refusals = %q", got)
	}
}

func TestIssueReverseChargeCarriesLegalMention(t *testing.T) {
	s := testserver.New(t)
	u := s.SignUp(t, "ana@example.com")
	ws := s.Workspace(t, u, "Ana GmbH")
	client := s.Client(t, u, ws, map[string]any{"language": "es"})
	id := s.Draft(t, u, ws, client, map[string]any{"description": "Service", "quantity": "2", "unit_price": "150", "vat_category": "AE", "vat_rate": "0"})
	r := s.Issue(t, u, id)
	if r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if r.String("totals.vat") != "0.00" || r.String("totals.gross") != "300.00" || r.String("language") != "es" {
		t.Errorf("totals/language: %s", r.Raw)
	}
	if got := r.String("vat_breakdown.0.exemption_reason"); !strings.Contains(got, "Inversión del sujeto pasivo") {
		t.Errorf("legal mention = %q", got)
	}
}

// TestConcurrentIssuingIsGapless issues from 50 goroutines at once into two
// series of each of two workspaces, with refused drafts mixed in, and checks
// that every series numbers 1..n with no gap and no duplicate.
func TestConcurrentIssuingIsGapless(t *testing.T) {
	s := testserver.New(t)
	type target struct {
		user              testserver.User
		workspace, series string
	}
	var targets []target
	for i := range 2 {
		u := s.SignUp(t, fmt.Sprintf("owner%d@example.com", i))
		ws := s.Workspace(t, u, fmt.Sprintf("Workspace %d", i))
		b := s.Create(t, u, "series", map[string]any{"workspace": ws, "code": "B", "document_type": "invoice", "pattern": "B{yy}-{seq:5}", "yearly_reset": true}).String("id")
		inv := s.Must(t, u.Token, http.MethodGet, "/api/collections/series/records?filter="+queryEscape("workspace='"+ws+"' && code='INV'"), nil).String("items.0.id")
		targets = append(targets, target{u, ws, inv}, target{u, ws, b})
	}

	const perSeries = 40
	type job struct {
		user    testserver.User
		id      string
		refused bool
	}
	var jobs []job
	for _, tg := range targets {
		client := s.Client(t, tg.user, tg.workspace, nil)
		for i := range perSeries {
			body := map[string]any{"workspace": tg.workspace, "series": tg.series, "client": client, "lines": []any{testserver.Line("x", "1", "10")}}
			refused := i%8 == 0
			if refused {
				delete(body, "client") // issuing refuses it
			}
			jobs = append(jobs, job{tg.user, s.Create(t, tg.user, "invoices", body).String("id"), refused})
		}
	}

	queue := make(chan job)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range queue {
				r := s.Issue(t, j.user, j.id)
				if (r.Status == 200) == j.refused {
					mu.Lock()
					failures = append(failures, fmt.Sprintf("%s: %d %s", j.id, r.Status, r.Raw))
					mu.Unlock()
				}
			}
		}()
	}
	for _, j := range jobs {
		queue <- j
	}
	close(queue)
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d unexpected answers, first: %s", len(failures), failures[0])
	}

	for _, tg := range targets {
		var numbers []string
		err := s.App.DB().NewQuery("SELECT number FROM invoices WHERE series = {:s} AND number != ''").
			Bind(map[string]any{"s": tg.series}).Column(&numbers)
		if err != nil {
			t.Fatal(err)
		}
		assertContiguous(t, numbers, perSeries-perSeries/8)
	}
}

// TestConcurrentIssuesShareTransactionsSafely issues every draft twice at
// once, so that issues sharing a transaction meet one that must fail (its
// draft was just issued): each draft is issued exactly once, the second
// answer says so, and the series still numbers 1..n.
func TestConcurrentIssuesShareTransactionsSafely(t *testing.T) {
	s := testserver.New(t)
	u := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, u, "Ana GmbH")
	client := s.Client(t, u, ws, nil)
	const drafts = 40
	var ids []string
	for range drafts {
		ids = append(ids, s.Draft(t, u, ws, client, testserver.Line("x", "1", "10")))
	}
	queue := make(chan string)
	var wg sync.WaitGroup
	var mu sync.Mutex
	issued := map[string]int{}
	var unexpected []string
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range queue {
				r := s.Issue(t, u, id)
				mu.Lock()
				switch r.Status {
				case http.StatusOK:
					issued[id]++
				case http.StatusConflict, http.StatusBadRequest:
				default:
					unexpected = append(unexpected, fmt.Sprintf("%s: %d %s", id, r.Status, r.Raw))
				}
				mu.Unlock()
			}
		}()
	}
	for _, id := range ids {
		queue <- id
		queue <- id
	}
	close(queue)
	wg.Wait()
	if len(unexpected) > 0 {
		t.Fatalf("%d unexpected answers, first: %s", len(unexpected), unexpected[0])
	}
	for _, id := range ids {
		if issued[id] != 1 {
			t.Errorf("%s issued %d times", id, issued[id])
		}
	}
	var numbers []string
	if err := s.App.DB().NewQuery("SELECT number FROM invoices WHERE workspace = {:w} AND number != ''").
		Bind(map[string]any{"w": ws}).Column(&numbers); err != nil {
		t.Fatal(err)
	}
	assertContiguous(t, numbers, drafts)
}

// assertContiguous checks that the running numbers at the end of the
// numbers are exactly 1..want.
func assertContiguous(t *testing.T, numbers []string, want int) {
	t.Helper()
	seqs := make([]int, len(numbers))
	for i, n := range numbers {
		digits := n[strings.LastIndexAny(n, "-")+1:]
		seqs[i], _ = strconv.Atoi(digits)
	}
	sort.Ints(seqs)
	if len(seqs) != want {
		t.Fatalf("%d numbers, want %d: %v", len(seqs), want, numbers)
	}
	for i, n := range seqs {
		if n != i+1 {
			t.Fatalf("running numbers %v are not 1..%d", seqs, want)
		}
	}
}

// Two series of a workspace whose patterns make the same number: the
// second to give it is refused with a message naming the series, consumes
// nothing, and does not fail the issues that share its transaction.
func TestIssueRefusesANumberAnotherSeriesGave(t *testing.T) {
	s := testserver.New(t)
	u := s.SignUp(t, "ana@example.com")
	ws := s.Workspace(t, u, "Ana GmbH")
	client := s.Client(t, u, ws, nil)
	// INV's default pattern {code}-{yyyy}-{seq:4} gives INV-2026-0001 too
	twin := s.Create(t, u, "series", map[string]any{"workspace": ws, "code": "TWIN", "document_type": "invoice",
		"pattern": "INV-{yyyy}-{seq:4}", "yearly_reset": true}).String("id")
	year := time.Now().UTC().Year()

	first := s.Draft(t, u, ws, client, testserver.Line("x", "1", "10"))
	if got := s.Issue(t, u, first).String("number"); got != fmt.Sprintf("INV-%d-0001", year) {
		t.Fatalf("first number = %q", got)
	}
	clash := s.Create(t, u, "invoices", map[string]any{"workspace": ws, "series": twin, "client": client,
		"lines": []any{testserver.Line("x", "1", "10")}}).String("id")

	// issued together with ten others: only the clash is refused
	others := make([]string, 10)
	for i := range others {
		others[i] = s.Draft(t, u, ws, client, testserver.Line("x", "1", "10"))
	}
	var wg sync.WaitGroup
	answers := make([]testserver.Response, len(others)+1)
	for i, id := range append(others, clash) {
		wg.Go(func() { answers[i] = s.Issue(t, u, id) })
	}
	wg.Wait()
	for i, r := range answers[:len(others)] {
		if r.Status != 200 {
			t.Errorf("draft %d: %d %s", i, r.Status, r.Raw)
		}
	}
	r := answers[len(others)]
	if r.Status != 400 || !strings.Contains(r.String("data.series.message"), fmt.Sprintf("INV-%d-0001 is already used by another series", year)) {
		t.Fatalf("clash: %d %s", r.Status, r.Raw)
	}
	if got := s.Must(t, u.Token, http.MethodGet, "/api/collections/invoices/records/"+clash, nil).String("status"); got != "draft" {
		t.Errorf("the refused draft is %q", got)
	}

	// the twin series consumed nothing: with a pattern of its own, it starts at 1
	s.Must(t, u.Token, http.MethodPatch, "/api/collections/series/records/"+twin, map[string]any{"pattern": "TW-{yyyy}-{seq:4}"})
	if got := s.Issue(t, u, clash).String("number"); got != fmt.Sprintf("TW-%d-0001", year) {
		t.Errorf("twin's first number = %q", got)
	}
}
