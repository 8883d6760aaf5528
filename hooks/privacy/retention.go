package privacy

import (
	"fmt"
	"sort"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	pbtypes "github.com/pocketbase/pocketbase/tools/types"
)

// OutboxPayloadRetention is how long a carried-out (or abandoned) outbox
// message keeps its payload; the message itself stays, so that its
// idempotency key still stops a second send.
const OutboxPayloadRetention = 30 * 24 * time.Hour

// AccessLogRetention is how long an access-log entry is kept.
const AccessLogRetention = 2 * 365 * 24 * time.Hour

// The jobs of a retention run, as Report names them.
const (
	JobErasures          = "accounts_anonymised"
	JobExports           = "exports_expired"
	JobWorkspacesPurged  = "workspaces_purged"
	JobInvoices          = "invoices_deleted"
	JobInvoicesHeld      = "invoices_held_by_credit_notes"
	JobWorkspacesDeleted = "workspaces_deleted"
	JobOutboxPayloads    = "outbox_payloads_cleared"
	JobAccessLog         = "access_log_entries_deleted"
)

// Report is what one run of the retention jobs did: a count per job.
type Report map[string]int

// String lists the counts, by job name.
func (r Report) String() string {
	names := make([]string, 0, len(r))
	for name := range r {
		names = append(names, name)
	}
	sort.Strings(names)
	s := ""
	for i, name := range names {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s=%d", name, r[name])
	}
	return s
}

// RetainedUntil is when the retention of a document issued on issueDate
// (YYYY-MM-DD) ends: years after the end of the calendar year of issue.
func RetainedUntil(issueDate string, years int) (time.Time, error) {
	d, err := time.Parse("2006-01-02", issueDate)
	if err != nil {
		return time.Time{}, fmt.Errorf("issue date %q: %w", issueDate, err)
	}
	return time.Date(d.Year()+years+1, 1, 1, 0, 0, 0, 0, time.UTC), nil
}

// RunRetention runs every retention job once, as of now, and reports
// what each did. Every job is idempotent: running it again as of the same
// time does nothing more. The purge of anonymous touchpoints is
// hooks/consent's job, and that of security logs hooks/security's.
func RunRetention(app core.App, cfg Config, now time.Time) (Report, error) {
	p := &privacy{app: app, cfg: cfg.withDefaults()}
	return p.runRetention(app, now)
}

func (p *privacy) runRetention(app core.App, now time.Time) (Report, error) {
	now = now.UTC()
	report := Report{}
	var err error
	if report[JobErasures], err = p.eraseDue(app, now); err != nil {
		return report, fmt.Errorf("erasures: %w", err)
	}
	if report[JobExports], err = p.expireExports(app, now); err != nil {
		return report, fmt.Errorf("exports: %w", err)
	}
	if report[JobWorkspacesPurged], err = p.purgeWorkspaces(app, now); err != nil {
		return report, fmt.Errorf("deleted workspaces: %w", err)
	}
	if report[JobInvoices], report[JobInvoicesHeld], err = p.deleteExpiredInvoices(app, now); err != nil {
		return report, fmt.Errorf("invoices: %w", err)
	}
	if report[JobWorkspacesDeleted], err = deleteEmptyTombstones(app); err != nil {
		return report, fmt.Errorf("workspace tombstones: %w", err)
	}
	if report[JobOutboxPayloads], err = clearOutboxPayloads(app, now); err != nil {
		return report, fmt.Errorf("outbox payloads: %w", err)
	}
	cutoff, _ := pbtypes.ParseDateTime(now.Add(-AccessLogRetention))
	if report[JobAccessLog], err = pruneAccessLog(app, cutoff); err != nil {
		return report, fmt.Errorf("access log: %w", err)
	}
	return report, nil
}

// runAndLog runs the jobs now and logs what they did.
func (p *privacy) runAndLog(app core.App) {
	report, err := p.runRetention(app, p.cfg.Now())
	if err != nil {
		app.Logger().Error("Privacy: retention jobs failed", "error", err.Error(), "done", report.String())
		return
	}
	args := []any{}
	for name, n := range report {
		args = append(args, name, n)
	}
	app.Logger().Info("Privacy: retention jobs ran", args...)
}

// dateString is t as PocketBase stores dates, for comparisons in SQL.
func dateString(t time.Time) string {
	d, _ := pbtypes.ParseDateTime(t)
	return d.String()
}

