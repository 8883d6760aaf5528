package workspaces

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
)

// guardMembershipChange lets only owners grant or take away the owner role,
// and keeps at least one owner in every workspace.
func guardMembershipChange(e *core.RecordRequestEvent) error {
	if e.HasSuperuserAuth() {
		return e.Next()
	}
	role, err := access.RoleOf(e.App, e.Record.GetString("workspace"), e.Auth.Id)
	if err != nil {
		return err
	}
	touchesOwner := e.Record.GetString("role") == string(access.Owner)
	if !e.Record.IsNew() {
		touchesOwner = touchesOwner || e.Record.Original().GetString("role") == string(access.Owner)
		if e.Record.GetString("user") != e.Record.Original().GetString("user") {
			return e.BadRequestError("A membership cannot move to another user; remove it and add the new member.", nil)
		}
	}
	if touchesOwner && role != access.Owner {
		return e.ForbiddenError("Only an owner can make someone an owner or change an owner's role.", nil)
	}
	if !e.Record.IsNew() && e.Record.Original().GetString("role") == string(access.Owner) &&
		e.Record.GetString("role") != string(access.Owner) {
		if err := keepAnOwner(e); err != nil {
			return err
		}
	}
	return e.Next()
}

// guardMembershipRemoval keeps at least one owner and lets only owners remove
// an owner (an owner may leave when another owner stays).
func guardMembershipRemoval(e *core.RecordRequestEvent) error {
	if e.HasSuperuserAuth() || e.Record.GetString("role") != string(access.Owner) {
		return e.Next()
	}
	if e.Record.GetString("user") != e.Auth.Id {
		role, err := access.RoleOf(e.App, e.Record.GetString("workspace"), e.Auth.Id)
		if err != nil {
			return err
		}
		if role != access.Owner {
			return e.ForbiddenError("Only an owner can remove an owner.", nil)
		}
	}
	if err := keepAnOwner(e); err != nil {
		return err
	}
	return e.Next()
}

func keepAnOwner(e *core.RecordRequestEvent) error {
	var owners int
	err := e.App.DB().NewQuery("SELECT COUNT(*) FROM memberships WHERE workspace = {:w} AND role = 'owner'").
		Bind(dbx.Params{"w": e.Record.GetString("workspace")}).Row(&owners)
	if err != nil {
		return err
	}
	if owners <= 1 {
		return e.BadRequestError("A workspace needs at least one owner; make another member owner first.", nil)
	}
	return nil
}

// keepWorkspace refuses to move any record to another workspace: a record
// belongs to the workspace it was created in.
func keepWorkspace(e *core.RecordEvent) error {
	if f := e.Record.Collection().Fields.GetByName("workspace"); f != nil && e.Record.Collection().Name != "workspaces" {
		// a record saved new in this process keeps no original: nothing to compare
		if was := e.Record.Original().GetString("workspace"); was != "" && e.Record.GetString("workspace") != was {
			return invalid("workspace", "A record cannot move to another workspace.")
		}
	}
	return e.Next()
}
