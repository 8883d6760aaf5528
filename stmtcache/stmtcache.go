// Package stmtcache wraps a database/sql driver so that every connection
// keeps the statements it prepares and runs them again, instead of
// preparing the same SQL anew for every query.
//
// database/sql prepares a statement for each Query and Exec made without a
// *sql.Stmt, and a query builder such as PocketBase's makes no *sql.Stmt.
// For SQLite, preparing (parsing and planning) costs more than running most
// statements, so reusing them saves most of a simple query's time, and for
// a write it shortens the time the one writer holds the lock.
//
// A connection keeps up to Size statements, the least recently used going
// first. A statement whose rows are still open is not reused: a second
// query of the same SQL meanwhile (a query made while reading the rows of
// another, inside a transaction) is prepared for that once. SQLite
// re-prepares a cached statement by itself when the schema changes.
package stmtcache

import (
	"container/list"
	"database/sql/driver"
	"errors"
	"strings"
)

// DefaultSize is how many statements a connection keeps when Driver.Size is 0.
const DefaultSize = 256

// maxQueryLength is the longest SQL cached: longer texts are rarely run twice.
const maxQueryLength = 16 << 10

// Driver wraps a database/sql driver whose connections implement
// driver.ConnPrepareContext and driver.ConnBeginTx, and whose statements implement
// driver.StmtQueryContext and driver.StmtExecContext.
type Driver struct {
	driver.Driver
	// Size is how many statements each connection keeps (DefaultSize when 0).
	Size int
}

// Open opens a connection of the wrapped driver and gives it a cache.
func (d Driver) Open(name string) (driver.Conn, error) {
	c, err := d.Driver.Open(name)
	if err != nil {
		return nil, err
	}
	_, prepares := c.(driver.ConnPrepareContext)
	_, begins := c.(driver.ConnBeginTx)
	if !prepares || !begins {
		c.Close()
		return nil, errors.New("stmtcache: the driver's connections do not implement driver.ConnPrepareContext and driver.ConnBeginTx")
	}
	size := d.Size
	if size <= 0 {
		size = DefaultSize
	}
	return &conn{Conn: c, size: size, stmts: map[string]*list.Element{}, lru: list.New()}, nil
}

// cacheable reports whether a statement is worth keeping: one that reads or
// changes rows, not a schema change or a pragma, run once.
func cacheable(query string) bool {
	if len(query) > maxQueryLength {
		return false
	}
	q := strings.TrimLeft(query, " \t\r\n(")
	if len(q) < 6 {
		return false
	}
	switch strings.ToUpper(q[:6]) {
	case "SELECT", "INSERT", "UPDATE", "DELETE", "REPLAC":
		return true
	}
	return strings.EqualFold(q[:4], "WITH")
}
