package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// GDPR rights, retention and the access log (hooks/privacy):
//   - privacy_requests: every request a user makes of their rights (access,
//     rectification, erasure, restriction, objection, consent withdrawal)
//     with when it was received, its one-month deadline and when it was
//     completed; an access request's archive is a protected, hidden file
//     served once by GET /api/kontor/privacy/requests/{id}/export. A user
//     reads their own requests, superusers all of them in the dashboard;
//     only the server writes them.
//   - access_log: who read personal data through the API (clients, users,
//     invoices with their buyer, exports), when and which records, never
//     the data itself. The owners of the workspace read it; only the
//     server writes it.
//   - users.restricted: processing restricted (GDPR art. 18), and
//     users.erased_at: when the account was anonymised; server-written.
//   - workspaces.deleted_at, purged_at and legal_hold_until: a workspace
//     its owner deleted while issued invoices are under legal hold stays
//     as a tombstone until their retention ends; server-written.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		users.Fields.Add(
			&core.BoolField{Name: "restricted"},
			&core.DateField{Name: "erased_at"},
		)
		if err := app.Save(users); err != nil {
			return err
		}

		workspaces, err := app.FindCollectionByNameOrId("workspaces")
		if err != nil {
			return err
		}
		workspaces.Fields.Add(
			&core.DateField{Name: "deleted_at"},
			&core.DateField{Name: "purged_at"},
			&core.DateField{Name: "legal_hold_until"},
		)
		workspaces.AddIndex("idx_workspaces_deleted_at", false, "deleted_at", "deleted_at != ''")
		if err := app.Save(workspaces); err != nil {
			return err
		}

		requests := core.NewBaseCollection("privacy_requests")
		requests.Fields.Add(
			// not cascaded: the record of a request outlives the account
			&core.RelationField{Name: "user", CollectionId: users.Id, MaxSelect: 1, Required: true},
			&core.SelectField{Name: "type", Required: true, MaxSelect: 1, Presentable: true,
				Values: []string{"access", "rectification", "erasure", "restriction", "objection", "consent_withdrawal"}},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1,
				Values: []string{"open", "processing", "scheduled", "ready", "completed", "cancelled", "expired", "failed"}},
			&core.TextField{Name: "details", Max: 2000},
			&core.DateField{Name: "received", Required: true},
			&core.DateField{Name: "due", Required: true},
			&core.DateField{Name: "completed"},
			&core.DateField{Name: "erase_after"},
			&core.FileField{Name: "export", MaxSelect: 1, MaxSize: 2 << 30, Protected: true, Hidden: true},
			&core.DateField{Name: "export_expires"},
			&core.DateField{Name: "downloaded_at"},
			&core.TextField{Name: "result", Max: 2000},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		requests.AddIndex("idx_privacy_requests_user", false, "user, created", "")
		requests.AddIndex("idx_privacy_requests_due", false, "status, due", "")
		own := signedIn + ` && user = @request.auth.id`
		requests.ListRule = types.Pointer(own)
		// the archive is served once by its route, never as a record file
		requests.ViewRule = types.Pointer(own + ` && @request.context != "protectedFile"`)
		if err := app.Save(requests); err != nil {
			return err
		}

		log := core.NewBaseCollection("access_log")
		log.Fields.Add(
			&core.RelationField{Name: "workspace", CollectionId: workspaces.Id, MaxSelect: 1, CascadeDelete: true},
			&core.RelationField{Name: "actor", CollectionId: users.Id, MaxSelect: 1},
			&core.SelectField{Name: "actor_kind", Required: true, MaxSelect: 1, Values: []string{"user", "superuser", "guest"}},
			&core.SelectField{Name: "action", Required: true, MaxSelect: 1, Values: []string{"view", "list", "export", "download"}},
			&core.TextField{Name: "collection", Required: true, Max: 100},
			&core.JSONField{Name: "record_ids", MaxSize: 65536},
			&core.RelationField{Name: "subject_user", CollectionId: users.Id, MaxSelect: 1},
			&core.TextField{Name: "ip", Max: 64},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		log.AddIndex("idx_access_log_workspace", false, "workspace, created", "")
		log.AddIndex("idx_access_log_subject", false, "subject_user, created", "")
		ownerOnly := signedIn + ` && workspace.memberships_via_workspace.user ?= @request.auth.id && workspace.memberships_via_workspace.role ?= "owner"`
		log.ListRule = types.Pointer(ownerOnly)
		log.ViewRule = types.Pointer(ownerOnly)
		return app.Save(log)
	}, func(app core.App) error {
		if err := deleteCollections(app, "access_log", "privacy_requests"); err != nil {
			return err
		}
		workspaces, err := app.FindCollectionByNameOrId("workspaces")
		if err != nil {
			return err
		}
		workspaces.RemoveIndex("idx_workspaces_deleted_at")
		for _, f := range []string{"deleted_at", "purged_at", "legal_hold_until"} {
			workspaces.Fields.RemoveByName(f)
		}
		if err := app.Save(workspaces); err != nil {
			return err
		}
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		users.Fields.RemoveByName("restricted")
		users.Fields.RemoveByName("erased_at")
		return app.Save(users)
	})
}
