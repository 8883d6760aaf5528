package reminders_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/hooks/reminders"
	"github.com/kontor-app/kontor/internal/testserver"
)

// Each invoice gets the reminder of the level due on the day the job runs
// (3, 10 and 20 days after the due date, from 08:00 UTC), and running the
// job again at the same time sends nothing more.
func TestReminderLevelsFireOnTheirDay(t *testing.T) {
	f := newFixture(t)
	m := &fakeMailer{}
	cases := []struct {
		due, now string
		level    int // 0: no reminder
	}{
		{"2031-03-01", "2031-03-01T12:00Z", 0},
		{"2031-03-01", "2031-03-03T23:59Z", 0},
		{"2031-03-01", "2031-03-04T07:59Z", 0},
		{"2031-03-01", "2031-03-04T08:00Z", 1},
		{"2031-03-01", "2031-03-10T23:59Z", 1},
		{"2031-03-01", "2031-03-11T08:00Z", 2},
		{"2031-03-01", "2031-03-20T23:59Z", 2},
		{"2031-03-01", "2031-03-21T08:00Z", 3},
		{"2031-02-26", "2031-03-01T08:00Z", 1},
		{"2031-12-30", "2032-01-09T08:00Z", 2},
	}
	for _, c := range cases {
		t.Run(c.due+" at "+c.now, func(t *testing.T) {
			id := f.issued(t, f.client, c.due)
			for run := 0; run < 2; run++ {
				if _, err := reminders.RunReminders(f.s.App, m, at(c.now)); err != nil {
					t.Fatal(err)
				}
			}
			want := ""
			if c.level > 0 {
				want = fmt.Sprintf("reminder:%s:%d", id, c.level)
			}
			if got := strings.Join(m.keys(id), " "); got != want {
				t.Errorf("emails %q, want %q", got, want)
			}
			if got := record(t, f.s.App, "invoices", id).GetInt("reminder_level"); got != c.level {
				t.Errorf("reminder_level %d, want %d", got, c.level)
			}
		})
	}
}

// One invoice through its life: each level once, on its day, in order,
// with what the email needs to know.
func TestReminderLevelsInTurn(t *testing.T) {
	f := newFixture(t)
	m := &fakeMailer{}
	id := f.issued(t, f.client, "2031-03-01")
	runs := []struct {
		now   string
		level int // the level queued by this run, 0 for none
	}{
		{"2031-03-02T09:00Z", 0},
		{"2031-03-04T08:00Z", 1},
		{"2031-03-04T20:00Z", 0},
		{"2031-03-10T09:00Z", 0},
		{"2031-03-11T08:15Z", 2},
		{"2031-03-11T08:30Z", 0},
		{"2031-03-21T10:00Z", 3},
		{"2031-04-30T10:00Z", 0},
		{"2031-12-31T10:00Z", 0},
	}
	for _, r := range runs {
		before := len(m.keys(id))
		n, err := reminders.RunReminders(f.s.App, m, at(r.now))
		if err != nil {
			t.Fatal(err)
		}
		keys := m.keys(id)
		switch {
		case r.level == 0 && (n != 0 || len(keys) != before):
			t.Errorf("%s: queued %d, emails %v", r.now, n, keys)
		case r.level > 0 && (n != 1 || len(keys) != before+1 || keys[before] != fmt.Sprintf("reminder:%s:%d", id, r.level)):
			t.Errorf("%s: queued %d, emails %v, want level %d", r.now, n, keys, r.level)
		}
	}
	call := m.last(t, id)
	if call.Template != reminders.ReminderTemplate || call.Data["level"] != 3 || call.Data["levels"] != 3 || call.Data["days_overdue"] != 20 {
		t.Errorf("last reminder %+v", call)
	}
	if _, ok := call.Data["dunning_letter"]; ok {
		t.Errorf("a workspace that claims no late-payment interest attached a dunning letter: %+v", call.Data)
	}
}

