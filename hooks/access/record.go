package access

import (
	"database/sql"
	"errors"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/rawsql"
)

// RequireRecord reads the record of the collection named by the request's
// {id} and checks, as Require does, that the signed-in user has at least
// the role min in its workspace. A guest gets a 401 before anything is
// read; a record that does not exist, or of another workspace, a 404.
func RequireRecord(e *core.RequestEvent, collection string, min Role) (*core.Record, error) {
	record, _, err := RequireRecordWith(e, collection, min, "")
	return record, err
}

// RequireRecordWith is RequireRecord that reads more in the same
// statement: columns is a list of SQL expressions, each with an alias,
// over the record's row (aliased r), with ? placeholders for args; their
// values are returned by alias. The record, the user's role and the
// columns take one statement, run without the query builder (package
// rawsql): the routes that use it are hot paths.
func RequireRecordWith(e *core.RequestEvent, collection string, min Role, columns string, args ...any) (*core.Record, dbx.NullStringMap, error) {
	if e.Auth == nil || e.Auth.Collection().Name != "users" {
		return nil, nil, e.UnauthorizedError("Sign in to do this.", nil)
	}
	c, err := e.App.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return nil, nil, e.NotFoundError("", nil)
	}
	query := "SELECT r.*, (SELECT role FROM memberships WHERE workspace = r.workspace AND user = ? LIMIT 1) AS kontor_role"
	if columns != "" {
		query += ", " + columns
	}
	query += " FROM " + e.App.DB().QuoteSimpleTableName(c.Name) + " r WHERE r.id = ?"
	args = append(append([]any{e.Auth.Id}, args...), e.Request.PathValue("id"))
	row, err := rawsql.Row(e.Request.Context(), e.App.ConcurrentDB(), query, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, e.NotFoundError("", nil)
	}
	if err != nil {
		return nil, nil, e.InternalServerError("", err)
	}
	if err := Allow(e, Role(row["kontor_role"].String), min); err != nil {
		return nil, nil, err
	}
	record, err := recordFromRow(c, row)
	if err != nil {
		return nil, nil, e.InternalServerError("", err)
	}
	return record, row, nil
}

// recordFromRow makes a saved record of collection c from a row read with
// its columns, as PocketBase's record queries do.
func recordFromRow(c *core.Collection, row dbx.NullStringMap) (*core.Record, error) {
	record := core.NewRecord(c)
	for _, f := range c.Fields {
		var raw any
		if v := row[f.GetName()]; v.Valid {
			raw = v.String
		}
		value, err := f.PrepareValue(record, raw)
		if err != nil {
			return nil, err
		}
		record.SetRaw(f.GetName(), value)
	}
	return record, record.PostScan()
}
