package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Consent and attribution (hooks/consent):
//   - consents: the proof of every cookie decision of a browser, append-only:
//     the banner's consent id, the categories accepted and rejected, the
//     banner's revision and text version, the language, a truncated IP, the
//     user agent and the user when signed in. A user reads their own rows;
//     only the server writes them.
//   - touchpoints: a visit's marketing parameters, as far as the consent
//     allows, against a pseudonymous visitor id; linked to the user at
//     sign-up and deleted with them; anonymous ones are purged after 90
//     days. A user reads their own; only the server writes them.
//   - attribution_objections: every objection (GDPR art. 21) and its
//     withdrawal, append-only; a user reads their own.
//   - users.attribution_objected mirrors the last objection;
//     users.first_gclid and users.ga_client_id, filled at sign-up from
//     cookies, are hidden: only the server reads them.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		users.Fields.Add(
			&core.BoolField{Name: "attribution_objected"},
			&core.TextField{Name: "first_gclid", Max: 512, Hidden: true},
			&core.TextField{Name: "ga_client_id", Max: 64, Hidden: true},
		)
		if err := app.Save(users); err != nil {
			return err
		}

		categories := []string{"necessary", "analytics", "advertising"}
		own := types.Pointer(signedIn + ` && user = @request.auth.id`)

		consents := core.NewBaseCollection("consents")
		consents.Fields.Add(
			&core.TextField{Name: "consent_id", Required: true, Min: 8, Max: 64, Pattern: `^[A-Za-z0-9-]+$`, Presentable: true},
			// not required and not cascaded: the proof outlives the account,
			// which only unlinks it
			&core.RelationField{Name: "user", CollectionId: users.Id, MaxSelect: 1},
			&core.SelectField{Name: "accepted", Required: true, MaxSelect: len(categories), Values: categories},
			&core.SelectField{Name: "rejected", MaxSelect: len(categories), Values: categories},
			&core.NumberField{Name: "revision", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.TextField{Name: "text_version", Required: true, Max: 50},
			&core.SelectField{Name: "language", Required: true, MaxSelect: 1, Values: languages},
			&core.TextField{Name: "ip", Max: 64},
			&core.TextField{Name: "user_agent", Max: 500},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		consents.AddIndex("idx_consents_consent_id", false, "consent_id, created", "")
		consents.AddIndex("idx_consents_user", false, "user, created", "")
		consents.ListRule = own
		consents.ViewRule = own
		if err := app.Save(consents); err != nil {
			return err
		}

		text := func(name string, max int) *core.TextField { return &core.TextField{Name: name, Max: max} }
		touchpoints := core.NewBaseCollection("touchpoints")
		touchpoints.Fields.Add(
			&core.TextField{Name: "visitor_id", Required: true, Max: 64},
			&core.TextField{Name: "consent_id", Required: true, Max: 64},
			&core.RelationField{Name: "user", CollectionId: users.Id, MaxSelect: 1, CascadeDelete: true},
			text("utm_source", 500), text("utm_medium", 500), text("utm_campaign", 500),
			text("utm_content", 500), text("utm_term", 500),
			text("gclid", 512), text("fbclid", 512), text("msclkid", 512), text("ttclid", 512), text("li_fat_id", 512),
			text("referrer_url", 2000), text("referrer_host", 255), text("landing_page", 2000),
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		touchpoints.AddIndex("idx_touchpoints_visitor", false, "visitor_id, created", "")
		touchpoints.AddIndex("idx_touchpoints_user", false, "user, created", "")
		touchpoints.AddIndex("idx_touchpoints_consent", false, "consent_id", "")
		touchpoints.ListRule = own
		touchpoints.ViewRule = own
		if err := app.Save(touchpoints); err != nil {
			return err
		}

		objections := core.NewBaseCollection("attribution_objections")
		objections.Fields.Add(
			&core.RelationField{Name: "user", CollectionId: users.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.BoolField{Name: "objected"},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		objections.AddIndex("idx_attribution_objections_user", false, "user, created", "")
		objections.ListRule = own
		objections.ViewRule = own
		return app.Save(objections)
	}, func(app core.App) error {
		if err := deleteCollections(app, "attribution_objections", "touchpoints", "consents"); err != nil {
			return err
		}
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		users.Fields.RemoveByName("attribution_objected")
		users.Fields.RemoveByName("first_gclid")
		users.Fields.RemoveByName("ga_client_id")
		return app.Save(users)
	})
}
