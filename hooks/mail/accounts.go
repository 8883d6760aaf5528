package mail

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
)

// queueWelcome is bound to the creation of a user: the welcome email is
// queued in the same transaction, in the user's language.
func (m *Mailer) queueWelcome(e *core.RecordEvent) error {
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if err := e.Next(); err != nil {
			return err
		}
		user := e.Record
		if user.Email() == "" {
			return nil
		}
		return m.Queue(tx, Mail{
			Template: "welcome", Key: "welcome:" + user.Id, To: user.Email(), Language: user.GetString("language"),
			Summary: "Welcome to " + user.Email(),
			Values:  Values{Name: user.GetString("name")},
		})
	})
}

// queueInvitation is bound to the creation of a membership: the user who
// was given access to a workspace is told so, in the same transaction.
// The owner who creates a workspace is not.
func (m *Mailer) queueInvitation(e *core.RecordEvent) error {
	if e.Record.GetString("role") == string(access.Owner) {
		return e.Next()
	}
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if err := e.Next(); err != nil {
			return err
		}
		user, err := tx.FindRecordById("users", e.Record.GetString("user"))
		if err != nil || user.Email() == "" {
			return nil
		}
		workspace, err := tx.FindRecordById("workspaces", e.Record.GetString("workspace"))
		if err != nil {
			return err
		}
		return m.Queue(tx, Mail{
			Template: "workspace_invitation", Key: "workspace_invitation:" + e.Record.Id, Workspace: workspace,
			To: user.Email(), Language: user.GetString("language"),
			Summary: "Access to " + workspace.GetString("name") + " as " + e.Record.GetString("role") + " to " + user.Email(),
			Values:  Values{Name: user.GetString("name"), Workspace: workspace.GetString("name"), Role: e.Record.GetString("role")},
		})
	})
}
