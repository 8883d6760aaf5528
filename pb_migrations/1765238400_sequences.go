package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Sequences and lead scoring (hooks/crm/sequences, hooks/crm/scoring):
//   - campaigns: a named group of sequences, for their counts;
//   - sequences: automated follow-up emails, sent only inside a window of
//     the contact's day (window_start–window_end, HH:MM), delays in days
//     optionally counted in business days;
//   - sequence_steps: the emails of a sequence in order of position, each
//     after a delay (from the enrolment for the first, from the previous
//     send otherwise), with the subject and body the user wrote;
//   - sequence_enrollments: a contact in a sequence. Written only by the
//     server (the enroll and stop routes, the sending job, replies,
//     unsubscribes, won deals); token_hash (the SHA-256 of the
//     unsubscribe link's secret), token_sealed (that secret, sealed with
//     the server's key, to write it into every email) and reply_key (the
//     reply address's and Message-IDs' key) are hidden. One active
//     enrolment per contact and sequence;
//   - sequence_sends: every email a sequence queued, when, for the daily
//     limit and the counts; read by members, written by the server;
//   - scoring_models: a workspace's lead-scoring regression, trained on its
//     own won and lost deals; read by members, written by the server.
func init() {
	m.Register(func(app core.App) error {
		workspaces, err := app.FindCollectionByNameOrId("workspaces")
		if err != nil {
			return err
		}
		contacts, err := app.FindCollectionByNameOrId("contacts")
		if err != nil {
			return err
		}
		writable := func(c *core.Collection) {
			c.ListRule = types.Pointer(ruleMember)
			c.ViewRule = types.Pointer(ruleMember)
			c.CreateRule = types.Pointer(ruleWriter)
			c.UpdateRule = types.Pointer(ruleWriter)
			c.DeleteRule = types.Pointer(ruleWriter)
		}
		const hhmm = `^$|^([01][0-9]|2[0-3]):[0-5][0-9]$`

		campaigns := core.NewBaseCollection("campaigns")
		campaigns.Fields.Add(
			workspaceRelation(workspaces),
			&core.TextField{Name: "name", Required: true, Max: 200, Presentable: true},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		campaigns.AddIndex("idx_campaigns_workspace", false, "workspace, name", "")
		writable(campaigns)
		if err := app.Save(campaigns); err != nil {
			return err
		}

		sequences := core.NewBaseCollection("sequences")
		sequences.Fields.Add(
			workspaceRelation(workspaces),
			&core.RelationField{Name: "campaign", CollectionId: campaigns.Id, MaxSelect: 1},
			&core.TextField{Name: "name", Required: true, Max: 200, Presentable: true},
			&core.BoolField{Name: "active"},
			&core.BoolField{Name: "business_days"},
			&core.TextField{Name: "window_start", Max: 5, Pattern: hhmm},
			&core.TextField{Name: "window_end", Max: 5, Pattern: hhmm},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		sequences.AddIndex("idx_sequences_workspace", false, "workspace, name", "")
		sequences.AddIndex("idx_sequences_campaign", false, "campaign", "")
		writable(sequences)
		if err := app.Save(sequences); err != nil {
			return err
		}

		steps := core.NewBaseCollection("sequence_steps")
		steps.Fields.Add(
			workspaceRelation(workspaces),
			&core.RelationField{Name: "sequence", CollectionId: sequences.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.NumberField{Name: "position", OnlyInt: true, Min: types.Pointer(0.0), Max: types.Pointer(1000.0)},
			&core.NumberField{Name: "delay_days", OnlyInt: true, Min: types.Pointer(0.0), Max: types.Pointer(365.0)},
			&core.NumberField{Name: "delay_hours", OnlyInt: true, Min: types.Pointer(0.0), Max: types.Pointer(8760.0)},
			&core.TextField{Name: "subject", Required: true, Max: 200, Presentable: true},
			&core.TextField{Name: "body", Required: true, Max: 20000},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		steps.AddIndex("idx_sequence_steps_sequence", true, "sequence, position", "")
		writable(steps)
		if err := app.Save(steps); err != nil {
			return err
		}

		enrollments := core.NewBaseCollection("sequence_enrollments")
		enrollments.Fields.Add(
			workspaceRelation(workspaces),
			&core.RelationField{Name: "sequence", CollectionId: sequences.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.RelationField{Name: "contact", CollectionId: contacts.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1,
				Values: []string{"active", "completed", "replied", "unsubscribed", "won", "stopped"}},
			&core.NumberField{Name: "next_step", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.DateField{Name: "next_send_at"},
			&core.DateField{Name: "last_sent_at"},
			&core.NumberField{Name: "sent_count", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.DateField{Name: "stopped_at"},
			&core.TextField{Name: "stop_reason", Max: 300},
			&core.TextField{Name: "token_hash", Max: 64, Required: true, Hidden: true},
			&core.TextField{Name: "token_sealed", Max: 500, Required: true, Hidden: true},
			&core.TextField{Name: "reply_key", Max: 64, Required: true, Hidden: true},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		enrollments.AddIndex("idx_sequence_enrollments_active", true, "sequence, contact", "status = 'active'")
		enrollments.AddIndex("idx_sequence_enrollments_due", false, "status, next_send_at", "")
		enrollments.AddIndex("idx_sequence_enrollments_contact", false, "contact, status", "")
		enrollments.AddIndex("idx_sequence_enrollments_token", true, "token_hash", "")
		enrollments.AddIndex("idx_sequence_enrollments_reply", true, "reply_key", "")
		enrollments.ListRule = types.Pointer(ruleMember)
		enrollments.ViewRule = types.Pointer(ruleMember)
		if err := app.Save(enrollments); err != nil {
			return err
		}

		sends := core.NewBaseCollection("sequence_sends")
		sends.Fields.Add(
			workspaceRelation(workspaces),
			&core.RelationField{Name: "enrollment", CollectionId: enrollments.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.RelationField{Name: "sequence", CollectionId: sequences.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.RelationField{Name: "contact", CollectionId: contacts.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.NumberField{Name: "position", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.TextField{Name: "subject", Max: 300},
			&core.DateField{Name: "sent_at", Required: true},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		sends.AddIndex("idx_sequence_sends_workspace_day", false, "workspace, sent_at", "")
		sends.AddIndex("idx_sequence_sends_sequence", false, "sequence", "")
		sends.ListRule = types.Pointer(ruleMember)
		sends.ViewRule = types.Pointer(ruleMember)
		if err := app.Save(sends); err != nil {
			return err
		}

		models := core.NewBaseCollection("scoring_models")
		models.Fields.Add(
			workspaceRelation(workspaces),
			&core.JSONField{Name: "model", MaxSize: 65536},
			&core.NumberField{Name: "samples", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.DateField{Name: "trained_at"},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		models.AddIndex("idx_scoring_models_workspace", true, "workspace", "")
		models.ListRule = types.Pointer(ruleMember)
		models.ViewRule = types.Pointer(ruleMember)
		return app.Save(models)
	}, func(app core.App) error {
		if err := deleteCollections(app, "scoring_models", "sequence_sends", "sequence_enrollments", "sequence_steps", "sequences", "campaigns"); err != nil {
			return err
		}
		return nil
	})
}
