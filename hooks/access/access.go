// Package access answers who may do what in a workspace. Collections say it
// in their API rules; custom routes ask here, with the same roles.
package access

import (
	"database/sql"
	"errors"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Role is a member's role in a workspace.
type Role string

// The roles, from most to least rights: owners also delete the workspace,
// admins also manage settings and members, members create and issue
// documents, viewers read.
const (
	Owner  Role = "owner"
	Admin  Role = "admin"
	Member Role = "member"
	Viewer Role = "viewer"
)

var rank = map[Role]int{Viewer: 1, Member: 2, Admin: 3, Owner: 4}

// AtLeast reports whether r has every right of min.
func (r Role) AtLeast(min Role) bool {
	return rank[r] >= rank[min] && rank[r] > 0
}

// RoleOf returns the user's role in the workspace, or "" when the user is not
// a member.
func RoleOf(app core.App, workspaceID, userID string) (Role, error) {
	var role string
	err := app.DB().NewQuery("SELECT role FROM memberships WHERE workspace = {:w} AND user = {:u} LIMIT 1").
		Bind(dbx.Params{"w": workspaceID, "u": userID}).
		Row(&role)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return Role(role), err
}

// Require checks that the signed-in user of the request has at least the
// role min in the workspace. A non-member gets the same 404 as for a record
// that does not exist, so nothing about other workspaces leaks; a member
// without the right gets a 403 that says which role is needed.
func Require(e *core.RequestEvent, workspaceID string, min Role) error {
	if e.Auth == nil || e.Auth.Collection().Name != "users" {
		return e.UnauthorizedError("Sign in to do this.", nil)
	}
	role, err := RoleOf(e.App, workspaceID, e.Auth.Id)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return Allow(e, role, min)
}

// Allow answers as Require does for a role already read ("" for a user who
// is not a member): a 404 for a non-member, a 403 naming the role needed
// for a member without the right, nil otherwise.
func Allow(e *core.RequestEvent, role, min Role) error {
	if role == "" {
		return e.NotFoundError("", nil)
	}
	if !role.AtLeast(min) {
		return e.ForbiddenError("Your role in this workspace ("+string(role)+") does not allow this; it needs "+string(min)+" or above.", nil)
	}
	return nil
}

// WorkspaceGone reports whether a saved record's workspace no longer
// exists: PocketBase deletes a workspace's row first and then its records,
// clearing the relations between them (which saves them) on the way; the
// save hooks of such a record let it through instead of checking it
// against a workspace that is gone.
func WorkspaceGone(app core.App, r *core.Record) bool {
	if r.IsNew() {
		return false
	}
	var n int
	err := app.DB().NewQuery("SELECT COUNT(*) FROM workspaces WHERE id = {:w}").
		Bind(dbx.Params{"w": r.GetString("workspace")}).Row(&n)
	return err == nil && n == 0
}
