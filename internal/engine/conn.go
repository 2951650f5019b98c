package engine

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/sqlseal/sqlseal/internal/analysis"
)

// conn is one connection of the wrapped driver, sealing what it sends and
// opening what it reads. It implements every optional interface sqlmw
// forwards (and no legacy Execer or Queryer, which sqlmw would call without
// the engine): when the wrapped connection lacks one, conn answers as
// database/sql and sqlmw would without it.
type conn struct {
	e     *Engine
	inner driver.Conn
	// q runs catalog queries over the wrapped connection.
	q driver.QueryerContext
	// session checks the settings that decide how the server reads SQL;
	// nil for a backend without any.
	session Session
	// suspect reports that a statement that may have changed the session
	// ran since the last check.
	suspect bool
	// broken is set once the session reads SQL differently from the
	// parser: every later statement fails with it, and the connection
	// reports itself invalid so that database/sql discards it.
	broken error
}

var (
	_ driver.Conn               = (*conn)(nil)
	_ driver.ConnPrepareContext = (*conn)(nil)
	_ driver.ConnBeginTx        = (*conn)(nil)
	_ driver.ExecerContext      = (*conn)(nil)
	_ driver.QueryerContext     = (*conn)(nil)
	_ driver.Pinger             = (*conn)(nil)
	_ driver.SessionResetter    = (*conn)(nil)
	_ driver.Validator          = (*conn)(nil)
	_ driver.NamedValueChecker  = (*conn)(nil)
)

// errNoQueryer is returned for a wrapped connection that cannot run the
// catalog queries the engine needs.
var errNoQueryer = errors.New("sqlseal: the wrapped driver's connection cannot run catalog queries")

// newConn checks a new connection of the wrapped driver (its session, and
// once per engine the protected columns) and wraps it.
func (e *Engine) newConn(ctx context.Context, inner driver.Conn) (*conn, error) {
	q, ok := inner.(driver.QueryerContext)
	if !ok {
		return nil, errNoQueryer
	}
	c := &conn{e: e, inner: inner, q: q}
	if e.b.Session != nil {
		s, err := e.b.Session(inner)
		if err != nil {
			return nil, err
		}
		if err := s.Check(ctx); err != nil {
			return nil, err
		}
		c.session = s
	}
	if e.keys.state.Load() == nil {
		if err := e.loadKeys(ctx); err != nil {
			return nil, err
		}
	}
	if err := e.checkColumns(ctx, q); err != nil {
		return nil, err
	}
	return c, nil
}

// checkSession fails when the session reads SQL text differently from the
// parser, checking it when the backend's server reports every change or
// when a statement may have changed it.
func (c *conn) checkSession(ctx context.Context) error {
	switch {
	case c.broken != nil:
		return c.broken
	case c.session == nil:
		return nil
	case c.session.Reported() || c.suspect:
		if err := c.session.Check(ctx); err != nil {
			c.broken = err
			return err
		}
		c.suspect = false
	}
	return nil
}

// ran notes that a statement with plan p was sent.
func (c *conn) ran(p *analysis.Plan) {
	if p.Session {
		c.suspect = true
	}
}

// Prepare prepares a statement; database/sql uses PrepareContext.
func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// PrepareContext prepares query. A refused statement fails here, before
// anything reaches the server; string literals bound for protected columns
// are sealed into the prepared text.
func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if err := c.checkSession(ctx); err != nil {
		return nil, err
	}
	pe := c.e.plan(query)
	prepared := query
	var sealedUnder sealer
	var ik *indexKeys
	if p := pe.plan; !p.Inert() {
		if p.Err != nil {
			return nil, p.Err
		}
		if p.SessionBeforeLast && c.e.b.ReadsEachStatement {
			return nil, c.e.refuseSessionText()
		}
		cols := make([]analysis.Column, 0, len(p.Params)+len(p.Literals))
		for _, t := range p.Params {
			cols = append(cols, t.Column)
		}
		cols = append(cols, resultColumns(p.Results)...)
		if err := c.e.ensureKinds(ctx, c.q, cols); err != nil {
			return nil, err
		}
		if len(p.Literals) > 0 || len(p.Edits) > 0 {
			c.e.refreshIfStale(ctx)
		}
		var err error
		if len(p.Edits) > 0 || len(p.Terms) > 0 {
			if ik, err = c.e.currentIndexKeys(); err != nil {
				return nil, err
			}
		}
		if prepared, sealedUnder, err = c.e.rewriteText(ctx, c.q, query, p, ik); err != nil {
			return nil, err
		}
	}
	inner, err := c.prepareInner(ctx, prepared)
	c.ran(pe.plan)
	if err != nil {
		return nil, err
	}
	return &stmt{c: c, inner: inner, query: query, pe: pe, sealedUnder: sealedUnder, ik: ik,
		added: addedParams(pe.plan) + rotationParams(pe.plan, ik)}, nil
}

