package numbering

import (
	"github.com/pocketbase/dbx"
)

// Next takes the next running number of a series in a year (0 for a series
// that never restarts) and returns it. It is one UPSERT … RETURNING on the
// series_counters table, so when it is the first statement of a write
// transaction it takes SQLite's write lock before anything the number
// depends on is read, and a rollback gives the number back: numbers stay
// gapless and unique.
func Next(db dbx.Builder, seriesID string, year int) (int64, error) {
	var seq int64
	err := db.NewQuery(`INSERT INTO series_counters (series, year, last) VALUES ({:s}, {:y}, 1)
		ON CONFLICT (series, year) DO UPDATE SET last = last + 1
		RETURNING last`).
		Bind(dbx.Params{"s": seriesID, "y": year}).Row(&seq)
	return seq, err
}
