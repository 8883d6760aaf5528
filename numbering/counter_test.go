package numbering

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/pocketbase/dbx"
	_ "modernc.org/sqlite"
)

// Numbers run 1..n per series and year, the checks read with them see the
// transaction, and a rolled-back transaction gives its number back.
func TestNext(t *testing.T) {
	db, err := dbx.Open("sqlite", filepath.Join(t.TempDir(), "data.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		"CREATE TABLE series_counters (series TEXT, year INTEGER, last INTEGER, PRIMARY KEY (series, year))",
		"CREATE TABLE documents (series TEXT, number INTEGER)",
	} {
		if _, err := db.NewQuery(q).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	// issue takes a number in a transaction, with the count of the series'
	// documents so far, and keeps the document unless rollBack
	issue := func(series string, year int, rollBack bool) (seq, before int64) {
		errRollBack := errors.New("roll back")
		err := db.Transactional(func(tx *dbx.Tx) error {
			var err error
			seq, err = NextWith(tx, series, year, "(SELECT COUNT(*) FROM documents WHERE series = ?)", []any{series}, &before)
			if err != nil {
				return err
			}
			if _, err := tx.Insert("documents", dbx.Params{"series": series, "number": seq}).Execute(); err != nil {
				return err
			}
			if rollBack {
				return errRollBack
			}
			return nil
		})
		if err != nil && !errors.Is(err, errRollBack) {
			t.Fatal(err)
		}
		return seq, before
	}
	tests := []struct {
		series     string
		year       int
		rollBack   bool
		seq, count int64
	}{
		{"INV", 2026, false, 1, 0},
		{"INV", 2026, false, 2, 1},
		{"INV", 2026, true, 3, 2},  // rolled back: 3 is given back
		{"INV", 2026, false, 3, 2}, // and taken again
		{"INV", 2027, false, 1, 3}, // a new year restarts
		{"CN", 2026, false, 1, 0},  // another series has its own
	}
	for i, tt := range tests {
		seq, before := issue(tt.series, tt.year, tt.rollBack)
		if seq != tt.seq || before != tt.count {
			t.Errorf("%d: %s %d: number %d with %d documents before, want %d with %d", i, tt.series, tt.year, seq, before, tt.seq, tt.count)
		}
	}
	var plain int64
	err = db.Transactional(func(tx *dbx.Tx) (err error) {
		plain, err = Next(tx, "CN", 2026)
		return err
	})
	if err != nil || plain != 2 {
		t.Errorf("Next: %d, %v; want 2", plain, err)
	}
}
