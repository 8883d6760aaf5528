package privacy

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	pbtypes "github.com/pocketbase/pocketbase/tools/types"

	"github.com/kontor-app/kontor/hooks/fielderr"
	"github.com/kontor-app/kontor/hooks/outbox"
)

// Due is the deadline of a request received at received: one month later
// (GDPR art. 12(3)).
func Due(received time.Time) time.Time {
	return received.AddDate(0, 1, 0)
}

// needsDetails are the types an admin answers by hand, from what the user
// writes: what is wrong, what they object to, which consent they withdraw
// beyond the cookie choices they change themselves.
var needsDetails = map[string]bool{TypeRectification: true, TypeObjection: true, TypeConsentWithdrawal: true}

// requestBody is what POST /api/kontor/privacy/requests takes.
type requestBody struct {
	Type    string `json:"type"`
	Details string `json:"details"`
}

// signedInUser is the signed-in user of the request, read afresh; a guest
// or a superuser gets a 401.
func signedInUser(e *core.RequestEvent) (*core.Record, error) {
	if e.Auth == nil || e.Auth.Collection().Name != "users" {
		return nil, e.UnauthorizedError("Sign in to do this.", nil)
	}
	user, err := e.App.FindRecordById("users", e.Auth.Id)
	if err != nil {
		return nil, e.UnauthorizedError("Sign in to do this.", nil)
	}
	return user, nil
}

// createRoute is POST /api/kontor/privacy/requests: the signed-in user
// exercises one of their rights. An access request queues the archive;
// an erasure is scheduled after the grace period; a restriction takes
// effect at once; the others wait for an admin, with the user's details.
func (p *privacy) createRoute(e *core.RequestEvent) error {
	user, err := signedInUser(e)
	if err != nil {
		return err
	}
	var body requestBody
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("The request body is not valid JSON.", err)
	}
	body.Type = strings.TrimSpace(body.Type)
	body.Details = strings.TrimSpace(body.Details)
	errs := fielderr.Errors{}
	switch {
	case body.Type == "":
		errs.Add("type", "Say which right you exercise: one of "+strings.Join(types, ", ")+".")
	case !slices.Contains(types, body.Type):
		errs.Add("type", "There is no request type \""+body.Type+"\"; use one of "+strings.Join(types, ", ")+".")
	case needsDetails[body.Type] && body.Details == "":
		errs.Add("details", "Say what this request is about, so that it can be answered.")
	}
	if len([]rune(body.Details)) > 2000 {
		errs.Add("details", "Keep the details under 2000 characters.")
	}
	if err := errs.Err(); err != nil {
		return err
	}

	now := p.cfg.Now().UTC()
	var saved *core.Record
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := p.checkRequest(tx, user, body.Type); err != nil {
			return err
		}
		r, err := newRequest(tx, user.Id, body.Type, now)
		if err != nil {
			return err
		}
		r.Set("details", body.Details)
		switch body.Type {
		case TypeAccess:
			r.Set("status", StatusProcessing)
		case TypeErasure:
			r.Set("status", StatusScheduled)
			r.Set("erase_after", now.AddDate(0, 0, p.cfg.ErasureGraceDays))
		case TypeRestriction:
			r.Set("status", StatusCompleted)
			r.Set("completed", now)
			r.Set("result", "Processing restricted to storage.")
		}
		if err := tx.Save(r); err != nil {
			return err
		}
		switch body.Type {
		case TypeAccess:
			if _, _, err := outbox.Enqueue(tx, outbox.Message{Kind: ExportKind, Key: "privacy_export:" + r.Id,
				Summary: "Data export for request " + r.Id, Payload: map[string]string{"request": r.Id}}); err != nil {
				return err
			}
		case TypeRestriction:
			if err := restrict(tx, user, true); err != nil {
				return err
			}
		}
		saved = r
		return nil
	})
	if err != nil {
		return err
	}
	return e.JSON(http.StatusCreated, requestJSON(saved))
}

// checkRequest refuses a request that cannot be taken now, with a 400
// that says why.
func (p *privacy) checkRequest(app core.App, user *core.Record, typ string) error {
	if user.GetString("erased_at") != "" {
		return fielderr.New("type", "This account is anonymised.")
	}
	switch typ {
	case TypeAccess:
		if n, err := countRequests(app, user.Id, TypeAccess, StatusProcessing); err != nil {
			return err
		} else if n > 0 {
			return fielderr.New("type", "Your archive is being prepared; it will be ready within minutes.")
		}
	case TypeErasure:
		if n, err := countRequests(app, user.Id, TypeErasure, StatusScheduled); err != nil {
			return err
		} else if n > 0 {
			return fielderr.New("type", "The erasure of your account is already scheduled.")
		}
		names, err := soleOwnerWithMembers(app, user.Id)
		if err != nil {
			return err
		}
		if len(names) > 0 {
			return fielderr.New("type", "You are the only owner of "+strings.Join(names, ", ")+
				", which has other members: make one of them owner, or delete the workspace, before your account can be erased.")
		}
	case TypeRestriction:
		if user.GetBool("restricted") {
			return fielderr.New("type", "The processing of your data is already restricted.")
		}
	}
	return nil
}

