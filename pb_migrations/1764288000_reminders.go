package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// referenceRates are the main refinancing operations rates of the European
// Central Bank in force on 1 January (H1) and 1 July (H2) of each
// half-year: the reference rate of Directive 2011/7/EU, art. 2(12)(a).
// Source: ECB, "Key ECB interest rates"
// (https://www.ecb.europa.eu/stats/policy_and_exchange_rates/key_ecb_interest_rates/html/index.en.html):
// 0.00 % from 16 March 2016, 2.50 % from 21 December 2022, 4.00 % from
// 21 June 2023, 4.50 % from 20 September 2023, 4.25 % from 12 June 2024,
// 3.15 % from 18 December 2024, 2.15 % from 11 June 2025. Later half-years
// are added by an admin in the dashboard once known; a half-year with no
// rate gets no interest, never a guessed one.
var referenceRates = []struct{ period, rate, source string }{
	{"2019-H1", "0.00", "ECB MRO rate since 16 March 2016"},
	{"2019-H2", "0.00", "ECB MRO rate since 16 March 2016"},
	{"2020-H1", "0.00", "ECB MRO rate since 16 March 2016"},
	{"2020-H2", "0.00", "ECB MRO rate since 16 March 2016"},
	{"2021-H1", "0.00", "ECB MRO rate since 16 March 2016"},
	{"2021-H2", "0.00", "ECB MRO rate since 16 March 2016"},
	{"2022-H1", "0.00", "ECB MRO rate since 16 March 2016"},
	{"2022-H2", "0.00", "ECB MRO rate since 16 March 2016"},
	{"2023-H1", "2.50", "ECB MRO rate since 21 December 2022"},
	{"2023-H2", "4.00", "ECB MRO rate since 21 June 2023"},
	{"2024-H1", "4.50", "ECB MRO rate since 20 September 2023"},
	{"2024-H2", "4.25", "ECB MRO rate since 12 June 2024"},
	{"2025-H1", "3.15", "ECB MRO rate since 18 December 2024"},
	{"2025-H2", "2.15", "ECB MRO rate since 11 June 2025"},
}

