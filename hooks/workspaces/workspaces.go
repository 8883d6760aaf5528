// Package workspaces binds the rules of workspaces (the legal seller), their
// memberships and their clients (the buyers).
package workspaces

import (
	"github.com/pocketbase/pocketbase/core"
)

// Register binds the workspace, membership and client hooks.
func Register(app core.App, defaultPaymentTermsDays int) {
	app.OnRecordCreateRequest("workspaces").BindFunc(func(e *core.RecordRequestEvent) error {
		return createWithOwner(e, defaultPaymentTermsDays)
	})
	app.OnRecordCreate("workspaces").BindFunc(normalizeWorkspace)
	app.OnRecordUpdate("workspaces").BindFunc(normalizeWorkspace)

	app.OnRecordCreate("clients").BindFunc(normalizeClient)
	app.OnRecordUpdate("clients").BindFunc(normalizeClient)

	app.OnRecordCreateRequest("memberships").BindFunc(guardMembershipChange)
	app.OnRecordUpdateRequest("memberships").BindFunc(guardMembershipChange)
	app.OnRecordDeleteRequest("memberships").BindFunc(guardMembershipRemoval)

	app.OnRecordUpdate().BindFunc(keepWorkspace)
}
