package privacy

import (
	"slices"
	"sort"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	pbtypes "github.com/pocketbase/pocketbase/tools/types"

	"github.com/kontor-app/kontor/ipaddr"
)

// loggedCollections hold personal data whose every read through the
// record API is logged: the clients (buyers), the users, and the invoices
// with their buyer.
var loggedCollections = []string{"clients", "users", "invoices"}

// maxLoggedIDs caps the record ids one entry keeps; a longer list is
// still one entry, with its first ids.
const maxLoggedIDs = 500

// The actions of the access log.
const (
	ActionView     = "view"
	ActionList     = "list"
	ActionDownload = "download"
	// ActionAssistantTool is a tool of the assistant reading or writing
	// records for the user.
	ActionAssistantTool = "assistant_tool"
	// ActionAssistantSent is data of the records sent to the assistant's
	// LLM provider.
	ActionAssistantSent = "assistant_sent"
)

// LogAccess writes one entry of the access log: the request's user (or
// superuser, or guest) did the action on the records of the collection,
// in the workspace. Capabilities that read personal data outside the
// record API (the assistant's tools) log through it.
func LogAccess(e *core.RequestEvent, action, collection, workspace string, ids []string) error {
	if ids == nil {
		ids = []string{}
	}
	return writeEntry(e, action, collection, workspace, "", ids)
}

// bindAccessLog logs every view and list of the logged collections, once
// the request passed the collection's rules and before the answer is
// written: a read that cannot be logged is not answered. Records expanded
// into the answer from a logged collection (an invoice's client) are
// logged too.
func bindAccessLog(app core.App) {
	app.OnRecordViewRequest(loggedCollections...).BindFunc(func(e *core.RecordRequestEvent) error {
		if err := logRead(e.RequestEvent, ActionView, e.Collection.Name, []*core.Record{e.Record}); err != nil {
			return e.InternalServerError("", err)
		}
		if err := e.Next(); err != nil {
			return err
		}
		logExpanded(e.RequestEvent, []*core.Record{e.Record})
		return nil
	})
	app.OnRecordsListRequest(loggedCollections...).BindFunc(func(e *core.RecordsListRequestEvent) error {
		if err := logRead(e.RequestEvent, ActionList, e.Collection.Name, e.Records); err != nil {
			return e.InternalServerError("", err)
		}
		if err := e.Next(); err != nil {
			return err
		}
		logExpanded(e.RequestEvent, e.Records)
		return nil
	})
}

// logExpanded logs the records of logged collections expanded into an
// answer; a failure is reported in the app's log, the answer being sent.
func logExpanded(e *core.RequestEvent, records []*core.Record) {
	byCollection := map[string][]*core.Record{}
	for _, r := range records {
		for _, rel := range r.Expand() {
			var list []*core.Record
			switch x := rel.(type) {
			case *core.Record:
				list = []*core.Record{x}
			case []*core.Record:
				list = x
			}
			for _, x := range list {
				if name := x.Collection().Name; slices.Contains(loggedCollections, name) {
					byCollection[name] = append(byCollection[name], x)
				}
			}
		}
	}
	for name, list := range byCollection {
		if err := logRead(e, ActionView, name, list); err != nil {
			e.App.Logger().Error("Access log: could not log an expanded read", "collection", name, "error", err.Error())
		}
	}
}

// logRead writes who read which records of a collection: one entry per
// workspace the records belong to, and for users one per person read
// other than the reader themself.
func logRead(e *core.RequestEvent, action, collection string, records []*core.Record) error {
	if len(records) == 0 {
		return nil
	}
	if collection == "users" {
		for _, u := range records {
			if e.Auth != nil && e.Auth.Id == u.Id {
				continue
			}
			if err := writeEntry(e, action, collection, sharedWorkspace(e, u.Id), u.Id, []string{u.Id}); err != nil {
				return err
			}
		}
		return nil
	}
	byWorkspace := map[string][]string{}
	for _, r := range records {
		ws := r.GetString("workspace")
		byWorkspace[ws] = append(byWorkspace[ws], r.Id)
	}
	workspaces := make([]string, 0, len(byWorkspace))
	for ws := range byWorkspace {
		workspaces = append(workspaces, ws)
	}
	sort.Strings(workspaces)
	for _, ws := range workspaces {
		if err := writeEntry(e, action, collection, ws, "", byWorkspace[ws]); err != nil {
			return err
		}
	}
	return nil
}

// sharedWorkspace is a workspace the reader shares with the user read, so
// that the read shows in that workspace's log; "" when none.
func sharedWorkspace(e *core.RequestEvent, userID string) string {
	if e.Auth == nil || e.Auth.Collection().Name != "users" {
		return ""
	}
	var ws string
	_ = e.App.DB().NewQuery(`SELECT a.workspace FROM memberships a JOIN memberships b ON a.workspace = b.workspace
		WHERE a.user = {:reader} AND b.user = {:read} ORDER BY a.workspace LIMIT 1`).
		Bind(dbx.Params{"reader": e.Auth.Id, "read": userID}).Row(&ws)
	return ws
}

// logExport logs the download of a user's export archive: one entry
// about the user and one in each workspace it holds.
func logExport(e *core.RequestEvent, userID, requestID string) {
	var owned []string
	_ = e.App.DB().NewQuery("SELECT workspace FROM memberships WHERE user = {:u} AND role = 'owner' ORDER BY workspace").
		Bind(dbx.Params{"u": userID}).Column(&owned)
	for _, ws := range append([]string{""}, owned...) {
		if err := writeEntry(e, ActionDownload, Requests, ws, userID, []string{requestID}); err != nil {
			e.App.Logger().Error("Access log: could not log an export download", "request", requestID, "error", err.Error())
		}
	}
}

// writeEntry saves one entry of the access log.
func writeEntry(e *core.RequestEvent, action, collection, workspace, subject string, ids []string) error {
	col, err := e.App.FindCachedCollectionByNameOrId(AccessLog)
	if err != nil {
		return err
	}
	if len(ids) > maxLoggedIDs {
		ids = ids[:maxLoggedIDs]
	}
	r := core.NewRecord(col)
	switch {
	case e.HasSuperuserAuth():
		r.Set("actor_kind", "superuser")
	case e.Auth != nil && e.Auth.Collection().Name == "users":
		r.Set("actor_kind", "user")
		r.Set("actor", e.Auth.Id)
	default:
		r.Set("actor_kind", "guest")
	}
	r.Set("action", action)
	r.Set("collection", collection)
	r.Set("workspace", workspace)
	r.Set("subject_user", subject)
	r.Set("record_ids", ids)
	r.Set("ip", ipaddr.Truncate(e.RealIP()))
	return e.App.Save(r)
}

// pruneAccessLog deletes the entries older than the retention of the
// access log and returns how many.
func pruneAccessLog(app core.App, cutoff pbtypes.DateTime) (int, error) {
	res, err := app.DB().Delete(AccessLog, dbx.NewExp("[[created]] < {:cutoff}", dbx.Params{"cutoff": cutoff.String()})).Execute()
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}
