package rawsql

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"github.com/pocketbase/dbx"
	_ "modernc.org/sqlite"
)

func open(t *testing.T) *dbx.DB {
	t.Helper()
	db, err := dbx.Open("sqlite", filepath.Join(t.TempDir(), "data.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.NewQuery("CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT, n INTEGER)").Execute(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.NewQuery("INSERT INTO notes VALUES ('a', 'first', 1), ('b', NULL, 2)").Execute(); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestRow(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	tests := []struct {
		id   string
		want dbx.NullStringMap
		err  error
	}{
		{"a", dbx.NullStringMap{"id": {String: "a", Valid: true}, "body": {String: "first", Valid: true}, "twice": {String: "2", Valid: true}}, nil},
		{"b", dbx.NullStringMap{"id": {String: "b", Valid: true}, "body": {}, "twice": {String: "4", Valid: true}}, nil},
		{"c", nil, sql.ErrNoRows},
	}
	for _, tt := range tests {
		row, err := Row(ctx, db, "SELECT id, body, n * ? AS twice FROM notes WHERE id = ?", 2, tt.id)
		if !errors.Is(err, tt.err) {
			t.Fatalf("%s: error %v, want %v", tt.id, err, tt.err)
		}
		if len(row) != len(tt.want) {
			t.Fatalf("%s: %v, want %v", tt.id, row, tt.want)
		}
		for k, v := range tt.want {
			if row[k] != v {
				t.Errorf("%s: %s = %v, want %v", tt.id, k, row[k], v)
			}
		}
	}
}

// In a transaction, a statement runs in it: it sees what the transaction
// wrote, and what it writes goes with a rollback.
func TestInATransaction(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	sentinel := errors.New("roll back")
	err := db.Transactional(func(tx *dbx.Tx) error {
		var n int
		if err := Scan(ctx, tx, "UPDATE notes SET n = n + 10 WHERE id = ? RETURNING n", []any{"a"}, &n); err != nil || n != 11 {
			t.Fatalf("update: %d, %v", n, err)
		}
		row, err := Row(ctx, tx, "SELECT n FROM notes WHERE id = ?", "a")
		if err != nil || row["n"].String != "11" {
			t.Fatalf("read in the transaction: %v, %v", row, err)
		}
		return sentinel
	})
	if !errors.Is(err, sentinel) {
		t.Fatal(err)
	}
	var n int
	if err := Scan(ctx, db, "SELECT n FROM notes WHERE id = ?", []any{"a"}, &n); err != nil || n != 1 {
		t.Errorf("after the rollback: %d, %v", n, err)
	}
}

// A builder that is neither a database nor a transaction is refused.
func TestOtherBuilders(t *testing.T) {
	var b dbx.Builder = dbx.NewStandardBuilder(nil, nil)
	if _, err := Row(context.Background(), b, "SELECT 1"); err == nil {
		t.Error("Row ran on a builder without a database")
	}
	if err := Scan(context.Background(), b, "SELECT 1", nil); err == nil {
		t.Error("Scan ran on a builder without a database")
	}
}
