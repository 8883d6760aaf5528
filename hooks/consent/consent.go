// Package consent keeps the proof of every cookie decision, stores a visit's
// marketing parameters only as far as that decision allows, keeps the first
// Google click id in a first-party cookie, and lets users see what is kept
// about their attribution and object to it (GDPR art. 21).
//
// Nothing but strictly necessary cookies is set before consent: the banner
// posts each decision to POST /api/kontor/consent (stored in consents,
// append-only), then the visit's landing URL and referrer to
// POST /api/kontor/touchpoints, which re-reads the stored decision, keeps
// only what it allows and is the only place the visitor id (kontor_vid) and
// first-click (kontor_first_gclid) cookies are set. At sign-up the visitor's
// touchpoints are linked to the new user. docs/consent.md is the contract.
package consent

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// BannerTextVersion is the version of the banner's texts shown to the
// visitor; the web UI's banner texts carry the same version. Raise both
// together when the wording changes.
const BannerTextVersion = "2026-11-1"

// The collections.
const (
	Consents    = "consents"
	Touchpoints = "touchpoints"
	Objections  = "attribution_objections"
)

// The cookie categories of the banner.
const (
	Necessary   = "necessary"
	Analytics   = "analytics"
	Advertising = "advertising"
)

// categories lists the category ids in the order they are stored.
var categories = []string{Necessary, Analytics, Advertising}

// Languages are the languages the banner is shown in.
var Languages = []string{"en", "es", "de", "fr", "it"}

// DefaultPurgeSchedule is when anonymous touchpoints older than Retention
// are deleted: daily at 03:30.
const DefaultPurgeSchedule = "30 3 * * *"

// Config tunes the capability; the zero value is the default.
type Config struct {
	// PurgeSchedule is the cron expression of the purge of anonymous
	// touchpoints; empty is DefaultPurgeSchedule.
	PurgeSchedule string
}

// Register binds the consent and touchpoint routes, the attribution
// settings routes, the sign-up linking, the guards that keep the ledger
// append-only and users.attribution_objected server-written, and the daily
// purge of anonymous touchpoints.
func Register(app core.App, cfg Config) {
	if cfg.PurgeSchedule == "" {
		cfg.PurgeSchedule = DefaultPurgeSchedule
	}

	app.OnRecordUpdate(Consents).BindFunc(refuseConsentUpdate)
	app.OnRecordUpdate(Objections).BindFunc(refuseObjectionUpdate)
	app.OnRecordUpdate(Touchpoints).BindFunc(onlyLinkTouchpoint)

	app.OnRecordCreateRequest("users").BindFunc(guardObjectedField)
	app.OnRecordUpdateRequest("users").BindFunc(guardObjectedField)
	// after the guards and any other capability's checks of the request, so
	// that the linking runs in the transaction that creates the user
	app.OnRecordCreateRequest("users").Bind(&hook.Handler[*core.RecordRequestEvent]{Func: linkAtSignUp, Priority: 100})

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/kontor/consent", consentRoute)
		se.Router.POST("/api/kontor/touchpoints", touchpointRoute)
		se.Router.GET("/api/kontor/attribution", attributionRoute)
		se.Router.POST("/api/kontor/attribution/objection", objectionRoute)
		se.App.Logger().Info("Consent: banner text version " + BannerTextVersion + "; anonymous touchpoints purged on \"" + cfg.PurgeSchedule + "\"")
		return se.Next()
	})

	app.Cron().MustAdd("kontor_touchpoints_purge", cfg.PurgeSchedule, func() {
		purgeAndLog(app)
	})
}
