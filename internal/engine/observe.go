package engine

import (
	"errors"

	"github.com/sqlseal/sqlseal"
)

// The engine reports to a sqlseal.Observer at a few points: a value sealed
// (seal), opened or read unsealed (rows), a refused statement (the
// interceptor, intercept.go), a key table read (readKeys) and an analysis
// (plan). Each call site checks only e.obs != nil.

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
