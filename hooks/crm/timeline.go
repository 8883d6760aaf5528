package crm

import (
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
)

// timelineLimit is how many entries the timeline returns at most.
const timelineLimit = 500

// timelineRoute is GET /api/kontor/timeline?contact=ID (or company=ID or
// deal=ID): the record's activities and the events of its proposals and
// invoices, newest first. A contact's or company's documents are those of
// its deals and, once converted, of its client.
func timelineRoute(e *core.RequestEvent) error {
	if e.Auth == nil || e.Auth.Collection().Name != "users" {
		return e.UnauthorizedError("Sign in to do this.", nil)
	}
	q := e.Request.URL.Query()
	var field, collection, id string
	for _, f := range []struct{ field, collection string }{{"contact", "contacts"}, {"company", "companies"}, {"deal", "deals"}} {
		if v := q.Get(f.field); v != "" {
			if id != "" {
				return apis.NewBadRequestError("Ask for the timeline of one contact, company or deal at a time.", nil)
			}
			field, collection, id = f.field, f.collection, v
		}
	}
	if id == "" {
		return apis.NewBadRequestError("Say whose timeline: ?contact=ID, ?company=ID or ?deal=ID.", nil)
	}
	record, err := e.App.FindRecordById(collection, id)
	if err != nil {
		return e.NotFoundError("", nil)
	}
	if err := access.Require(e, record.GetString("workspace"), access.Viewer); err != nil {
		return err
	}

	items := activityEntries(e.App, field, id)
	dealFilter := "deal = {:id}"
	if field != "deal" {
		dealFilter = "deal." + field + " = {:id}"
	}
	docFilter := dealFilter
	params := dbx.Params{"id": id}
	if client := record.GetString("client"); client != "" && field != "deal" {
		docFilter = "(" + dealFilter + " || client = {:client})"
		params["client"] = client
	}
	proposals, err := e.App.FindRecordsByFilter("proposals", docFilter, "created", 0, 0, params)
	if err != nil {
		return err
	}
	invoices, err := e.App.FindRecordsByFilter("invoices", docFilter, "created", 0, 0, params)
	if err != nil {
		return err
	}
	items = append(items, proposalEntries(e.App, proposals)...)
	items = append(items, invoiceEntries(e.App, invoices)...)
	sortEntries(items, true)
	if len(items) > timelineLimit {
		items = items[:timelineLimit]
	}
	if items == nil {
		items = []entry{}
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}
