package hooks

import (
	"database/sql"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/stmtcache"
)

// sqliteDriver is the name of PocketBase's SQLite driver with a statement
// cache on every connection.
const sqliteDriver = "kontor_sqlite"

func init() {
	// the driver core.DefaultDBConnect opens, which core registers
	db, err := sql.Open("sqlite", "")
	if err != nil {
		panic(err)
	}
	sql.Register(sqliteDriver, stmtcache.Driver{Driver: db.Driver()})
	db.Close()
	dbx.BuilderFuncMap[sqliteDriver] = dbx.BuilderFuncMap["sqlite"]
}

// sqlitePragmas are core.DefaultDBConnect's: busy_timeout first, so that a
// connection waits for another that is switching the database to WAL.
const sqlitePragmas = "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=journal_size_limit(200000000)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-32000)"

// DataMaxIdleConns is how many idle connections to the data database the
// app keeps (PocketBase keeps 15 by default): in a burst of concurrent
// requests, each request beyond them would open a connection of its own,
// whose prepared statements start cold. PocketBase closes a connection
// left idle for 3 minutes either way.
const DataMaxIdleConns = 100

// DBConnect opens a PocketBase database as core.DefaultDBConnect does,
// with the same driver and settings, and keeps each connection's prepared
// statements for reuse (package stmtcache): PocketBase prepares every
// query anew, and for SQLite preparing costs more than running most of
// them.
var DBConnect core.DBConnectFunc = func(dbPath string) (*dbx.DB, error) {
	return dbx.Open(sqliteDriver, dbPath+sqlitePragmas)
}
