package privacy_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/invoicing"
	"github.com/kontor-app/kontor/hooks/outbox"
	"github.com/kontor-app/kontor/hooks/privacy"
)

// RetainedUntil counts the years from the end of the calendar year of
// issue.
func TestRetainedUntil(t *testing.T) {
	for _, c := range []struct {
		issued string
		years  int
		want   string
	}{
		{"2026-01-01", 10, "2037-01-01"},
		{"2026-12-31", 10, "2037-01-01"},
		{"2025-06-30", 8, "2034-01-01"},
		{"2024-02-29", 6, "2031-01-01"},
	} {
		got, err := privacy.RetainedUntil(c.issued, c.years)
		if err != nil || got.Format("2006-01-02") != c.want {
			t.Errorf("RetainedUntil(%s, %d) = %v, %v; want %s", c.issued, c.years, got, err, c.want)
		}
	}
	if _, err := privacy.RetainedUntil("", 10); err == nil {
		t.Error("no issue date gave a retention")
	}
}

// Each retention job deletes exactly what is due at the (fake) time it
// runs, and nothing more when run again.
func TestRetentionJobsDeleteExactlyWhatIsDue(t *testing.T) {
	s := newServer(t)
	ada := s.SignUp(t, "ada@example.com")
	ws := s.Workspace(t, ada, "Ada GmbH")
	now := time.Date(2036, 6, 1, 12, 0, 0, 0, time.UTC)

	// invoices issued in 2025 are due on 2036-01-01, those of 2026 on
	// 2037-01-01; the payment of an expired one goes with it
	old := issued(t, s, ada, ws)
	set(t, s.App, "invoices", old, dbx.Params{"issue_date": "2025-06-30"})
	s.Create(t, ada, "payments", map[string]any{"invoice": old, "amount": "10.00"})
	recent := issued(t, s, ada, ws)
	set(t, s.App, "invoices", recent, dbx.Params{"issue_date": "2026-01-02"})

	// an issued invoice cannot be deleted by any other path, nor before
	// its retention ended
	if err := s.App.Delete(record(t, s.App, "invoices", old)); err == nil {
		t.Fatal("an issued invoice was deleted outside the retention job")
	}
	if err := invoicing.DeleteAfterRetention(s.App, record(t, s.App, "invoices", recent),
		time.Date(2037, 1, 1, 0, 0, 0, 0, time.UTC), now); err == nil {
		t.Fatal("an invoice was deleted before its retention ended")
	}

	// outbox messages: sent 31 and 29 days ago, failed 40 days ago, and
	// one still pending from long ago
	messages := map[string]struct {
		status  string
		age     time.Duration
		cleared bool
	}{
		"sent-31":    {outbox.StatusSent, 31 * 24 * time.Hour, true},
		"sent-29":    {outbox.StatusSent, 29 * 24 * time.Hour, false},
		"failed-40":  {outbox.StatusFailed, 40 * 24 * time.Hour, true},
		"pending-90": {outbox.StatusPending, 90 * 24 * time.Hour, false},
	}
	ids := map[string]string{}
	col, err := s.App.FindCollectionByNameOrId(outbox.Collection)
	if err != nil {
		t.Fatal(err)
	}
	for key, m := range messages {
		// written as the worker leaves them, never due again
		r := core.NewRecord(col)
		r.Set("kind", "retention-test")
		r.Set("idempotency_key", key)
		r.Set("payload", map[string]string{"to": "x@example.com"})
		r.Set("status", m.status)
		r.Set("next_attempt", now.AddDate(20, 0, 0))
		if m.status == outbox.StatusSent {
			r.Set("sent_at", now.Add(-m.age))
		}
		if err := s.App.Save(r); err != nil {
			t.Fatal(err)
		}
		ids[key] = r.Id
		set(t, s.App, "outbox", r.Id, dbx.Params{"updated": stamp(now.Add(-m.age))})
	}

	// access log entries of 3 years and of a year ago
	s.Must(t, ada.Token, http.MethodGet, "/api/collections/clients/records", nil)
	s.Must(t, ada.Token, http.MethodGet, "/api/collections/clients/records", nil)
	var entries []*core.Record
	if err := s.App.RecordQuery("access_log").OrderBy("created").All(&entries); err != nil || len(entries) != 2 {
		t.Fatalf("%d access log entries, %v", len(entries), err)
	}
	set(t, s.App, "access_log", entries[0].Id, dbx.Params{"created": stamp(now.AddDate(-3, 0, 0))})
	set(t, s.App, "access_log", entries[1].Id, dbx.Params{"created": stamp(now.AddDate(-1, 0, 0))})

	// an export ready for download whose time ran out, and one still valid
	expired := readyExport(t, s.App, ada.ID, now.Add(-time.Minute))
	valid := readyExport(t, s.App, ada.ID, now.Add(time.Hour))

	// the outbox also holds the emails of the sign-up, carried out since
	want := privacy.Report{privacy.JobInvoices: 1, privacy.JobAccessLog: 1, privacy.JobExports: 1}
	for run := range 2 {
		report, err := privacy.RunRetention(s.App, retentionConfig(), now)
		if err != nil {
			t.Fatal(err)
		}
		for job, n := range report {
			switch {
			case run == 1 && n != 0:
				t.Errorf("second run: %s = %d", job, n)
			case run == 0 && job == privacy.JobOutboxPayloads && n < 2:
				t.Errorf("%s = %d, want at least 2", job, n)
			case run == 0 && job != privacy.JobOutboxPayloads && n != want[job]:
				t.Errorf("%s = %d, want %d", job, n, want[job])
			}
		}
	}

	if record(t, s.App, "invoices", old) != nil || record(t, s.App, "invoices", recent) == nil {
		t.Error("the wrong invoices went")
	}
	if n := count(t, s.App, "payments", dbx.HashExp{"invoice": old}); n != 0 {
		t.Errorf("%d payments of the deleted invoice left", n)
	}
	for key, m := range messages {
		r := record(t, s.App, "outbox", ids[key])
		if r == nil {
			t.Errorf("message %s was deleted; only its payload may go", key)
			continue
		}
		if cleared := r.GetString("payload") == "" || r.GetString("payload") == "null"; cleared != m.cleared {
			t.Errorf("message %s: payload %q, cleared %v, want %v", key, r.GetString("payload"), cleared, m.cleared)
		}
	}
	if record(t, s.App, "access_log", entries[0].Id) != nil || record(t, s.App, "access_log", entries[1].Id) == nil {
		t.Error("the wrong access log entries went")
	}
	if r := record(t, s.App, "privacy_requests", expired); r.GetString("status") != "expired" || r.GetString("export") != "" {
		t.Errorf("expired export: %s %q", r.GetString("status"), r.GetString("export"))
	}
	if r := record(t, s.App, "privacy_requests", valid); r.GetString("status") != "ready" || r.GetString("export") == "" {
		t.Errorf("valid export: %s %q", r.GetString("status"), r.GetString("export"))
	}

	// a year later the 2026 invoice is due
	report, err := privacy.RunRetention(s.App, retentionConfig(), time.Date(2037, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || report[privacy.JobInvoices] != 1 || record(t, s.App, "invoices", recent) != nil {
		t.Fatalf("in 2037: %v %v", report, err)
	}
}

// The retention of invoices follows the configuration.
func TestRetentionYearsConfigured(t *testing.T) {
	s := newServer(t)
	ada := s.SignUp(t, "ada@example.com")
	ws := s.Workspace(t, ada, "Ada GmbH")
	id := issued(t, s, ada, ws)
	set(t, s.App, "invoices", id, dbx.Params{"issue_date": "2026-03-01"})
	cfg := retentionConfig()
	cfg.InvoiceRetentionYears = 6
	for _, c := range []struct {
		at   string
		want int
	}{{"2032-12-31", 0}, {"2033-01-01", 1}, {"2033-01-02", 0}} {
		at, _ := time.Parse("2006-01-02", c.at)
		report, err := privacy.RunRetention(s.App, cfg, at)
		if err != nil || report[privacy.JobInvoices] != c.want {
			t.Fatalf("at %s: %v %v, want %d deleted", c.at, report, err, c.want)
		}
	}
}

// readyExport makes an access request whose archive is ready until
// expires, and returns its id.
func readyExport(t *testing.T, app core.App, userID string, expires time.Time) string {
	t.Helper()
	col, err := app.FindCollectionByNameOrId("privacy_requests")
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Set("user", userID)
	r.Set("type", "access")
	r.Set("status", "ready")
	r.Set("received", expires.Add(-7*24*time.Hour))
	r.Set("due", expires.AddDate(0, 1, 0))
	r.Set("export_expires", expires)
	file, err := fileOf(fmt.Sprintf("export-%d.zip", expires.Unix()))
	if err != nil {
		t.Fatal(err)
	}
	r.Set("export", file)
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	return r.Id
}
