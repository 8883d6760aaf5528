// Package rawsql runs statements of hot paths on PocketBase's databases
// straight through database/sql. PocketBase's query builder (dbx) rewrites
// every statement with regular expressions for its {:param}, {{table}}
// and [[column]] syntax and scans rows by reflection; for a long
// statement that costs more than SQLite takes to run it. Statements here
// use SQLite's own ? placeholders.
package rawsql

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pocketbase/dbx"
)

// queryer is what *sql.DB and *sql.Tx have in common.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// executor is the database/sql handle under a dbx builder: the pool of a
// *dbx.DB, the transaction of a *dbx.Tx (the builder of a transactional
// PocketBase app).
func executor(b dbx.Builder) (queryer, error) {
	switch v := b.(type) {
	case *dbx.DB:
		return v.DB(), nil
	case *dbx.Tx:
		if e, ok := v.Builder.(interface{ Executor() dbx.Executor }); ok {
			if q, ok := e.Executor().(queryer); ok {
				return q, nil
			}
		}
	}
	return nil, fmt.Errorf("rawsql: %T is not a database or a transaction of dbx", b)
}

// Scan runs a statement that returns one row on b and scans its columns
// into dest; sql.ErrNoRows when there is none. b is a PocketBase app's
// ConcurrentDB() to read, its NonconcurrentDB() to write (both are the
// transaction inside one).
func Scan(ctx context.Context, b dbx.Builder, query string, args []any, dest ...any) error {
	q, err := executor(b)
	if err != nil {
		return err
	}
	return q.QueryRowContext(ctx, query, args...).Scan(dest...)
}

// Row runs a statement on b as Scan does and returns its first row by
// column name; sql.ErrNoRows when there is none.
func Row(ctx context.Context, b dbx.Builder, query string, args ...any) (dbx.NullStringMap, error) {
	q, err := executor(b)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, sql.ErrNoRows
	}
	columns, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	values := make([]sql.NullString, len(columns))
	targets := make([]any, len(columns))
	for i := range values {
		targets[i] = &values[i]
	}
	if err := rows.Scan(targets...); err != nil {
		return nil, err
	}
	row := make(dbx.NullStringMap, len(columns))
	for i, c := range columns {
		row[c] = values[i]
	}
	return row, rows.Close()
}
