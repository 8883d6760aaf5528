package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// The sales pipeline (hooks/crm):
//   - pipeline_stages: a workspace's ordered deal stages, each with a win
//     probability and a kind (open, won, lost); every workspace gets the
//     defaults new, qualified, proposal, negotiation, won, lost. Admins
//     edit them;
//   - companies and contacts: the people sold to. A lead is a contact with
//     status "lead"; converting it fills contacts.client and
//     companies.client with the clients row made from them. The score,
//     unsubscribe and activity fields of contacts are the server's;
//   - deals: what is being sold, in a stage; status, won_at and lost_at
//     follow the stage and are the server's;
//   - activities: notes, calls, emails, meetings and tasks on a contact,
//     a company or a deal; author and done_at are the server's;
//   - proposals.deal turns from an id-shaped text into a relation to deals
//     (values naming an existing deal are kept); invoices.deal is new;
//   - workspaces.deal_won_on_signature (signing a proposal wins its deal;
//     on) and workspaces.sequence_daily_limit (sequence emails a day; 200).
func init() {
	m.Register(func(app core.App) error {
		workspaces, err := app.FindCollectionByNameOrId("workspaces")
		if err != nil {
			return err
		}
		workspaces.Fields.Add(
			&core.BoolField{Name: "deal_won_on_signature"},
			&core.NumberField{Name: "sequence_daily_limit", OnlyInt: true, Min: types.Pointer(1.0), Max: types.Pointer(10000.0)},
		)
		if err := app.Save(workspaces); err != nil {
			return err
		}
		if _, err := app.DB().NewQuery(`UPDATE workspaces SET deal_won_on_signature = TRUE, sequence_daily_limit = 200`).Execute(); err != nil {
			return err
		}

		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		clients, err := app.FindCollectionByNameOrId("clients")
		if err != nil {
			return err
		}
		owner := func() *core.RelationField {
			return &core.RelationField{Name: "owner", CollectionId: users.Id, MaxSelect: 1}
		}
		client := func() *core.RelationField {
			return &core.RelationField{Name: "client", CollectionId: clients.Id, MaxSelect: 1}
		}
		writable := func(c *core.Collection) {
			c.ListRule = types.Pointer(ruleMember)
			c.ViewRule = types.Pointer(ruleMember)
			c.CreateRule = types.Pointer(ruleWriter)
			c.UpdateRule = types.Pointer(ruleWriter)
			c.DeleteRule = types.Pointer(ruleWriter)
		}

		stages := core.NewBaseCollection("pipeline_stages")
		stages.Fields.Add(
			workspaceRelation(workspaces),
			&core.TextField{Name: "name", Required: true, Min: 1, Max: 60, Presentable: true},
			&core.NumberField{Name: "position", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.NumberField{Name: "probability", OnlyInt: true, Min: types.Pointer(0.0), Max: types.Pointer(100.0)},
			&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: []string{"open", "won", "lost"}},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		stages.AddIndex("idx_pipeline_stages_workspace_position", false, "workspace, position", "")
		stages.ListRule = types.Pointer(ruleMember)
		stages.ViewRule = types.Pointer(ruleMember)
		stages.CreateRule = types.Pointer(ruleAdmin)
		stages.UpdateRule = types.Pointer(ruleAdmin)
		stages.DeleteRule = types.Pointer(ruleAdmin)
		if err := app.Save(stages); err != nil {
			return err
		}
		if _, err := app.DB().NewQuery(`INSERT INTO pipeline_stages (id, workspace, name, position, probability, kind, created, updated)
			SELECT substr(lower(hex(randomblob(8))), 1, 15), w.id, d.name, d.position, d.probability, d.kind,
				strftime('%Y-%m-%d %H:%M:%fZ'), strftime('%Y-%m-%d %H:%M:%fZ')
			FROM workspaces w, (
				SELECT 'new' AS name, 0 AS position, 10 AS probability, 'open' AS kind
				UNION ALL SELECT 'qualified', 1, 25, 'open'
				UNION ALL SELECT 'proposal', 2, 50, 'open'
				UNION ALL SELECT 'negotiation', 3, 75, 'open'
				UNION ALL SELECT 'won', 4, 100, 'won'
				UNION ALL SELECT 'lost', 5, 0, 'lost'
			) d
			WHERE NOT EXISTS (SELECT 1 FROM pipeline_stages s WHERE s.workspace = w.id)`).Execute(); err != nil {
			return err
		}

		companies := core.NewBaseCollection("companies")
		companies.Fields.Add(
			workspaceRelation(workspaces),
			&core.TextField{Name: "name", Required: true, Max: 200, Presentable: true},
			&core.TextField{Name: "domain", Max: 200},
			&core.TextField{Name: "website", Max: 500},
			&core.TextField{Name: "country", Max: 2},
			&core.TextField{Name: "industry", Max: 100},
			&core.NumberField{Name: "employees", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.TextField{Name: "vat_id", Max: 20},
			&core.TextField{Name: "address_line", Max: 300},
			&core.TextField{Name: "city", Max: 100},
			&core.TextField{Name: "postal_code", Max: 20},
			&core.TextField{Name: "notes", Max: 5000},
			owner(),
			// the server's: the clients row once converted
			client(),
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		companies.AddIndex("idx_companies_workspace_name", false, "workspace, name", "")
		writable(companies)
		if err := app.Save(companies); err != nil {
			return err
		}

		contacts := core.NewBaseCollection("contacts")
		contacts.Fields.Add(
			workspaceRelation(workspaces),
			&core.RelationField{Name: "company", CollectionId: companies.Id, MaxSelect: 1},
			&core.TextField{Name: "first_name", Max: 100, Presentable: true},
			&core.TextField{Name: "last_name", Max: 100, Presentable: true},
			&core.EmailField{Name: "email"},
			&core.TextField{Name: "phone", Max: 16},
			&core.TextField{Name: "job_title", Max: 200},
			&core.SelectField{Name: "status", MaxSelect: 1, Values: []string{"lead", "qualified", "customer", "disqualified"}},
			&core.TextField{Name: "source", Max: 100},
			&core.TextField{Name: "country", Max: 2},
			&core.TextField{Name: "timezone", Max: 64},
			&core.SelectField{Name: "language", Values: languages, MaxSelect: 1},
			owner(),
			&core.TextField{Name: "notes", Max: 5000},
			// the server's
			client(),
			&core.BoolField{Name: "unsubscribed"},
			&core.DateField{Name: "unsubscribed_at"},
			&core.NumberField{Name: "score", OnlyInt: true, Min: types.Pointer(0.0), Max: types.Pointer(100.0)},
			&core.SelectField{Name: "score_model", MaxSelect: 1, Values: []string{"rules", "regression"}},
			&core.JSONField{Name: "score_explanation", MaxSize: 65536},
			&core.DateField{Name: "last_activity_at"},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		contacts.AddIndex("idx_contacts_workspace_email", true, "workspace, lower(email)", "email != ''")
		contacts.AddIndex("idx_contacts_workspace_status", false, "workspace, status", "")
		contacts.AddIndex("idx_contacts_company", false, "company", "")
		writable(contacts)
		if err := app.Save(contacts); err != nil {
			return err
		}

		deals := core.NewBaseCollection("deals")
		deals.Fields.Add(
			workspaceRelation(workspaces),
			&core.TextField{Name: "title", Required: true, Max: 200, Presentable: true},
			&core.TextField{Name: "value", Max: 20},
			&core.TextField{Name: "currency", Max: 3},
			&core.RelationField{Name: "stage", CollectionId: stages.Id, MaxSelect: 1, Required: true},
			&core.NumberField{Name: "position"},
			&core.TextField{Name: "expected_close", Max: 10},
			owner(),
			&core.RelationField{Name: "contact", CollectionId: contacts.Id, MaxSelect: 1},
			&core.RelationField{Name: "company", CollectionId: companies.Id, MaxSelect: 1},
			&core.TextField{Name: "close_reason", Max: 500},
			// the server's
			&core.SelectField{Name: "status", MaxSelect: 1, Values: []string{"open", "won", "lost"}},
			&core.DateField{Name: "won_at"},
			&core.DateField{Name: "lost_at"},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		deals.AddIndex("idx_deals_workspace_stage", false, "workspace, stage, position", "")
		deals.AddIndex("idx_deals_workspace_status", false, "workspace, status", "")
		deals.AddIndex("idx_deals_contact", false, "contact", "")
		deals.AddIndex("idx_deals_company", false, "company", "")
		writable(deals)
		if err := app.Save(deals); err != nil {
			return err
		}

		activities := core.NewBaseCollection("activities")
		activities.Fields.Add(
			workspaceRelation(workspaces),
			&core.SelectField{Name: "type", Required: true, MaxSelect: 1, Values: []string{"note", "call", "email", "meeting", "task"}},
			&core.TextField{Name: "subject", Max: 200, Presentable: true},
			&core.TextField{Name: "body", Max: 10000},
			&core.DateField{Name: "occurred_at"},
			&core.TextField{Name: "due", Max: 10},
			&core.BoolField{Name: "done"},
			&core.RelationField{Name: "contact", CollectionId: contacts.Id, MaxSelect: 1, CascadeDelete: true},
			&core.RelationField{Name: "company", CollectionId: companies.Id, MaxSelect: 1, CascadeDelete: true},
			&core.RelationField{Name: "deal", CollectionId: deals.Id, MaxSelect: 1, CascadeDelete: true},
			// the server's
			&core.DateField{Name: "done_at"},
			&core.RelationField{Name: "author", CollectionId: users.Id, MaxSelect: 1},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		activities.AddIndex("idx_activities_contact", false, "contact, occurred_at", "")
		activities.AddIndex("idx_activities_company", false, "company, occurred_at", "")
		activities.AddIndex("idx_activities_deal", false, "deal, occurred_at", "")
		activities.AddIndex("idx_activities_workspace_due", false, "workspace, done, due", "")
		writable(activities)
		if err := app.Save(activities); err != nil {
			return err
		}

		// proposals.deal: from text to a relation, keeping the values that
		// name an existing deal
		proposals, err := app.FindCollectionByNameOrId("proposals")
		if err != nil {
			return err
		}
		proposals.Fields.GetByName("deal").SetName("deal_text")
		if err := app.Save(proposals); err != nil {
			return err
		}
		proposals.Fields.Add(&core.RelationField{Name: "deal", CollectionId: deals.Id, MaxSelect: 1})
		proposals.AddIndex("idx_proposals_deal", false, "deal", "")
		if err := app.Save(proposals); err != nil {
			return err
		}
		if _, err := app.DB().NewQuery(`UPDATE proposals SET deal = deal_text
			WHERE deal_text != '' AND deal_text IN (SELECT id FROM deals)`).Execute(); err != nil {
			return err
		}
		proposals.Fields.RemoveByName("deal_text")
		if err := app.Save(proposals); err != nil {
			return err
		}

		invoices, err := app.FindCollectionByNameOrId("invoices")
		if err != nil {
			return err
		}
		invoices.Fields.Add(&core.RelationField{Name: "deal", CollectionId: deals.Id, MaxSelect: 1})
		invoices.AddIndex("idx_invoices_deal", false, "deal", "")
		return app.Save(invoices)
	}, func(app core.App) error {
		for _, name := range []string{"invoices", "proposals"} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			c.RemoveIndex("idx_" + name + "_deal")
			c.Fields.RemoveByName("deal")
			if name == "proposals" {
				c.Fields.Add(&core.TextField{Name: "deal", Max: 15, Pattern: `^[a-z0-9]*$`})
			}
			if err := app.Save(c); err != nil {
				return err
			}
		}
		if err := deleteCollections(app, "activities", "deals", "contacts", "companies", "pipeline_stages"); err != nil {
			return err
		}
		workspaces, err := app.FindCollectionByNameOrId("workspaces")
		if err != nil {
			return err
		}
		workspaces.Fields.RemoveByName("deal_won_on_signature")
		workspaces.Fields.RemoveByName("sequence_daily_limit")
		return app.Save(workspaces)
	})
}