// After downtime the job catches up once: one reminder, of the highest
// level due, not one per missed level or per missed day.
func TestReminderCatchUpAfterDowntime(t *testing.T) {
	f := newFixture(t)
	m := &fakeMailer{}
	between := f.issued(t, f.client, "2031-03-01") // the server goes down after its level 1
	if _, err := reminders.RunReminders(f.s.App, m, at("2031-03-05T09:00Z")); err != nil {
		t.Fatal(err)
	}
	down := f.issued(t, f.client, "2031-03-01") // the server is down from before its first level

	// back after 45 days, and running every 15 minutes again
	for _, now := range []string{"2031-04-15T09:00Z", "2031-04-15T09:15Z", "2031-04-15T09:30Z", "2031-04-16T09:00Z"} {
		if _, err := reminders.RunReminders(f.s.App, m, at(now)); err != nil {
			t.Fatal(err)
		}
	}
	for id, want := range map[string]string{
		between: fmt.Sprintf("reminder:%s:1 reminder:%s:3", between, between),
		down:    fmt.Sprintf("reminder:%s:3", down),
	} {
		if got := strings.Join(m.keys(id), " "); got != want {
			t.Errorf("after downtime: %q, want %q", got, want)
		}
	}
}

// No reminder for an invoice that is paid, cancelled by a credit note, a
// draft, a credit note, stopped, or in a workspace with reminders off; a
// partly paid one is reminded of what is left. A stopped invoice that is
// resumed gets the level due then.
func TestNeverReminded(t *testing.T) {
	f := newFixture(t)
	s, u := f.s, f.owner
	m := &fakeMailer{}
	due := "2031-03-01"

	paid := f.issued(t, f.client, due)
	s.Create(t, u, "payments", map[string]any{"invoice": paid, "amount": "1190.00", "date": "2031-03-02"})
	cancelled := f.issued(t, f.client, due)
	note := s.Must(t, u.Token, http.MethodPost, "/api/kontor/invoices/"+cancelled+"/credit-note", nil).String("id")
	if r := s.Issue(t, u, note); r.Status != 200 {
		t.Fatalf("credit note: %s", r.Raw)
	}
	draft := s.Create(t, u, "invoices", map[string]any{"workspace": f.ws, "client": f.client, "due_date": due,
		"lines": []any{testserver.Line("x", "1", "1")}}).String("id")
	stopped := f.issued(t, f.client, due)
	s.Must(t, u.Token, http.MethodPatch, "/api/collections/invoices/records/"+stopped, map[string]any{"reminders_stopped": true})
	partly := f.issued(t, f.client, due)
	s.Create(t, u, "payments", map[string]any{"invoice": partly, "amount": "100.00", "date": "2031-03-02"})

	off := s.Workspace(t, u, "Quiet GmbH")
	s.Must(t, u.Token, http.MethodPatch, "/api/collections/workspaces/records/"+off, map[string]any{"reminders_enabled": false})
	offClient := s.Client(t, u, off, map[string]any{"email": "a@example.com"})
	offInvoice := s.Create(t, u, "invoices", map[string]any{"workspace": off, "client": offClient, "issue_date": "2031-01-02",
		"due_date": due, "lines": []any{testserver.Line("x", "1", "1")}}).String("id")
	if r := s.Issue(t, u, offInvoice); r.Status != 200 {
		t.Fatalf("issue: %s", r.Raw)
	}

	if _, err := reminders.RunReminders(s.App, m, at("2031-03-12T09:00Z")); err != nil {
		t.Fatal(err)
	}
	for name, id := range map[string]string{"paid": paid, "cancelled": cancelled, "credit note": note, "draft": draft,
		"stopped": stopped, "reminders off": offInvoice} {
		if keys := m.keys(id); len(keys) != 0 {
			t.Errorf("%s: reminded %v", name, keys)
		}
	}
	if got := m.keys(partly); len(got) != 1 || got[0] != "reminder:"+partly+":2" {
		t.Errorf("partly paid: %v", got)
	}

	// resumed: the level due now, once
	s.Must(t, u.Token, http.MethodPatch, "/api/collections/invoices/records/"+stopped, map[string]any{"reminders_stopped": false})
	for range 2 {
		if _, err := reminders.RunReminders(s.App, m, at("2031-03-25T09:00Z")); err != nil {
			t.Fatal(err)
		}
	}
	if got := m.keys(stopped); len(got) != 1 || got[0] != "reminder:"+stopped+":3" {
		t.Errorf("resumed: %v", got)
	}
}

