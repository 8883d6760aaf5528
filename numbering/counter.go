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
	var seq int64
	err := rawsql.Scan(context.Background(), db, `INSERT INTO series_counters (series, year, last) VALUES (?, ?, 1)
		ON CONFLICT (series, year) DO UPDATE SET last = last + 1
		RETURNING last`, []any{seriesID, year}, &seq)
	return seq, err
}