// newRequest is a new request of the user, received now.
func newRequest(app core.App, userID, typ string, now time.Time) (*core.Record, error) {
	col, err := app.FindCachedCollectionByNameOrId(Requests)
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(col)
	r.Set("user", userID)
	r.Set("type", typ)
	r.Set("status", StatusOpen)
	r.Set("received", now)
	r.Set("due", Due(now))
	return r, nil
}

// countRequests counts the user's requests of a type and status.
func countRequests(app core.App, userID, typ, status string) (int, error) {
	var n int
	err := app.DB().NewQuery("SELECT COUNT(*) FROM privacy_requests WHERE user = {:u} AND type = {:t} AND status = {:s}").
		Bind(dbx.Params{"u": userID, "t": typ, "s": status}).Row(&n)
	return n, err
}

// soleOwnerWithMembers names the live workspaces the user is the only
// owner of while others are members.
func soleOwnerWithMembers(app core.App, userID string) ([]string, error) {
	var names []string
	err := app.DB().NewQuery(`SELECT w.name FROM workspaces w
		JOIN memberships m ON m.workspace = w.id AND m.user = {:u} AND m.role = 'owner'
		WHERE NOT EXISTS (SELECT 1 FROM memberships o WHERE o.workspace = w.id AND o.role = 'owner' AND o.user != {:u})
		AND EXISTS (SELECT 1 FROM memberships o WHERE o.workspace = w.id AND o.user != {:u})
		ORDER BY w.name`).Bind(dbx.Params{"u": userID}).Column(&names)
	return names, err
}

// requestJSON is a request as the routes answer it: never its archive's
// file name.
func requestJSON(r *core.Record) map[string]any {
	return map[string]any{
		"id": r.Id, "user": r.GetString("user"), "type": r.GetString("type"), "status": r.GetString("status"),
		"details": r.GetString("details"), "received": r.GetString("received"), "due": r.GetString("due"),
		"completed": r.GetString("completed"), "erase_after": r.GetString("erase_after"),
		"export_expires": r.GetString("export_expires"), "downloaded_at": r.GetString("downloaded_at"),
		"result": r.GetString("result"),
	}
}

// listRoute is GET /api/kontor/privacy/requests: a superuser gets every
// open request, soonest deadline first, with whether it is overdue and
// whose it is; a user gets their own requests, newest first.
func (p *privacy) listRoute(e *core.RequestEvent) error {
	if e.HasSuperuserAuth() {
		var open []*core.Record
		statuses := make([]any, len(openStatuses))
		for i, s := range openStatuses {
			statuses[i] = s
		}
		if err := e.App.RecordQuery(Requests).AndWhere(dbx.In("status", statuses...)).
			OrderBy("due ASC", "created ASC").All(&open); err != nil {
			return e.InternalServerError("", err)
		}
		now, _ := pbtypes.ParseDateTime(p.cfg.Now())
		items := make([]map[string]any, 0, len(open))
		for _, r := range open {
			item := requestJSON(r)
			item["overdue"] = r.GetDateTime("due").Before(now)
			if u, err := e.App.FindRecordById("users", r.GetString("user")); err == nil {
				item["email"] = u.Email()
			}
			items = append(items, item)
		}
		return e.JSON(http.StatusOK, map[string]any{"items": items})
	}
	user, err := signedInUser(e)
	if err != nil {
		return err
	}
	var own []*core.Record
	if err := e.App.RecordQuery(Requests).AndWhere(dbx.HashExp{"user": user.Id}).
		OrderBy("created DESC", "rowid DESC").Limit(200).All(&own); err != nil {
		return e.InternalServerError("", err)
	}
	items := make([]map[string]any, 0, len(own))
	for _, r := range own {
		items = append(items, requestJSON(r))
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items, "restricted": user.GetBool("restricted")})
}

// ownRequest is the request of the route's {id} if it is the signed-in
// user's; another's, or none, is a 404.
func ownRequest(e *core.RequestEvent) (*core.Record, error) {
	user, err := signedInUser(e)
	if err != nil {
		return nil, err
	}
	r, err := e.App.FindRecordById(Requests, e.Request.PathValue("id"))
	if err != nil || r.GetString("user") != user.Id {
		return nil, e.NotFoundError("", nil)
	}
	return r, nil
}

// cancelRoute is POST /api/kontor/privacy/requests/{id}/cancel: the user
// withdraws a request not yet carried out, such as an erasure within its
// grace period.
func (p *privacy) cancelRoute(e *core.RequestEvent) error {
	r, err := ownRequest(e)
	if err != nil {
		return err
	}
	switch r.GetString("status") {
	case StatusScheduled, StatusOpen:
	default:
		return e.BadRequestError("This request is "+r.GetString("status")+"; only an open request or a scheduled erasure can be cancelled.", nil)
	}
	r.Set("status", StatusCancelled)
	r.Set("completed", p.cfg.Now().UTC())
	r.Set("result", "Cancelled by the user.")
	if err := e.App.Save(r); err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, requestJSON(r))
}
