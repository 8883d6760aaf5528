package stmtcache_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/kontor-app/kontor/stmtcache"
)

// counting is a driver whose connections count the statements they prepare.
type counting struct {
	driver.Driver
	prepared *atomic.Int64
}

func (d counting) Open(name string) (driver.Conn, error) {
	c, err := d.Driver.Open(name)
	if err != nil {
		return nil, err
	}
	return countingConn{c.(sqliteConn), d.prepared}, nil
}

// sqliteConn is what the SQLite driver's connections implement.
type sqliteConn interface {
	driver.Conn
	driver.ConnPrepareContext
	driver.ConnBeginTx
}

type countingConn struct {
	sqliteConn
	prepared *atomic.Int64
}

func (c countingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	c.prepared.Add(1)
	return c.sqliteConn.PrepareContext(ctx, query)
}

var registered atomic.Int64

// open opens a fresh SQLite database through the cache (size statements per
// connection) and returns it with the count of statements prepared.
func open(t *testing.T, size int) (*sql.DB, *atomic.Int64) {
	t.Helper()
	base, err := sql.Open("sqlite", "")
	if err != nil {
		t.Fatal(err)
	}
	prepared := &atomic.Int64{}
	name := fmt.Sprintf("stmtcache_test_%d", registered.Add(1))
	sql.Register(name, stmtcache.Driver{Driver: counting{base.Driver(), prepared}, Size: size})
	base.Close()
	db, err := sql.Open(name, filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1) // one connection: every statement meets its cache
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)`); err != nil {
		t.Fatal(err)
	}
	return db, prepared
}

func names(t *testing.T, db interface {
	Query(string, ...any) (*sql.Rows, error)
}, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// A statement run again is not prepared again, and answers with its new
// arguments.
func TestStatementsAreReused(t *testing.T) {
	db, prepared := open(t, 0)
	before := prepared.Load()
	for i := range 50 {
		if _, err := db.Exec(`INSERT INTO items (name) VALUES (?)`, fmt.Sprintf("item %02d", i)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 50 {
		got := names(t, db, `SELECT name FROM items WHERE id = ?`, i+1)
		if want := []string{fmt.Sprintf("item %02d", i)}; !reflect.DeepEqual(got, want) {
			t.Fatalf("id %d: %v, want %v", i+1, got, want)
		}
	}
	if got := prepared.Load() - before; got != 2 {
		t.Errorf("100 runs of 2 statements prepared %d statements, want 2", got)
	}
}

// A query run while the rows of the same SQL are still open (inside a
// transaction, on the same connection) gets a statement of its own, and
// neither reading is disturbed.
func TestSameQueryWhileRowsAreOpen(t *testing.T) {
	db, _ := open(t, 0)
	for _, n := range []string{"a", "b", "c"} {
		if _, err := db.Exec(`INSERT INTO items (name) VALUES (?)`, n); err != nil {
			t.Fatal(err)
		}
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const q = `SELECT name FROM items WHERE name >= ? ORDER BY name`
	outer, err := tx.Query(q, "a")
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for outer.Next() {
		var n string
		if err := outer.Scan(&n); err != nil {
			t.Fatal(err)
		}
		got = append(got, append([]string{n}, names(t, tx, q, n)...))
	}
	if err := outer.Err(); err != nil {
		t.Fatal(err)
	}
	outer.Close()
	want := [][]string{{"a", "a", "b", "c"}, {"b", "b", "c"}, {"c", "c"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	// and the cached statement is free again afterwards
	if got := names(t, tx, q, "b"); !reflect.DeepEqual(got, []string{"b", "c"}) {
		t.Errorf("after: %v", got)
	}
}

// A cached SELECT * follows a schema change.
func TestSchemaChange(t *testing.T) {
	db, _ := open(t, 0)
	if _, err := db.Exec(`INSERT INTO items (name) VALUES ('a')`); err != nil {
		t.Fatal(err)
	}
	columns := func() []string {
		rows, err := db.Query(`SELECT * FROM items`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		c, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if got := columns(); !reflect.DeepEqual(got, []string{"id", "name"}) {
		t.Fatalf("before: %v", got)
	}
	if _, err := db.Exec(`ALTER TABLE items ADD COLUMN note TEXT DEFAULT 'x'`); err != nil {
		t.Fatal(err)
	}
	if got := columns(); !reflect.DeepEqual(got, []string{"id", "name", "note"}) {
		t.Errorf("after ALTER TABLE: %v", got)
	}
}

// The cache keeps at most its size, dropping the least recently used; a
// statement that failed runs again; schema changes and pragmas are not kept.
func TestEvictionAndErrors(t *testing.T) {
	db, prepared := open(t, 2)
	exec := func(q string, args ...any) error {
		_, err := db.Exec(q, args...)
		return err
	}
	before := prepared.Load()
	const insert = `INSERT INTO items (name) VALUES (?)`
	if err := exec(insert, "a"); err != nil {
		t.Fatal(err)
	}
	if err := exec(insert, "a"); err == nil {
		t.Fatal("a duplicate name was inserted")
	}
	if err := exec(insert, "b"); err != nil {
		t.Fatalf("the statement that failed cannot run again: %v", err)
	}
	if got := prepared.Load() - before; got != 1 {
		t.Errorf("prepared %d statements, want 1", got)
	}

	steps := []struct {
		query   string
		prepare bool // whether it has to be prepared
	}{
		{`SELECT name FROM items WHERE id = ?`, true},
		{`SELECT id FROM items WHERE name = ?`, true}, // insert drops out
		{`SELECT name FROM items WHERE id = ?`, false},
		{insert, true},
		{`SELECT id FROM items WHERE name = ?`, true},
		{`SELECT id FROM items WHERE name = ?`, false},
		{`PRAGMA user_version`, true},
		{`PRAGMA user_version`, true},
	}
	for i, s := range steps {
		before := prepared.Load()
		var err error
		var v any
		switch s.query {
		case insert:
			err = exec(insert, fmt.Sprint("n", i))
		case `PRAGMA user_version`:
			err = db.QueryRow(s.query).Scan(&v)
		default:
			err = db.QueryRow(s.query, 1).Scan(&v)
		}
		if err != nil && err != sql.ErrNoRows {
			t.Fatalf("step %d: %v", i, err)
		}
		if got := prepared.Load() - before; got != map[bool]int64{true: 1, false: 0}[s.prepare] {
			t.Errorf("step %d (%s): prepared %d", i, s.query, got)
		}
	}
}