// Payment reminders, late-payment interest and recurring invoices:
//   - workspaces.reminder_days: the reminder levels, as days after the due
//     date ([3, 10, 20] by default); reminders_enabled turns them on (new
//     workspaces: on; workspaces that exist before this migration: off, so
//     that an upgrade emails nobody's clients unasked);
//     late_payment_from_level: the level from which late-payment interest
//     and compensation are claimed, 0 for never;
//   - invoices.reminders_stopped: no more reminders for this invoice (a
//     writer may change it on an issued invoice); reminder_level: the last
//     level sent (server-owned);
//   - reference_rates: the reference rate of each half-year, managed by
//     superusers, read by signed-in users;
//   - recurring_invoices: an invoice to create on a schedule; invoices keep
//     the recurring invoice and period they were created for, unique
//     together, so that each period has one invoice whatever happens.
func init() {
	m.Register(func(app core.App) error {
		workspaces, err := app.FindCollectionByNameOrId("workspaces")
		if err != nil {
			return err
		}
		workspaces.Fields.Add(
			&core.JSONField{Name: "reminder_days", MaxSize: 200},
			&core.BoolField{Name: "reminders_enabled"},
			&core.NumberField{Name: "late_payment_from_level", OnlyInt: true, Min: types.Pointer(0.0), Max: types.Pointer(5.0)},
		)
		if err := app.Save(workspaces); err != nil {
			return err
		}
		if _, err := app.DB().NewQuery(`UPDATE workspaces SET reminder_days = '[3,10,20]', reminders_enabled = FALSE, late_payment_from_level = 0`).Execute(); err != nil {
			return err
		}

		rates := core.NewBaseCollection("reference_rates")
		rates.Fields.Add(
			&core.TextField{Name: "period", Required: true, Pattern: `^[0-9]{4}-H[12]$`, Presentable: true},
			&core.TextField{Name: "rate", Required: true, Max: 10},
			&core.TextField{Name: "source", Max: 300},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		rates.AddIndex("idx_reference_rates_period", true, "period", "")
		rates.ListRule = types.Pointer(signedIn)
		rates.ViewRule = types.Pointer(signedIn)
		if err := app.Save(rates); err != nil {
			return err
		}
		for _, r := range referenceRates {
			record := core.NewRecord(rates)
			record.Set("period", r.period)
			record.Set("rate", r.rate)
			record.Set("source", r.source)
			if err := app.Save(record); err != nil {
				return err
			}
		}

		clients, err := app.FindCollectionByNameOrId("clients")
		if err != nil {
			return err
		}
		series, err := app.FindCollectionByNameOrId("series")
		if err != nil {
			return err
		}
		recurring := core.NewBaseCollection("recurring_invoices")
		recurring.Fields.Add(
			&core.RelationField{Name: "workspace", CollectionId: workspaces.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.RelationField{Name: "client", CollectionId: clients.Id, MaxSelect: 1, Required: true},
			&core.RelationField{Name: "series", CollectionId: series.Id, MaxSelect: 1},
			&core.TextField{Name: "name", Required: true, Max: 200, Presentable: true},
			&core.JSONField{Name: "lines", MaxSize: 2 << 20},
			&core.TextField{Name: "currency", Max: 3},
			&core.TextField{Name: "notes", Max: 5000},
			&core.TextField{Name: "buyer_reference", Max: 200},
			&core.TextField{Name: "schedule", Required: true, Max: 200},
			&core.TextField{Name: "start_date", Required: true, Max: 10},
			&core.TextField{Name: "end_date", Max: 10},
			&core.SelectField{Name: "mode", Values: []string{"draft", "issue", "issue_and_send"}, MaxSelect: 1, Required: true},
			&core.BoolField{Name: "active"},
			&core.DateField{Name: "next_run"},
			&core.TextField{Name: "last_period", Max: 30},
			&core.TextField{Name: "last_error", Max: 1000},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		recurring.AddIndex("idx_recurring_invoices_workspace", false, "workspace, name", "")
		recurring.AddIndex("idx_recurring_invoices_due", false, "active, next_run", "")
		recurring.ListRule = types.Pointer(ruleMember)
		recurring.ViewRule = types.Pointer(ruleMember)
		recurring.CreateRule = types.Pointer(ruleWriter)
		recurring.UpdateRule = types.Pointer(ruleWriter)
		recurring.DeleteRule = types.Pointer(ruleWriter)
		if err := app.Save(recurring); err != nil {
			return err
		}

		invoices, err := app.FindCollectionByNameOrId("invoices")
		if err != nil {
			return err
		}
		invoices.Fields.Add(
			&core.BoolField{Name: "reminders_stopped"},
			&core.NumberField{Name: "reminder_level", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.RelationField{Name: "recurring", CollectionId: recurring.Id, MaxSelect: 1},
			&core.TextField{Name: "recurring_period", Max: 30},
		)
		// one invoice per recurring invoice and period, whatever runs
		// concurrently or stops half-way
		invoices.AddIndex("idx_invoices_recurring_period", true, "recurring, recurring_period", "recurring != ''")
		return app.Save(invoices)
	}, func(app core.App) error {
		invoices, err := app.FindCollectionByNameOrId("invoices")
		if err != nil {
			return err
		}
		invoices.RemoveIndex("idx_invoices_recurring_period")
		for _, f := range []string{"reminders_stopped", "reminder_level", "recurring", "recurring_period"} {
			invoices.Fields.RemoveByName(f)
		}
		if err := app.Save(invoices); err != nil {
			return err
		}
		if err := deleteCollections(app, "recurring_invoices", "reference_rates"); err != nil {
			return err
		}
		workspaces, err := app.FindCollectionByNameOrId("workspaces")
		if err != nil {
			return err
		}
		for _, f := range []string{"reminder_days", "reminders_enabled", "late_payment_from_level"} {
			workspaces.Fields.RemoveByName(f)
		}
		return app.Save(workspaces)
	})
}
