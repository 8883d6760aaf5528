package reminders_test

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/reminders"
	"github.com/kontor-app/kontor/internal/testserver"
)

// recurring creates a recurring invoice of the fixture's client through
// the API, with the fields given over a monthly one from 15 January 2031,
// and returns its id.
func (f *fixture) recurring(t *testing.T, fields map[string]any) string {
	t.Helper()
	body := map[string]any{"workspace": f.ws, "client": f.client, "name": "Retainer",
		"lines": []any{testserver.Line("Monthly retainer", "1", "500")}, "schedule": "monthly", "start_date": "2031-01-15"}
	for k, v := range fields {
		body[k] = v
	}
	return f.s.Create(t, f.owner, "recurring_invoices", body).String("id")
}

// A recurring invoice is checked when saved, with a message on the field
// at fault, and starts on its start date.
func TestRecurringValidation(t *testing.T) {
	f := newFixture(t)
	s, u := f.s, f.owner
	other := s.SignUp(t, "other@example.com")
	otherWS := s.Workspace(t, other, "Other Ltd")
	otherClient := s.Client(t, other, otherWS, nil)
	var creditSeries string
	list := s.Must(t, u.Token, http.MethodGet, "/api/collections/series/records?filter=(document_type='credit_note')", nil)
	creditSeries = list.String("items.0.id")

	base := map[string]any{"workspace": f.ws, "client": f.client, "name": "Retainer",
		"lines": []any{testserver.Line("Retainer", "1", "500")}, "schedule": "monthly", "start_date": "2031-01-15"}
	cases := []struct {
		name  string
		patch map[string]any
		field string
	}{
		{"bad cron", map[string]any{"schedule": "every month"}, "schedule"},
		{"six fields", map[string]any{"schedule": "0 0 9 1 * *"}, "schedule"},
		{"too often", map[string]any{"schedule": "0 * * * *"}, "schedule"},
		{"never", map[string]any{"schedule": "0 0 31 2 *"}, "schedule"},
		{"end before start", map[string]any{"end_date": "2031-01-14"}, "end_date"},
		{"bad start", map[string]any{"start_date": "15/01/2031"}, "start_date"},
		{"client of another workspace", map[string]any{"client": otherClient}, "client"},
		{"credit-note series", map[string]any{"series": creditSeries}, "series"},
		{"no lines", map[string]any{"lines": []any{}}, "lines"},
		{"bad line", map[string]any{"lines": []any{testserver.Line("x", "one", "1")}}, "lines"},
		{"bad currency", map[string]any{"currency": "EURO"}, "currency"},
		{"bad mode", map[string]any{"mode": "sometimes"}, "mode"},
		{"next run", map[string]any{"next_run": "2031-01-01 00:00:00.000Z"}, "next_run"},
		{"last period", map[string]any{"last_period": "2031-01-15"}, "last_period"},
	}
	for _, c := range cases {
		body := map[string]any{}
		for k, v := range base {
			body[k] = v
		}
		for k, v := range c.patch {
			body[k] = v
		}
		r := s.Do(t, u.Token, http.MethodPost, "/api/collections/recurring_invoices/records", body)
		if r.Status != 400 || !strings.Contains(r.String("data."+c.field), "message") {
			t.Errorf("%s: %d %s, want a message on %s", c.name, r.Status, r.Raw, c.field)
		}
	}
	if n, _ := s.App.CountRecords("recurring_invoices"); n != 0 {
		t.Fatalf("%d recurring invoices saved by refused requests", n)
	}

	r := s.Create(t, u, "recurring_invoices", base)
	if r.String("next_run") != "2031-01-15 00:00:00.000Z" || r.String("active") != "true" || r.String("mode") != "draft" {
		t.Errorf("new recurring invoice: %s", r.Raw)
	}
	cron := s.Create(t, u, "recurring_invoices", map[string]any{"workspace": f.ws, "client": f.client, "name": "Support",
		"lines": []any{testserver.Line("Support", "1", "90")}, "schedule": "0 9 1 * *", "start_date": "2031-01-15", "end_date": "2031-03-31"})
	if cron.String("next_run") != "2031-02-01 09:00:00.000Z" {
		t.Errorf("cron recurring invoice: %s", cron.Raw)
	}
	// a person may not point it at another workspace's client later either
	if r := s.Do(t, u.Token, http.MethodPatch, "/api/collections/recurring_invoices/records/"+r.String("id"), map[string]any{"client": otherClient}); r.Status != 400 {
		t.Errorf("update to another workspace's client: %d %s", r.Status, r.Raw)
	}
}