// From the workspace's late_payment_from_level on, a business client's
// reminder carries its dunning letter; a consumer's never does.
func TestReminderCarriesDunningLetter(t *testing.T) {
	f := newFixture(t)
	s, u := f.s, f.owner
	m := &fakeMailer{}
	s.Must(t, u.Token, http.MethodPatch, "/api/collections/workspaces/records/"+f.ws, map[string]any{"late_payment_from_level": 2})
	consumer := s.Client(t, u, f.ws, map[string]any{"name": "Ana Pérez", "vat_id": "", "email": "ana@example.com"})
	business := f.issued(t, f.client, "2031-03-01")
	private := f.issued(t, consumer, "2031-03-01")

	reminders.RunReminders(s.App, m, at("2031-03-05T09:00Z"))
	if _, ok := m.last(t, business).Data["dunning_letter"]; ok {
		t.Error("level 1 carries a dunning letter")
	}
	reminders.RunReminders(s.App, m, at("2031-03-12T09:00Z"))
	data := m.last(t, business).Data
	if data["level"] != 2 || data["dunning_letter"] != f.client || data["dunning_date"] != "2031-03-12" {
		t.Errorf("level 2: %+v", data)
	}
	if _, ok := m.last(t, private).Data["dunning_letter"]; ok {
		t.Error("a consumer's reminder carries a dunning letter")
	}
}

// A workspace starts with reminders on at 3, 10 and 20 days; its levels
// are 1 to 5 increasing days, and late-payment claims start at one of them.
func TestReminderSettings(t *testing.T) {
	s := testserver.New(t)
	u := s.SignUp(t, "owner@example.com")
	ws := s.Create(t, u, "workspaces", map[string]any{"name": "Ana GmbH"})
	if ws.String("reminder_days") != "[3,10,20]" || ws.String("reminders_enabled") != "true" || ws.String("late_payment_from_level") != "0" {
		t.Errorf("new workspace: %s", ws.Raw)
	}
	if quiet := s.Create(t, u, "workspaces", map[string]any{"name": "Quiet", "reminders_enabled": false}); quiet.String("reminders_enabled") != "false" {
		t.Errorf("reminders asked off: %s", quiet.Raw)
	}
	path := "/api/collections/workspaces/records/" + ws.String("id")
	cases := []struct {
		body  map[string]any
		field string // "" when accepted
		days  string
	}{
		{map[string]any{"reminder_days": []int{7, 14}}, "", "[7,14]"},
		{map[string]any{"reminder_days": []int{}}, "", "[3,10,20]"},
		{map[string]any{"reminder_days": []int{1, 2, 3, 4, 5}, "late_payment_from_level": 5}, "", "[1,2,3,4,5]"},
		{map[string]any{"reminder_days": []int{10, 3}}, "reminder_days", ""},
		{map[string]any{"reminder_days": []int{3, 3}}, "reminder_days", ""},
		{map[string]any{"reminder_days": []int{0}}, "reminder_days", ""},
		{map[string]any{"reminder_days": []int{1, 2, 3, 4, 5, 6}}, "reminder_days", ""},
		{map[string]any{"reminder_days": "often"}, "reminder_days", ""},
		{map[string]any{"reminder_days": []int{3, 10}, "late_payment_from_level": 3}, "late_payment_from_level", ""},
	}
	for _, c := range cases {
		r := s.Do(t, u.Token, http.MethodPatch, path, c.body)
		switch {
		case c.field == "" && (r.Status != 200 || r.String("reminder_days") != c.days):
			t.Errorf("%v: %d %s", c.body, r.Status, r.Raw)
		case c.field != "" && (r.Status != 400 || r.String("data."+c.field+".message") == ""):
			t.Errorf("%v: %d %s, want a message on %s", c.body, r.Status, r.Raw, c.field)
		}
	}
}

// Through the real wiring: the runner Register bound, with the real mailer,
// writes each reminder into the outbox once.
func TestRemindersThroughTheOutbox(t *testing.T) {
	f := newFixture(t)
	id := f.issued(t, f.client, "2031-03-01")
	runner := reminders.RunnerOf(f.s.App)
	if runner == nil {
		t.Fatal("no runner registered")
	}
	for _, now := range []string{"2031-03-04T09:00Z", "2031-03-04T09:15Z", "2031-03-05T09:00Z"} {
		runner.Run(at(now))
	}
	key := "reminder:" + id + ":1"
	rows, err := f.s.App.FindRecordsByFilter("outbox", "idempotency_key ~ {:k}", "", 0, 0, map[string]any{"k": "reminder:" + id})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].GetString("idempotency_key") != key || rows[0].GetString("workspace") != f.ws {
		var keys []string
		for _, r := range rows {
			keys = append(keys, r.GetString("idempotency_key"))
		}
		t.Fatalf("outbox keys %v, want [%s]", keys, key)
	}
	if got := record(t, f.s.App, "invoices", id).GetInt("reminder_level"); got != 1 {
		t.Errorf("reminder_level %d", got)
	}
}
