// Package vies checks clients' VAT numbers with VIES, the European
// Commission's VAT Information Exchange System, through its REST API.
//
// POST /api/kontor/clients/{id}/check-vat asks VIES about the client's VAT
// number, with the workspace's own VAT number as requester so that VIES
// answers with a consultation number. What VIES answers is kept as
// evidence in vat_checks and sets the client's vat_status. When VIES or the
// member state's registry is unavailable, the client is pending and the
// check is retried through the outbox; an unavailable VIES never makes a
// number invalid. VIES is optional: with KONTOR_VIES_URL=off the server
// runs without checks.
package vies

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/outbox"
)

// DefaultURL is the base URL of VIES's REST API.
const DefaultURL = "https://ec.europa.eu/taxation_customs/vies/rest-api"

// Kind is the outbox kind of a check to retry.
const Kind = "vies_check"

// Checks is the collection of the evidence: one record per answer of VIES.
const Checks = "vat_checks"

// The statuses of a client's VAT number (clients.vat_status).
const (
	Unchecked = "unchecked" // not checked since it was entered or changed
	Valid     = "valid"     // VIES confirmed it
	Invalid   = "invalid"   // VIES answered that it is not valid
	Pending   = "pending"   // VIES was unavailable; Kontor checks again
)

// The outcomes of a check (vat_checks.status).
const (
	CheckValid       = "valid"
	CheckInvalid     = "invalid"
	CheckUnavailable = "unavailable" // VIES or the member state could not answer; retried
	CheckError       = "error"       // VIES refused the check; not retried
)

// Config is where VAT numbers are checked.
type Config struct {
	// URL is the base URL of the VIES REST API (KONTOR_VIES_URL), usually
	// DefaultURL; empty turns checks off.
	URL string
}

// checker holds what the route, the outbox handler and the hooks share.
type checker struct {
	app core.App
	api *Client // nil when checks are off
	now func() time.Time
}

// Register binds the VIES check route, the outbox handler that retries
// checks, and the hooks that keep clients' VAT status honest: written only
// by the server, reset when the VAT number changes.
func Register(app core.App, ob *outbox.Worker, cfg Config) {
	v := &checker{app: app, now: time.Now}
	if cfg.URL != "" {
		v.api = NewClient(cfg.URL)
	}

	app.OnRecordCreateRequest("clients").BindFunc(guardClientRequest)
	app.OnRecordUpdateRequest("clients").BindFunc(guardClientRequest)
	app.OnRecordCreate("clients").BindFunc(startUnchecked)
	app.OnRecordUpdate("clients").BindFunc(resetOnNewVATID)
	app.OnRecordAfterUpdateSuccess("clients").BindFunc(refreshDrafts)

	ob.Handle(Kind, v.retry)
	app.OnRecordAfterUpdateSuccess(outbox.Collection).BindFunc(settleGivenUp)

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/kontor/clients/{id}/check-vat", v.route)
		if v.api == nil {
			se.App.Logger().Info("VIES checks are OFF (KONTOR_VIES_URL=off)")
		} else {
			se.App.Logger().Info("VIES checks: on (" + cfg.URL + ")")
		}
		return se.Next()
	})
}
