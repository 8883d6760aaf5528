package security

import (
	"database/sql"
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/core"
)

// liftRoute is DELETE /api/kontor/security/locks/{id}: a superuser lifts a
// lock before it expires; the lift is logged with who did it.
func (s *Security) liftRoute(e *core.RequestEvent) error {
	if e.Auth == nil {
		return e.UnauthorizedError("Sign in as an administrator to lift a sign-in lock.", nil)
	}
	if !e.HasSuperuserAuth() {
		return e.ForbiddenError("Only an administrator can lift a sign-in lock.", nil)
	}
	lock, err := e.App.FindRecordById(Locks, e.Request.PathValue("id"))
	if errors.Is(err, sql.ErrNoRows) {
		return e.NotFoundError("There is no such sign-in lock; it may have been lifted already.", nil)
	}
	if err != nil {
		return err
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := logLift(tx, lock, e); err != nil {
			return err
		}
		return tx.Delete(lock)
	})
	if err != nil {
		return err
	}
	return e.NoContent(http.StatusNoContent)
}

// logLiftFromAPI is bound to the deletion of a lock through the record API
// (the dashboard): the lift is logged in the same transaction.
func (s *Security) logLiftFromAPI(e *core.RecordRequestEvent) error {
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if err := logLift(tx, e.Record, e.RequestEvent); err != nil {
			return err
		}
		return e.Next()
	})
}

// logLift writes the security event of a lock being lifted by the
// request's superuser.
func logLift(tx core.App, lock *core.Record, e *core.RequestEvent) error {
	by := ""
	if e.Auth != nil {
		by = e.Auth.Collection().Name + ":" + e.Auth.Id
	}
	return LogEvent(tx, Event{
		Type: EventLockLifted, User: lock.GetString("user"), Account: lock.GetString("account"),
		Identity: lock.GetString("identity"), IP: e.RealIP(), UserAgent: userAgent(e),
		Details: map[string]any{"lock": lock.Id, "scope": lock.GetString("scope"), "locked_ip": lock.GetString("ip"),
			"until": lock.GetString("until"), "by": by},
	})
}
