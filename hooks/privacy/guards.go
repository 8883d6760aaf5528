package privacy

import (
	"strconv"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/fielderr"
)

// userFields are the fields of users only the server writes.
var userFields = map[string]string{
	"restricted": "Ask for the restriction of processing in your privacy settings (POST /api/kontor/privacy/requests); this field only shows it.",
	"erased_at":  "The server sets this field when it anonymises an account.",
}

// workspaceFields are the fields of workspaces only the server writes.
var workspaceFields = map[string]string{
	"deleted_at":       "Delete a workspace with POST /api/kontor/privacy/workspaces/{id}/delete; this field only shows when.",
	"purged_at":        "The server sets this field when it removes a deleted workspace's personal data.",
	"legal_hold_until": "The server sets this field from the retention of the workspace's issued invoices.",
}

// guardUserFields refuses a user written through the record API with a new
// value of a field only the server writes. Superusers may (the dashboard),
// e.g. to restore a workspace deleted by mistake.
func guardUserFields(e *core.RecordRequestEvent) error {
	if e.HasSuperuserAuth() {
		return e.Next()
	}
	if err := serverWritten(e.Record, userFields); err != nil {
		return err
	}
	return e.Next()
}

// guardWorkspaceFields does the same for workspaces.
func guardWorkspaceFields(e *core.RecordRequestEvent) error {
	if e.HasSuperuserAuth() {
		return e.Next()
	}
	if err := serverWritten(e.Record, workspaceFields); err != nil {
		return err
	}
	return e.Next()
}

// serverWritten is a 400 naming the first field of fields whose value r
// changes, nil when none.
func serverWritten(r *core.Record, fields map[string]string) error {
	errs := fielderr.Errors{}
	for name, message := range fields {
		var before any
		if !r.IsNew() {
			before = r.Original().Get(name)
		}
		now := r.Get(name)
		if r.IsNew() {
			if !isZero(now) {
				errs.Add(name, message)
			}
			continue
		}
		if !sameValue(now, before) {
			errs.Add(name, message)
		}
	}
	return errs.Err()
}

// isZero reports whether a field value is its zero value.
func isZero(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case string:
		return x == ""
	case interface{ IsZero() bool }:
		return x.IsZero()
	}
	return false
}

// sameValue compares two field values by their text.
func sameValue(a, b any) bool {
	return textOf(a) == textOf(b)
}

func textOf(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		return strconv.FormatBool(x)
	case string:
		return x
	case interface{ String() string }:
		return x.String()
	}
	return ""
}

// guardWorkspaceDelete refuses, from any route, to delete a workspace that
// still has issued invoices: deleting its row would cascade to them while
// they are under legal hold. Its owner deletes it with
// POST /api/kontor/privacy/workspaces/{id}/delete instead, which keeps them.
func guardWorkspaceDelete(e *core.RecordEvent) error {
	n, err := issuedCount(e.App, e.Record.Id)
	if err != nil {
		return err
	}
	if n > 0 {
		return apis.NewBadRequestError("Workspace "+e.Record.GetString("name")+" has "+itoa(n)+
			" issued invoices under legal hold, which deleting it would destroy. Delete it from the privacy settings "+
			"(POST /api/kontor/privacy/workspaces/"+e.Record.Id+"/delete): its personal data goes and the invoices are kept until their retention ends.", nil)
	}
	return e.Next()
}

// issuedCount is the number of issued invoices and credit notes of a
// workspace.
func issuedCount(app core.App, workspaceID string) (int, error) {
	var n int
	err := app.DB().NewQuery("SELECT COUNT(*) FROM invoices WHERE workspace = {:w} AND status != 'draft'").
		Bind(dbx.Params{"w": workspaceID}).Row(&n)
	return n, err
}

func itoa(n int) string { return strconv.Itoa(n) }