// A monthly recurring invoice bills exactly one invoice per period: run
// twice, restarted on the same data, and catching up the months the server
// was down, one invoice each, in order.
func TestRecurringOnePerPeriodAcrossRestart(t *testing.T) {
	f := newFixture(t)
	m := &fakeMailer{}
	id := f.recurring(t, map[string]any{"mode": "issue"})

	app := f.s.App
	for _, now := range []string{"2031-01-14T23:59Z", "2031-01-15T00:05Z", "2031-01-15T00:20Z"} {
		if _, err := reminders.RunRecurring(app, m, at(now)); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Join(periods(t, app, id), ", "); got != "2031-01-15 issued" {
		t.Fatalf("before the restart: %s", got)
	}

	app = restart(t, app)
	for _, now := range []string{"2031-01-15T00:35Z", "2031-01-20T10:00Z"} {
		if _, err := reminders.RunRecurring(app, m, at(now)); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Join(periods(t, app, id), ", "); got != "2031-01-15 issued" {
		t.Fatalf("after the restart: %s", got)
	}

	// down from 20 January to 16 April: February, March and April, once each
	for range 2 {
		res, err := reminders.RunRecurring(app, m, at("2031-04-16T10:00Z"))
		if err != nil {
			t.Fatal(err)
		}
		if res.Failed != 0 {
			t.Errorf("%+v", res)
		}
	}
	want := "2031-01-15 issued, 2031-02-15 issued, 2031-03-15 issued, 2031-04-15 issued"
	if got := strings.Join(periods(t, app, id), ", "); got != want {
		t.Errorf("after catching up: %s, want %s", got, want)
	}
	tpl := record(t, app, "recurring_invoices", id)
	if tpl.GetString("last_period") != "2031-04-15" || tpl.GetDateTime("next_run").String() != "2031-05-15 00:00:00.000Z" || tpl.GetString("last_error") != "" {
		t.Errorf("recurring invoice after the runs: %v", tpl)
	}
	if m.count() != 0 {
		t.Errorf("mode issue emailed %d invoices", m.count())
	}
}

// A run that stopped between creating the draft of a period and issuing
// it is finished by the next run: the same draft is issued, and no second
// invoice is made for the period.
func TestRecurringFinishesAnInterruptedPeriod(t *testing.T) {
	f := newFixture(t)
	m := &fakeMailer{}
	id := f.recurring(t, map[string]any{"mode": "issue_and_send"})

	// the first step of a run, as the job does it, and then the process stops
	tpl := record(t, f.s.App, "recurring_invoices", id)
	invoices, err := f.s.App.FindCollectionByNameOrId("invoices")
	if err != nil {
		t.Fatal(err)
	}
	draft := core.NewRecord(invoices)
	for _, field := range []string{"workspace", "client", "lines"} {
		draft.Set(field, tpl.Get(field))
	}
	draft.Set("recurring", id)
	draft.Set("recurring_period", "2031-01-15")
	if err := f.s.App.Save(draft); err != nil {
		t.Fatal(err)
	}
	// a second invoice for the period cannot exist, whoever makes it
	twin := core.NewRecord(invoices)
	for _, field := range []string{"workspace", "client", "lines", "recurring", "recurring_period"} {
		twin.Set(field, draft.Get(field))
	}
	if err := f.s.App.Save(twin); err == nil {
		t.Fatal("a second invoice for the same period was saved")
	}

	// the next run issues the draft and queues its email, once
	for range 2 {
		res, err := reminders.RunRecurring(f.s.App, m, at("2031-01-15T09:00Z"))
		if err != nil {
			t.Fatal(err)
		}
		if res.Invoices != 0 {
			t.Errorf("created %d invoices", res.Invoices)
		}
	}
	if got := strings.Join(periods(t, f.s.App, id), ", "); got != "2031-01-15 sent" {
		t.Fatalf("periods %s", got)
	}
	issued := record(t, f.s.App, "invoices", draft.Id)
	if issued.GetString("number") == "" || issued.GetString("issue_date") != "2031-01-15" || issued.GetDateTime("sent_at").IsZero() {
		t.Errorf("the interrupted draft was not the one issued: %v", issued)
	}
	if got := m.keys(draft.Id); len(got) != 1 || got[0] != "invoice_sent:recurring:"+draft.Id {
		t.Errorf("emails %v", got)
	}
}

// When queueing the email fails (the transaction of issuing and sending
// rolls back), the period stays where it was: the next run issues and
// sends the same draft.
func TestRecurringRetriesAFailedSend(t *testing.T) {
	f := newFixture(t)
	id := f.recurring(t, map[string]any{"mode": "issue_and_send"})
	m := &fakeMailer{fail: errors.New("database is locked")}
	if _, err := reminders.RunRecurring(f.s.App, m, at("2031-01-15T09:00Z")); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(periods(t, f.s.App, id), ", "); got != "2031-01-15 draft" {
		t.Fatalf("after the failure: %s", got)
	}
	if tpl := record(t, f.s.App, "recurring_invoices", id); tpl.GetString("last_period") != "" {
		t.Fatalf("moved on past a period it did not finish: %v", tpl)
	}
	m.fail = nil
	res, err := reminders.RunRecurring(f.s.App, m, at("2031-01-15T09:15Z"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(periods(t, f.s.App, id), ", "); got != "2031-01-15 sent" || res.Issued != 1 || res.Sent != 1 || m.count() != 1 {
		t.Errorf("after the retry: %s, %+v, %d emails", got, res, m.count())
	}
}

// Runs racing each other still make one invoice per period.
func TestRecurringConcurrentRuns(t *testing.T) {
	f := newFixture(t)
	m := &fakeMailer{}
	id := f.recurring(t, map[string]any{"mode": "issue_and_send"})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := reminders.RunRecurring(f.s.App, m, at("2031-06-20T09:00Z")); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	want := "2031-01-15 sent, 2031-02-15 sent, 2031-03-15 sent, 2031-04-15 sent, 2031-05-15 sent, 2031-06-15 sent"
	if got := strings.Join(periods(t, f.s.App, id), ", "); got != want {
		t.Errorf("periods %s", got)
	}
	if m.count() != 6 {
		t.Errorf("%d emails for 6 invoices", m.count())
	}
}

// A cron schedule runs at its times; the end date stops it; mode draft
// leaves drafts.
func TestRecurringCronScheduleUntilItsEnd(t *testing.T) {
	f := newFixture(t)
	m := &fakeMailer{}
	id := f.recurring(t, map[string]any{"schedule": "0 9 1 * *", "start_date": "2031-01-01", "end_date": "2031-03-15"})
	if _, err := reminders.RunRecurring(f.s.App, m, at("2031-01-01T08:59Z")); err != nil {
		t.Fatal(err)
	}
	if got := periods(t, f.s.App, id); len(got) != 0 {
		t.Fatalf("before 09:00: %v", got)
	}
	for _, now := range []string{"2031-01-01T09:00Z", "2031-02-10T09:00Z", "2031-06-01T09:00Z", "2031-12-01T09:00Z"} {
		if _, err := reminders.RunRecurring(f.s.App, m, at(now)); err != nil {
			t.Fatal(err)
		}
	}
	want := "2031-01-01T09:00Z draft, 2031-02-01T09:00Z draft, 2031-03-01T09:00Z draft"
	if got := strings.Join(periods(t, f.s.App, id), ", "); got != want {
		t.Errorf("periods %s, want %s", got, want)
	}
	if tpl := record(t, f.s.App, "recurring_invoices", id); !tpl.GetDateTime("next_run").IsZero() {
		t.Errorf("next run after the end: %s", tpl.GetString("next_run"))
	}
	if m.count() != 0 {
		t.Error("mode draft emailed")
	}
}

// An invoice that cannot be issued stays a draft for a person to finish;
// the recurring invoice says why and goes on with the next periods. An
// inactive recurring invoice does nothing.
func TestRecurringLeavesADraftItCannotIssue(t *testing.T) {
	f := newFixture(t)
	s, u := f.s, f.owner
	m := &fakeMailer{}
	nowhere := s.Client(t, u, f.ws, map[string]any{"name": "No Country SL", "country": ""})
	id := f.recurring(t, map[string]any{"client": nowhere, "mode": "issue"})
	paused := f.recurring(t, map[string]any{"active": false})

	if _, err := reminders.RunRecurring(s.App, m, at("2031-02-20T09:00Z")); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(periods(t, s.App, id), ", "); got != "2031-01-15 draft, 2031-02-15 draft" {
		t.Errorf("periods %s", got)
	}
	tpl := record(t, s.App, "recurring_invoices", id)
	if !strings.Contains(tpl.GetString("last_error"), "2031-02-15") || !strings.Contains(tpl.GetString("last_error"), "country") ||
		tpl.GetString("last_period") != "2031-02-15" {
		t.Errorf("recurring invoice: %v", tpl)
	}
	if got := periods(t, s.App, paused); len(got) != 0 {
		t.Errorf("an inactive recurring invoice billed %v", got)
	}

	// a recurring invoice with issued invoices is deactivated, not deleted
	issuedOne := f.recurring(t, map[string]any{"mode": "issue", "name": "Issued"})
	reminders.RunRecurring(s.App, m, at("2031-02-20T09:30Z"))
	if r := s.Do(t, u.Token, http.MethodDelete, "/api/collections/recurring_invoices/records/"+issuedOne, nil); r.Status != 400 {
		t.Errorf("delete with issued invoices: %d %s", r.Status, r.Raw)
	}
	if r := s.Do(t, u.Token, http.MethodDelete, "/api/collections/recurring_invoices/records/"+id, nil); r.Status != 204 {
		t.Errorf("delete with drafts only: %d %s", r.Status, r.Raw)
	}
	if got := periods(t, s.App, id); len(got) != 0 {
		t.Errorf("drafts still linked to a deleted recurring invoice: %v", got)
	}
}

// The invoices a recurring invoice makes are its own: nobody links an
// invoice to a recurring invoice or a period through the API.
func TestRecurringFieldsAreServerOwned(t *testing.T) {
	f := newFixture(t)
	id := f.recurring(t, nil)
	for field, value := range map[string]any{"recurring": id, "recurring_period": "2031-01-15", "reminder_level": 3} {
		r := f.s.Do(t, f.owner.Token, http.MethodPost, "/api/collections/invoices/records", map[string]any{
			"workspace": f.ws, "client": f.client, "lines": []any{testserver.Line("x", "1", "1")}, field: value})
		if r.Status != 400 || r.String("data."+field+".message") == "" {
			t.Errorf("%s: %d %s", field, r.Status, r.Raw)
		}
	}
}

// Through the real wiring: an issue_and_send recurring invoice writes its
// email into the outbox once.
func TestRecurringThroughTheOutbox(t *testing.T) {
	f := newFixture(t)
	id := f.recurring(t, map[string]any{"mode": "issue_and_send"})
	runner := reminders.RunnerOf(f.s.App)
	runner.Run(at("2031-01-15T09:00Z"))
	runner.Run(at("2031-01-15T09:15Z"))
	invoices, err := f.s.App.FindRecordsByFilter("invoices", "recurring = {:r}", "", 0, 0, map[string]any{"r": id})
	if err != nil || len(invoices) != 1 {
		t.Fatalf("%d invoices, %v", len(invoices), err)
	}
	key := "invoice_sent:recurring:" + invoices[0].Id
	rows, err := f.s.App.FindRecordsByFilter("outbox", "idempotency_key = {:k}", "", 0, 0, map[string]any{"k": key})
	if err != nil || len(rows) != 1 {
		t.Fatalf("outbox rows for %s: %d, %v", key, len(rows), err)
	}
}

// When not even the draft can be made, the recurring invoice waits at its
// period, says why, and bills it once a person has fixed the cause.
func TestRecurringWaitsForAFix(t *testing.T) {
	f := newFixture(t)
	s, u := f.s, f.owner
	m := &fakeMailer{}
	id := f.recurring(t, map[string]any{"mode": "issue"})
	series := s.Must(t, u.Token, http.MethodGet, "/api/collections/series/records?filter=(code='INV')", nil).String("items.0.id")
	s.Must(t, u.Token, http.MethodPatch, "/api/collections/series/records/"+series, map[string]any{"default": false})

	for _, now := range []string{"2031-01-15T09:00Z", "2031-01-15T09:15Z"} {
		res, err := reminders.RunRecurring(s.App, m, at(now))
		if err != nil {
			t.Fatal(err)
		}
		if want := now == "2031-01-15T09:00Z"; (res.Failed == 1) != want {
			t.Errorf("%s: %+v", now, res)
		}
	}
	tpl := record(t, s.App, "recurring_invoices", id)
	if got := periods(t, s.App, id); len(got) != 0 || !strings.Contains(tpl.GetString("last_error"), "series") ||
		tpl.GetDateTime("next_run").String() != "2031-01-15 00:00:00.000Z" {
		t.Fatalf("after the failure: %v, %v", got, tpl)
	}

	s.Must(t, u.Token, http.MethodPatch, "/api/collections/recurring_invoices/records/"+id, map[string]any{"series": series})
	if _, err := reminders.RunRecurring(s.App, m, at("2031-02-16T09:00Z")); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(periods(t, s.App, id), ", "); got != "2031-01-15 issued, 2031-02-15 issued" {
		t.Errorf("after the fix: %s", got)
	}
	if tpl := record(t, s.App, "recurring_invoices", id); tpl.GetString("last_error") != "" {
		t.Errorf("last_error kept: %q", tpl.GetString("last_error"))
	}
}
