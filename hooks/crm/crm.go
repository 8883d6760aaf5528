// Package crm binds the rules of the sales pipeline: companies, contacts
// (leads), deals in a workspace's pipeline stages, activities, the lead →
// client conversion, the deal chain (deal → proposals → invoices), CSV
// import and export, and the insights of the dashboard.
//
// Routes:
//
//	POST /api/kontor/contacts/{id}/convert  a lead becomes a client
//	GET  /api/kontor/deals/{id}/chain       a deal with its proposals, invoices and their events
//	GET  /api/kontor/timeline               activities and events of a contact, company or deal
//	POST /api/kontor/crm/import             CSV of contacts or companies, dry run or for real
//	GET  /api/kontor/crm/export             CSV of contacts, companies or deals
//	GET  /api/kontor/insights               revenue, DSO, overdue, pipeline, win rate
//
// docs/crm.md describes the collections and routes in full.
package crm

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// The import limits when Config leaves them zero.
const (
	DefaultMaxImportBytes = 5 << 20
	DefaultMaxImportRows  = 10000
)

// Config is what the CRM needs from the rest of Kontor.
type Config struct {
	// MaxImportBytes is the largest CSV file the import takes; zero is
	// DefaultMaxImportBytes.
	MaxImportBytes int64
	// MaxImportRows is the most data rows a CSV file may have; zero is
	// DefaultMaxImportRows.
	MaxImportRows int
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

// crm holds what the hooks and routes share.
type crm struct {
	cfg Config
}

// now is the time of the configured clock.
func (c *crm) now() time.Time {
	if c.cfg.Now != nil {
		return c.cfg.Now()
	}
	return time.Now()
}

// Register binds the CRM hooks and routes.
func Register(app core.App, cfg Config) {
	if cfg.MaxImportBytes <= 0 {
		cfg.MaxImportBytes = DefaultMaxImportBytes
	}
	if cfg.MaxImportRows <= 0 {
		cfg.MaxImportRows = DefaultMaxImportRows
	}
	c := &crm{cfg: cfg}

	// workspaces: the pipeline settings and the default stages
	app.OnRecordCreateRequest("workspaces").BindFunc(workspaceDefaults)
	app.OnRecordCreate("workspaces").BindFunc(createDefaultStages)
	app.OnRecordCreate("workspaces").BindFunc(checkWorkspaceSettings)
	app.OnRecordUpdate("workspaces").BindFunc(checkWorkspaceSettings)

	// the server's fields, refused in request bodies
	for collection := range serverFields {
		app.OnRecordCreateRequest(collection).BindFunc(guardRequest)
		app.OnRecordUpdateRequest(collection).BindFunc(guardRequest)
	}

	app.OnRecordCreate("pipeline_stages").BindFunc(saveStage)
	app.OnRecordUpdate("pipeline_stages").BindFunc(saveStage)
	app.OnRecordDeleteRequest("pipeline_stages").BindFunc(guardStageDelete)

	app.OnRecordCreate("companies").BindFunc(saveCompany)
	app.OnRecordUpdate("companies").BindFunc(saveCompany)
	app.OnRecordCreate("contacts").BindFunc(saveContact)
	app.OnRecordUpdate("contacts").BindFunc(saveContact)

	app.OnRecordCreate("deals").BindFunc(c.saveDeal)
	app.OnRecordUpdate("deals").BindFunc(c.saveDeal)
	app.OnRecordDeleteRequest("deals").BindFunc(guardDealDelete)
	app.OnRecordDelete("deals").BindFunc(unlinkWhenWorkspaceGone)

	app.OnRecordCreateRequest("activities").BindFunc(setAuthor)
	app.OnRecordCreate("activities").BindFunc(c.saveActivity)
	app.OnRecordUpdate("activities").BindFunc(c.saveActivity)

	// the deal of proposals and invoices stays in their workspace
	for _, collection := range []string{"proposals", "invoices"} {
		app.OnRecordCreate(collection).BindFunc(checkDealLink)
		app.OnRecordUpdate(collection).BindFunc(checkDealLink)
	}
	// signing a proposal wins its deal
	app.OnRecordCreate("proposal_events").BindFunc(c.winOnSignature)

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/kontor")
		g.POST("/contacts/{id}/convert", convertRoute)
		g.GET("/deals/{id}/chain", chainRoute)
		g.GET("/timeline", timelineRoute)
		g.POST("/crm/import", c.importRoute)
		g.GET("/crm/export", exportRoute)
		g.GET("/insights", c.insightsRoute)
		return se.Next()
	})
}
