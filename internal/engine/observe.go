package engine

import (
	"context"
	"database/sql/driver"
	"errors"

	"github.com/sqlseal/sqlseal"
)

// The engine reports to a sqlseal.Observer at a few points: a value sealed
// (seal), opened or read unsealed (rows), a refused statement (the
// interceptor), a key table read (readKeys) and an analysis (plan). Each
// call site checks only e.obs != nil.

// newObserver returns a copy of o whose nil functions do nothing, so that
// call sites need not check each; nil for nil.
func newObserver(o *sqlseal.Observer) *sqlseal.Observer {
	if o == nil {
		return nil
	}
	c := *o
	if c.Sealed == nil {
		c.Sealed = func(sqlseal.Column) {}
	}
	if c.Opened == nil {
		c.Opened = func(sqlseal.Column) {}
	}
	if c.PlaintextRead == nil {
		c.PlaintextRead = func(sqlseal.Column) {}
	}
	if c.Refused == nil {
		c.Refused = func(sqlseal.Column, sqlseal.Reason) {}
	}
	if c.DataKeys == nil {
		c.DataKeys = func(int, int) {}
	}
	if c.PlanCache == nil {
		c.PlanCache = func(int, int) {}
	}
	return &c
}

// noteRefusal reports err, returned to the application, to the observer
// and to the debug log when it is a refusal.
func (e *Engine) noteRefusal(err error) {
	var re *sqlseal.RefusalError
	if err == nil || !errors.As(err, &re) {
		return
	}
	if e.obs != nil {
		e.obs.Refused(re.Column, re.Reason)
	}
	e.logger.Debug("sqlseal: statement refused", "column", re.Column.String(), "reason", re.Reason.Name())
}

// observedPlan is plan with an observer: after a text was analysed, it
// reports the size of the cache.
func (e *Engine) observedPlan(sql string) *planEntry {
	before := e.cache.analyses.Load()
	pe := e.cache.get(sql, e.analyse)
	if e.cache.analyses.Load() != before {
		e.obs.PlanCache(e.cache.size())
	}
	return pe
}

// The interceptor's methods through which every statement reaches the
// engine report the refusals they return.

// ConnPrepareContext prepares on the conn and reports a refusal.
func (i interceptor) ConnPrepareContext(ctx context.Context, conn driver.ConnPrepareContext, query string) (context.Context, driver.Stmt, error) {
	s, err := conn.PrepareContext(ctx, query)
	if err != nil {
		i.e.noteRefusal(err)
	}
	return ctx, s, err
}

// ConnExecContext executes on the conn and reports a refusal.
func (i interceptor) ConnExecContext(ctx context.Context, conn driver.ExecerContext, query string, args []driver.NamedValue) (driver.Result, error) {
	r, err := conn.ExecContext(ctx, query, args)
	if err != nil {
		i.e.noteRefusal(err)
	}
	return r, err
}

// ConnQueryContext queries on the conn and reports a refusal.
func (i interceptor) ConnQueryContext(ctx context.Context, conn driver.QueryerContext, query string, args []driver.NamedValue) (context.Context, driver.Rows, error) {
	r, err := conn.QueryContext(ctx, query, args)
	if err != nil {
		i.e.noteRefusal(err)
	}
	return ctx, r, err
}

// StmtExecContext executes the statement and reports a refusal.
func (i interceptor) StmtExecContext(ctx context.Context, stmt driver.StmtExecContext, _ string, args []driver.NamedValue) (driver.Result, error) {
	r, err := stmt.ExecContext(ctx, args)
	if err != nil {
		i.e.noteRefusal(err)
	}
	return r, err
}

// StmtQueryContext queries with the statement and reports a refusal.
func (i interceptor) StmtQueryContext(ctx context.Context, stmt driver.StmtQueryContext, _ string, args []driver.NamedValue) (context.Context, driver.Rows, error) {
	r, err := stmt.QueryContext(ctx, args)
	if err != nil {
		i.e.noteRefusal(err)
	}
	return ctx, r, err
}
