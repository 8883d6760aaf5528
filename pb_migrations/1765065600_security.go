package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Security (hooks/security):
//   - login_failures: each failed sign-in with a password, by account
//     ("users:<id>", "_superusers:<id>", or "?:<identity>" for an unknown
//     one) and client IP; counted over the lockout window, cleared by a
//     successful sign-in, deleted after 14 days. Superusers only.
//   - login_locks: an account+IP pair (scope "account") or a whole IP
//     (scope "ip") refused until a time; lifted by deleting it. Superusers
//     only.
//   - security_events: the security log (locks, lifts), with the full IP,
//     truncated after 14 days. A user reads their own; only the server
//     writes it.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}

		failures := core.NewBaseCollection("login_failures")
		failures.Fields.Add(
			&core.TextField{Name: "account", Required: true, Max: 300},
			&core.TextField{Name: "ip", Required: true, Max: 64},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		failures.AddIndex("idx_login_failures_pair", false, "account, ip, created", "")
		failures.AddIndex("idx_login_failures_ip", false, "ip, created", "")
		if err := app.Save(failures); err != nil {
			return err
		}

		locks := core.NewBaseCollection("login_locks")
		locks.Fields.Add(
			&core.SelectField{Name: "scope", Required: true, MaxSelect: 1, Values: []string{"account", "ip"}},
			&core.TextField{Name: "account", Max: 300},
			&core.RelationField{Name: "user", CollectionId: users.Id, MaxSelect: 1, CascadeDelete: true},
			&core.TextField{Name: "identity", Max: 255, Presentable: true},
			&core.TextField{Name: "ip", Required: true, Max: 64, Presentable: true},
			&core.NumberField{Name: "failures", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.DateField{Name: "until", Required: true},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		locks.AddIndex("idx_login_locks_pair", false, "account, ip, until", "")
		locks.AddIndex("idx_login_locks_ip", false, "scope, ip, until", "")
		if err := app.Save(locks); err != nil {
			return err
		}

		own := types.Pointer(signedIn + ` && user = @request.auth.id`)
		events := core.NewBaseCollection("security_events")
		events.Fields.Add(
			&core.SelectField{Name: "type", Required: true, MaxSelect: 1, Values: []string{"account_locked", "ip_locked", "lock_lifted"}},
			// not cascaded: the log outlives the account, which only unlinks it
			&core.RelationField{Name: "user", CollectionId: users.Id, MaxSelect: 1},
			&core.TextField{Name: "account", Max: 300},
			&core.TextField{Name: "identity", Max: 255},
			&core.TextField{Name: "ip", Max: 64},
			&core.BoolField{Name: "ip_truncated"},
			&core.TextField{Name: "user_agent", Max: 500},
			&core.JSONField{Name: "details", MaxSize: 10000},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		events.AddIndex("idx_security_events_user", false, "user, created", "")
		events.AddIndex("idx_security_events_created", false, "created", "")
		events.ListRule = own
		events.ViewRule = own
		return app.Save(events)
	}, func(app core.App) error {
		if err := deleteCollections(app, "security_events", "login_locks", "login_failures"); err != nil {
			return err
		}
		return nil
	})
}