// prepareInner prepares text with the wrapped driver.
func (c *conn) prepareInner(ctx context.Context, text string) (driver.Stmt, error) {
	if pc, ok := c.inner.(driver.ConnPrepareContext); ok {
		return pc.PrepareContext(ctx, text)
	}
	return c.inner.Prepare(text)
}

// bindText checks the session and seals the arguments of one execution of
// query on the connection (isQuery: for QueryContext).
func (c *conn) bindText(ctx context.Context, query string, args []driver.NamedValue, isQuery bool) (bound, error) {
	if err := c.checkSession(ctx); err != nil {
		return bound{}, err
	}
	if c.e.b.ArgsNeedPrepare && len(args) > 0 {
		// The driver would answer ErrSkip: answer it before sealing, and
		// seal once on the prepared statement database/sql makes.
		return bound{}, driver.ErrSkip
	}
	forms, err := c.e.argForms(ctx, query, args, isQuery)
	if err != nil {
		return bound{}, err
	}
	return c.e.bind(ctx, c.q, forms)
}

// ExecContext seals and executes query, or runs the bulk load it carries
// (see Bulk).
func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if b, ok := bulkArg(args); ok {
		return c.bulkLoad(ctx, query, args, b)
	}
	ex, ok := c.inner.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip // database/sql prepares instead
	}
	b, err := c.bindText(ctx, query, args, false)
	if err != nil {
		return nil, err
	}
	res, err := ex.ExecContext(ctx, b.sql, b.args)
	c.ran(b.plan)
	return res, c.e.scrub(err)
}

// QueryContext seals and executes query, and opens its protected result
// columns.
func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	qc, ok := c.inner.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	b, err := c.bindText(ctx, query, args, true)
	if err != nil {
		return nil, err
	}
	rd, err := c.e.readerFor(ctx, c.q, b.entry)
	if err != nil {
		return nil, err
	}
	rows, err := qc.QueryContext(ctx, b.sql, b.args)
	c.ran(b.plan)
	if err != nil {
		return nil, c.e.scrub(err)
	}
	return wrapRows(rows, rd), nil
}

// BeginTx starts a transaction.
func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if err := c.checkSession(ctx); err != nil {
		return nil, err
	}
	var inner driver.Tx
	var err error
	if b, ok := c.inner.(driver.ConnBeginTx); ok {
		inner, err = b.BeginTx(ctx, opts)
	} else {
		if opts.Isolation != 0 || opts.ReadOnly {
			return nil, fmt.Errorf("sqlseal: the wrapped driver does not support transaction options")
		}
		inner, err = c.inner.Begin() //nolint:staticcheck // the wrapped driver's only way
	}
	if err != nil {
		return nil, err
	}
	return &tx{inner: inner, e: c.e}, nil
}

// tx is a transaction of the wrapped driver: a deferred constraint fails
// at COMMIT, with an error whose details may quote stored values, which
// are scrubbed as the statements' are (Backend.ScrubError).
type tx struct {
	inner driver.Tx
	e     *Engine
}

// Commit commits the wrapped transaction.
func (t *tx) Commit() error { return t.e.scrub(t.inner.Commit()) }

// Rollback rolls the wrapped transaction back.
func (t *tx) Rollback() error { return t.e.scrub(t.inner.Rollback()) }

// Begin starts a transaction; database/sql uses BeginTx.
func (c *conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// Close closes the wrapped connection.
func (c *conn) Close() error { return c.inner.Close() }

// Ping pings the server.
func (c *conn) Ping(ctx context.Context) error {
	if p, ok := c.inner.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

// ResetSession refuses a connection whose session is broken, so that
// database/sql discards it, and otherwise asks the wrapped connection.
func (c *conn) ResetSession(ctx context.Context) error {
	if c.broken != nil {
		return driver.ErrBadConn
	}
	if r, ok := c.inner.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

// IsValid reports false for a connection whose session is broken.
func (c *conn) IsValid() bool {
	if c.broken != nil {
		return false
	}
	if v, ok := c.inner.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// CheckNamedValue lets the wrapped connection convert arguments, as
// database/sql would without sqlseal; a *Bulk is taken as it is, for
// ExecContext.
func (c *conn) CheckNamedValue(nv *driver.NamedValue) error {
	if _, ok := nv.Value.(*Bulk); ok {
		return nil
	}
	if ch, ok := c.inner.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	var err error
	nv.Value, err = driver.DefaultParameterConverter.ConvertValue(nv.Value)
	return err
}
