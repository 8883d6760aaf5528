package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Proposals and their signature evidence (hooks/proposals):
//   - series.document_type gains "proposal", and every workspace a default
//     proposal series QUO;
//   - proposals: the quote a buyer signs online. Its content (title, intro,
//     terms, lines, validity, client) is edited by members until it is
//     signed; everything else is written by the server;
//   - proposal_versions: what each send froze (the snapshot and its
//     SHA-256) and the hash of its public token; read by members, the token
//     hash hidden from every API response; written only by the server;
//   - proposal_events: the append-only audit trail, each event chained to
//     the previous one by hash; read by members, written only by the server.
func init() {
	m.Register(func(app core.App) error {
		series, err := app.FindCollectionByNameOrId("series")
		if err != nil {
			return err
		}
		series.Fields.GetByName("document_type").(*core.SelectField).Values = []string{"invoice", "credit_note", "proposal"}
		if err := app.Save(series); err != nil {
			return err
		}
		if _, err := app.DB().NewQuery(`INSERT INTO series (id, workspace, code, document_type, pattern, yearly_reset, "default", created, updated)
			SELECT substr(lower(hex(randomblob(8))), 1, 15), w.id, 'QUO', 'proposal', '{code}-{yyyy}-{seq:4}', TRUE, TRUE,
				strftime('%Y-%m-%d %H:%M:%fZ'), strftime('%Y-%m-%d %H:%M:%fZ')
			FROM workspaces w
			WHERE NOT EXISTS (SELECT 1 FROM series s WHERE s.workspace = w.id AND s.document_type = 'proposal')
				AND NOT EXISTS (SELECT 1 FROM series s WHERE s.workspace = w.id AND s.code = 'QUO')`).Execute(); err != nil {
			return err
		}

		workspaces, err := app.FindCollectionByNameOrId("workspaces")
		if err != nil {
			return err
		}
		clients, err := app.FindCollectionByNameOrId("clients")
		if err != nil {
			return err
		}
		invoices, err := app.FindCollectionByNameOrId("invoices")
		if err != nil {
			return err
		}
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}

		proposals := core.NewBaseCollection("proposals")
		proposals.Fields.Add(
			workspaceRelation(workspaces),
			&core.RelationField{Name: "client", CollectionId: clients.Id, MaxSelect: 1},
			// the deal of the sales pipeline, once it exists
			&core.TextField{Name: "deal", Max: 15, Pattern: `^[a-z0-9]*$`},
			&core.RelationField{Name: "series", CollectionId: series.Id, MaxSelect: 1},
			&core.TextField{Name: "number", Max: 100, Presentable: true},
			&core.TextField{Name: "title", Max: 300, Presentable: true},
			&core.TextField{Name: "intro", Max: 20000},
			&core.TextField{Name: "terms", Max: 20000},
			&core.JSONField{Name: "lines", MaxSize: 2 << 20},
			&core.TextField{Name: "valid_until", Max: 10},
			&core.TextField{Name: "currency", Max: 3},
			&core.SelectField{Name: "language", Values: languages, MaxSelect: 1},
			&core.SelectField{Name: "status", Values: []string{"draft", "sent", "viewed", "signed", "declined", "expired"}, MaxSelect: 1},
			&core.JSONField{Name: "totals", MaxSize: 4096},
			&core.JSONField{Name: "vat_breakdown", MaxSize: 65536},
			&core.RelationField{Name: "created_by", CollectionId: users.Id, MaxSelect: 1},
			// the server's fields
			&core.NumberField{Name: "version", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.TextField{Name: "document_hash", Max: 64},
			&core.BoolField{Name: "changed_since_sent"},
			&core.DateField{Name: "sent_at"},
			&core.DateField{Name: "viewed_at"},
			&core.DateField{Name: "signed_at"},
			&core.TextField{Name: "signer_name", Max: 200},
			&core.TextField{Name: "signer_email", Max: 254},
			&core.DateField{Name: "declined_at"},
			&core.TextField{Name: "decline_reason", Max: 2000},
			&core.DateField{Name: "expired_at"},
			&core.RelationField{Name: "converted_invoice", CollectionId: invoices.Id, MaxSelect: 1},
			&core.TextField{Name: "chain_head", Max: 64},
			&core.NumberField{Name: "event_count", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.FileField{Name: "signature", MaxSelect: 1, MaxSize: 512 << 10, MimeTypes: []string{"image/png"}, Protected: true},
			&core.FileField{Name: "signed_pdf", MaxSelect: 1, MaxSize: 20 << 20, MimeTypes: []string{"application/pdf"}, Protected: true},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		proposals.AddIndex("idx_proposals_workspace_number", true, "workspace, number", "number != ''")
		proposals.AddIndex("idx_proposals_workspace_status", false, "workspace, status", "")
		proposals.AddIndex("idx_proposals_status_valid_until", false, "status, valid_until", "")
		proposals.ListRule = types.Pointer(ruleMember)
		proposals.ViewRule = types.Pointer(ruleMember)
		proposals.CreateRule = types.Pointer(ruleWriter)
		proposals.UpdateRule = types.Pointer(ruleWriter)
		proposals.DeleteRule = types.Pointer(ruleWriter)
		if err := app.Save(proposals); err != nil {
			return err
		}

		versions := core.NewBaseCollection("proposal_versions")
		versions.Fields.Add(
			workspaceRelation(workspaces),
			&core.RelationField{Name: "proposal", CollectionId: proposals.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.NumberField{Name: "version", OnlyInt: true, Min: types.Pointer(1.0), Required: true},
			&core.JSONField{Name: "snapshot", MaxSize: 4 << 20},
			&core.TextField{Name: "document_hash", Max: 64, Required: true},
			&core.TextField{Name: "token_hash", Max: 64, Required: true, Hidden: true},
			&core.DateField{Name: "sent_at"},
			&core.DateField{Name: "superseded_at"},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		versions.AddIndex("idx_proposal_versions_version", true, "proposal, version", "")
		versions.AddIndex("idx_proposal_versions_token", true, "token_hash", "")
		versions.ListRule = types.Pointer(ruleMember)
		versions.ViewRule = types.Pointer(ruleMember)
		if err := app.Save(versions); err != nil {
			return err
		}

		events := core.NewBaseCollection("proposal_events")
		events.Fields.Add(
			workspaceRelation(workspaces),
			&core.RelationField{Name: "proposal", CollectionId: proposals.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.NumberField{Name: "seq", OnlyInt: true, Min: types.Pointer(1.0), Required: true},
			&core.SelectField{Name: "type", Required: true, MaxSelect: 1, Values: []string{"created", "sent", "opened", "signed", "declined", "expired", "converted"}},
			// RFC 3339 with nanoseconds, UTC: hashed as written
			&core.TextField{Name: "at", Required: true, Max: 40},
			&core.TextField{Name: "ip", Max: 64},
			&core.TextField{Name: "user_agent", Max: 1000},
			&core.TextField{Name: "actor", Max: 300},
			&core.TextField{Name: "actor_email", Max: 254},
			&core.TextField{Name: "actor_user", Max: 15},
			&core.NumberField{Name: "version", OnlyInt: true},
			&core.TextField{Name: "document_hash", Max: 64},
			&core.JSONField{Name: "details", MaxSize: 65536},
			&core.TextField{Name: "prev_hash", Max: 64},
			&core.TextField{Name: "hash", Max: 64, Required: true},
		)
		events.AddIndex("idx_proposal_events_seq", true, "proposal, seq", "")
		events.ListRule = types.Pointer(ruleMember)
		events.ViewRule = types.Pointer(ruleMember)
		return app.Save(events)
	}, func(app core.App) error {
		if err := deleteCollections(app, "proposal_events", "proposal_versions", "proposals"); err != nil {
			return err
		}
		if _, err := app.DB().NewQuery("DELETE FROM series WHERE document_type = 'proposal'").Execute(); err != nil {
			return err
		}
		series, err := app.FindCollectionByNameOrId("series")
		if err != nil {
			return err
		}
		series.Fields.GetByName("document_type").(*core.SelectField).Values = []string{"invoice", "credit_note"}
		return app.Save(series)
	})
}