// purgeWorkspaces purges the workspaces deleted more than WorkspaceGrace
// ago and not yet purged; it returns how many.
func (p *privacy) purgeWorkspaces(app core.App, now time.Time) (int, error) {
	var due []*core.Record
	err := app.RecordQuery("workspaces").
		AndWhere(dbx.NewExp("[[deleted_at]] != '' AND [[deleted_at]] <= {:cutoff} AND ([[purged_at]] = '' OR [[purged_at]] IS NULL)",
			dbx.Params{"cutoff": dateString(now.Add(-WorkspaceGrace))})).All(&due)
	if err != nil {
		return 0, err
	}
	for _, ws := range due {
		if err := app.RunInTransaction(func(tx core.App) error { return p.purgeWorkspace(tx, ws, now) }); err != nil {
			return 0, fmt.Errorf("workspace %s: %w", ws.Id, err)
		}
	}
	return len(due), nil
}

// deleteExpiredInvoices deletes the issued invoices and credit notes whose
// retention has ended, credit notes first, with their payments. An
// invoice a credit note still kept refers to is held with it; it returns
// how many were deleted and how many were held so.
func (p *privacy) deleteExpiredInvoices(app core.App, now time.Time) (deleted, held int, err error) {
	if p.cfg.DeleteInvoice == nil {
		return 0, 0, nil
	}
	before := fmt.Sprintf("%04d-01-01", now.Year()-p.cfg.InvoiceRetentionYears)
	var due []*core.Record
	err = app.RecordQuery("invoices").
		AndWhere(dbx.NewExp("[[status]] != 'draft' AND [[issue_date]] != '' AND [[issue_date]] < {:before}", dbx.Params{"before": before})).
		OrderBy("document_type ASC", "issue_date ASC").All(&due)
	if err != nil {
		return 0, 0, err
	}
	for _, inv := range due {
		until, err := RetainedUntil(inv.GetString("issue_date"), p.cfg.InvoiceRetentionYears)
		if err != nil || now.Before(until) {
			continue
		}
		var corrections int
		if err := app.DB().NewQuery("SELECT COUNT(*) FROM invoices WHERE credited_invoice = {:id}").
			Bind(dbx.Params{"id": inv.Id}).Row(&corrections); err != nil {
			return deleted, held, err
		}
		if corrections > 0 {
			held++
			continue
		}
		err = app.RunInTransaction(func(tx core.App) error {
			for _, q := range []string{
				"DELETE FROM payments WHERE invoice = {:id}",
				"UPDATE payment_events SET payment_link = '' WHERE payment_link IN (SELECT id FROM payment_links WHERE invoice = {:id})",
				"UPDATE payment_events SET invoice = '' WHERE invoice = {:id}",
				"UPDATE proposals SET converted_invoice = '' WHERE converted_invoice = {:id}",
			} {
				if _, err := tx.DB().NewQuery(q).Bind(dbx.Params{"id": inv.Id}).Execute(); err != nil {
					return err
				}
			}
			return p.cfg.DeleteInvoice(tx, inv, until, now)
		})
		if err != nil {
			return deleted, held, fmt.Errorf("%s: %w", inv.GetString("number"), err)
		}
		deleted++
	}
	return deleted, held, nil
}

// deleteEmptyTombstones deletes the purged workspaces that no longer hold
// any invoice; it returns how many.
func deleteEmptyTombstones(app core.App) (int, error) {
	var due []*core.Record
	err := app.RecordQuery("workspaces").
		AndWhere(dbx.NewExp("[[purged_at]] != '' AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.workspace = workspaces.id)")).
		All(&due)
	if err != nil {
		return 0, err
	}
	for _, ws := range due {
		if err := app.RunInTransaction(func(tx core.App) error { return deleteTombstone(tx, ws) }); err != nil {
			return 0, fmt.Errorf("workspace %s: %w", ws.Id, err)
		}
	}
	return len(due), nil
}

// clearOutboxPayloads empties the payload of the outbox messages carried
// out, failed or not sent more than OutboxPayloadRetention ago; it returns
// how many.
func clearOutboxPayloads(app core.App, now time.Time) (int, error) {
	res, err := app.DB().NewQuery(`UPDATE outbox SET payload = NULL
		WHERE status IN ('sent', 'failed', 'not_sent')
		AND COALESCE(NULLIF(sent_at, ''), updated) < {:cutoff}
		AND payload IS NOT NULL AND payload NOT IN ('', 'null')`).
		Bind(dbx.Params{"cutoff": dateString(now.Add(-OutboxPayloadRetention))}).Execute()
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}
