package stmtcache

import (
	"container/list"
	"context"
	"database/sql/driver"
	"errors"
)

// conn is a connection with its statement cache. database/sql uses a
// connection from one goroutine at a time, so the cache needs no lock.
type conn struct {
	driver.Conn
	size  int
	stmts map[string]*list.Element // SQL → element of lru holding an *entry
	lru   *list.List               // most recently used first
}

// entry is a cached statement; busy while rows read from it are open.
type entry struct {
	query string
	stmt  driver.Stmt
	busy  bool
}

// statement returns the cached statement of query, preparing and caching it
// when it is not cached; cached is false for a statement prepared for this
// use only (its SQL is not worth caching, or its cached one is busy), which
// the caller closes.
func (c *conn) statement(ctx context.Context, query string) (e *entry, cached bool, err error) {
	if el, ok := c.stmts[query]; ok {
		e := el.Value.(*entry)
		if !e.busy {
			c.lru.MoveToFront(el)
			return e, true, nil
		}
	}
	stmt, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, false, err
	}
	e = &entry{query: query, stmt: stmt}
	if _, taken := c.stmts[query]; taken || !cacheable(query) {
		return e, false, nil
	}
	c.stmts[query] = c.lru.PushFront(e)
	c.evict()
	return e, true, nil
}

// evict closes the least recently used statements that are not busy while
// the cache holds more than its size.
func (c *conn) evict() {
	for el := c.lru.Back(); el != nil && c.lru.Len() > c.size; {
		prev := el.Prev()
		if e := el.Value.(*entry); !e.busy {
			c.lru.Remove(el)
			delete(c.stmts, e.query)
			e.stmt.Close()
		}
		el = prev
	}
}

// QueryContext runs a query with the cached statement of its SQL.
func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	e, cached, err := c.statement(ctx, query)
	if err != nil {
		return nil, err
	}
	q, ok := e.stmt.(driver.StmtQueryContext)
	if !ok {
		e.stmt.Close()
		return nil, errors.New("stmtcache: the driver's statements do not implement driver.StmtQueryContext")
	}
	r, err := q.QueryContext(ctx, args)
	if err != nil {
		if !cached {
			e.stmt.Close()
		}
		return nil, err
	}
	if cached {
		e.busy = true
		return &rows{Rows: r, done: func() { e.busy = false }}, nil
	}
	return &rows{Rows: r, done: func() { e.stmt.Close() }}, nil
}

// ExecContext runs a statement with the cached statement of its SQL.
func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	e, cached, err := c.statement(ctx, query)
	if err != nil {
		return nil, err
	}
	if !cached {
		defer e.stmt.Close()
	}
	x, ok := e.stmt.(driver.StmtExecContext)
	if !ok {
		return nil, errors.New("stmtcache: the driver's statements do not implement driver.StmtExecContext")
	}
	return x.ExecContext(ctx, args)
}

// PrepareContext prepares a statement for the caller (a *sql.Stmt), which
// closes it; such statements are not cached.
func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

// Close closes every cached statement, then the connection.
func (c *conn) Close() error {
	var errs []error
	for el := c.lru.Front(); el != nil; el = el.Next() {
		errs = append(errs, el.Value.(*entry).stmt.Close())
	}
	c.stmts, c.lru = nil, list.New()
	errs = append(errs, c.Conn.Close())
	return errors.Join(errs...)
}

// BeginTx begins a transaction on the wrapped connection.
func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	return nil, errors.New("stmtcache: the driver's connections do not implement driver.ConnBeginTx")
}

// Ping checks the wrapped connection, when it can.
func (c *conn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

// ResetSession resets the wrapped connection, when it can.
func (c *conn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

// IsValid reports whether the wrapped connection may be reused.
func (c *conn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// CheckNamedValue converts an argument as the wrapped connection does.
func (c *conn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.Conn.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}
