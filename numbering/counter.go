package numbering

import (
	"context"

	"github.com/pocketbase/dbx"

	"github.com/kontor-app/kontor/rawsql"
)

// Next takes the next running number of a series in a year (0 for a series
// that never restarts) and returns it. It is one UPSERT … RETURNING on the
// series_counters table, so when it is the first statement of a write
// transaction it takes SQLite's write lock before anything the number
// depends on is read, and a rollback gives the number back: numbers stay
// gapless and unique. db is the transaction's builder (tx.DB()).
func Next(db dbx.Builder, seriesID string, year int) (int64, error) {
	return NextWith(db, seriesID, year, "", nil)
}

// NextWith is Next that also reads, in the same statement and so under
// the write lock it takes, what the number depends on: columns is a list
// of SQL expressions (subqueries, with ? placeholders for args) whose
// values are scanned into dest.
func NextWith(db dbx.Builder, seriesID string, year int, columns string, args []any, dest ...any) (int64, error) {
	query := `INSERT INTO series_counters (series, year, last) VALUES (?, ?, 1)
		ON CONFLICT (series, year) DO UPDATE SET last = last + 1
		RETURNING last`
	if columns != "" {
		query += ", " + columns
	}
	var seq int64
	err := rawsql.Scan(context.Background(), db, query, append([]any{seriesID, year}, args...), append([]any{&seq}, dest...)...)
	return seq, err
}
