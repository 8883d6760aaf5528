package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Click-to-call through telephony plugins (hooks/calls):
//   - users.phone: the user's own phone (E.164), rung first when they call
//     a contact;
//   - workspaces.call_recording (off) and workspaces.call_recording_notice
//     (what the contact is told when calls are recorded; empty for the
//     default of the workspace's language);
//   - telephony_accounts: a workspace's account at a telephony provider
//     with its caller id; managed by owners and admins; the settings are
//     sealed, in a hidden field, as for payment_accounts;
//   - calls: every call placed, its legs' statuses, times, duration and
//     the activity that logs it; read by members, written by the server.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		users.Fields.Add(&core.TextField{Name: "phone", Max: 16})
		if err := app.Save(users); err != nil {
			return err
		}
		workspaces, err := app.FindCollectionByNameOrId("workspaces")
		if err != nil {
			return err
		}
		workspaces.Fields.Add(
			&core.BoolField{Name: "call_recording"},
			&core.TextField{Name: "call_recording_notice", Max: 500},
		)
		if err := app.Save(workspaces); err != nil {
			return err
		}
		contacts, err := app.FindCollectionByNameOrId("contacts")
		if err != nil {
			return err
		}
		activities, err := app.FindCollectionByNameOrId("activities")
		if err != nil {
			return err
		}

		accounts := core.NewBaseCollection("telephony_accounts")
		accounts.Fields.Add(
			workspaceRelation(workspaces),
			&core.TextField{Name: "provider", Required: true, Max: 64, Pattern: `^[a-z0-9][a-z0-9-]*$`, Presentable: true},
			&core.TextField{Name: "from", Required: true, Max: 16},
			&core.BoolField{Name: "enabled"},
			&core.TextField{Name: "sealed_settings", Max: 20000, Hidden: true},
			&core.JSONField{Name: "settings_hint", MaxSize: 4096},
			&core.TextField{Name: "webhook_url", Max: 500},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		accounts.AddIndex("idx_telephony_accounts_provider", true, "workspace, provider", "")
		accounts.ListRule = types.Pointer(ruleAdmin)
		accounts.ViewRule = types.Pointer(ruleAdmin)
		accounts.CreateRule = types.Pointer(ruleAdmin)
		accounts.UpdateRule = types.Pointer(ruleAdmin)
		accounts.DeleteRule = types.Pointer(ruleAdmin)
		if err := app.Save(accounts); err != nil {
			return err
		}

		statuses := []string{"initiated", "ringing", "answered", "completed", "busy", "no_answer", "failed", "canceled"}
		calls := core.NewBaseCollection("calls")
		calls.Fields.Add(
			workspaceRelation(workspaces),
			&core.RelationField{Name: "contact", CollectionId: contacts.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.RelationField{Name: "user", CollectionId: users.Id, MaxSelect: 1},
			&core.RelationField{Name: "account", CollectionId: accounts.Id, MaxSelect: 1},
			&core.TextField{Name: "provider", Required: true, Max: 64},
			&core.TextField{Name: "provider_call_id", Max: 255},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: statuses},
			&core.SelectField{Name: "agent_status", MaxSelect: 1, Values: statuses},
			&core.SelectField{Name: "contact_status", MaxSelect: 1, Values: statuses},
			&core.DateField{Name: "started_at"},
			&core.DateField{Name: "answered_at"},
			&core.DateField{Name: "ended_at"},
			&core.NumberField{Name: "duration_seconds", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.BoolField{Name: "recorded"},
			&core.TextField{Name: "recording_url", Max: 1000},
			&core.TextField{Name: "error", Max: 1000},
			&core.RelationField{Name: "activity", CollectionId: activities.Id, MaxSelect: 1},
			&core.JSONField{Name: "handled_events", MaxSize: 65536, Hidden: true},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		calls.AddIndex("idx_calls_provider_call", false, "workspace, provider, provider_call_id", "")
		calls.AddIndex("idx_calls_contact", false, "contact, started_at", "")
		calls.ListRule = types.Pointer(ruleMember)
		calls.ViewRule = types.Pointer(ruleMember)
		return app.Save(calls)
	}, func(app core.App) error {
		if err := deleteCollections(app, "calls", "telephony_accounts"); err != nil {
			return err
		}
		workspaces, err := app.FindCollectionByNameOrId("workspaces")
		if err != nil {
			return err
		}
		workspaces.Fields.RemoveByName("call_recording")
		workspaces.Fields.RemoveByName("call_recording_notice")
		if err := app.Save(workspaces); err != nil {
			return err
		}
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		users.Fields.RemoveByName("phone")
		return app.Save(users)
	})
}
