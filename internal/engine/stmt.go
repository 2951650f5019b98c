package engine

import (
	"context"
	"database/sql/driver"
	"errors"
)

// stmt is a prepared statement of the wrapped driver with its plan. Each
// execution seals its arguments, checks the session, and maps its result
// columns anew, over the connection that prepared it, so that nothing it
// opens rests on the schema, search path or session of an earlier
// execution.
type stmt struct {
	c     *conn
	inner driver.Stmt
	// query is the text as the application wrote it, before literals were
	// sealed into what the driver prepared.
	query string
	pe    *planEntry
	// sealedUnder is the key the literals in the prepared text were sealed
	// with; when another key seals, the text is prepared again.
	sealedUnder sealer
	// added is how many placeholders the blind index edits added to the
	// prepared text; the application binds the others.
	added int
	// ik are the index keys the prepared text was rewritten with; an
	// execution that finds other keys current (an index key rotation
	// began or ended) prepares the text again with those (see
	// followIndexKeys), so that lookups match the terms of every key.
	ik *indexKeys
}

var (
	_ driver.Stmt             = (*stmt)(nil)
	_ driver.StmtExecContext  = (*stmt)(nil)
	_ driver.StmtQueryContext = (*stmt)(nil)
	_ driver.ColumnConverter  = (*stmt)(nil)
)

// Close closes the wrapped statement.
func (s *stmt) Close() error { return s.inner.Close() }

// NumInput is the wrapped statement's, without the placeholders sqlseal
// added for blind index terms.
func (s *stmt) NumInput() int {
	n := s.inner.NumInput()
	if n < 0 || s.added == 0 {
		return n
	}
	return n - s.added
}

// ColumnConverter is the wrapped statement's, or database/sql's default.
func (s *stmt) ColumnConverter(idx int) driver.ValueConverter {
	if cc, ok := s.inner.(driver.ColumnConverter); ok {
		return cc.ColumnConverter(idx)
	}
	return driver.DefaultParameterConverter
}

// Exec executes with positional arguments; database/sql uses ExecContext.
func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

// Query executes with positional arguments; database/sql uses
// QueryContext.
func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

// named turns positional arguments into named values.
func named(args []driver.Value) []driver.NamedValue {
	nv := make([]driver.NamedValue, len(args))
	for i, v := range args {
		nv[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return nv
}

// prepareExecution checks the session and seals the arguments of one
// execution. rewritten is set when the arguments rewrite the text (pgx's
// named arguments): the driver then runs the rewritten text, not the
// prepared statement, and so does the caller, through the connection.
func (s *stmt) prepareExecution(ctx context.Context, args []driver.NamedValue, query bool) (b bound, rewritten bool, err error) {
	if err := s.c.checkSession(ctx); err != nil {
		return bound{}, false, err
	}
	forms, err := s.c.e.argForms(ctx, s.query, args, query)
	if err != nil {
		return bound{}, false, err
	}
	if forms.Rewrote {
		return bound{}, true, nil
	}
	forms.SQL = s.query
	if err := s.followIndexKeys(ctx); err != nil {
		return bound{}, false, err
	}
	if b, err = s.c.e.bindPrepared(ctx, s.c.q, s.pe, forms, s.ik); err != nil {
		return bound{}, false, err
	}
	return b, false, s.resealLiterals(ctx)
}

// followIndexKeys prepares the text again when the index keys are no
// longer those it was rewritten with: a lookup prepared before an index
// key rotation began must also match the terms written under the new key
// (and stop adding older terms once the rotation ends). The application
// binds as many arguments as before; only the placeholders sqlseal adds
// change.
func (s *stmt) followIndexKeys(ctx context.Context) error {
	if s.ik == nil {
		return nil
	}
	s.c.e.refreshIfStale(ctx)
	ik, err := s.c.e.currentIndexKeys()
	if err != nil {
		return err
	}
	if sameIndexKeys(ik, s.ik) {
		return nil
	}
	text, used, err := s.c.e.rewriteText(ctx, s.c.q, s.query, s.pe.plan, ik)
	if err != nil {
		return err
	}
	inner, err := s.c.prepareInner(ctx, text)
	if err != nil {
		return err
	}
	s.inner.Close()
	s.inner, s.sealedUnder, s.ik = inner, used, ik
	s.added = addedParams(s.pe.plan) + rotationParams(s.pe.plan, ik)
	return nil
}

// sameIndexKeys reports whether a and b hold the same keys (unwrapped
// once per process, so the same pointers).
func sameIndexKeys(a, b *indexKeys) bool {
	if a.active != b.active || len(a.previous) != len(b.previous) {
		return false
	}
	for i := range a.previous {
		if a.previous[i] != b.previous[i] {
			return false
		}
	}
	return true
}

// resealLiterals prepares the text again when the key that sealed the
// literals in the prepared text no longer seals: a new active data key,
// made since, must be the only one new values are written under.
func (s *stmt) resealLiterals(ctx context.Context) error {
	lits := s.pe.plan.Literals
	if len(lits) == 0 {
		return nil
	}
	// Blind index edits do not depend on the data key: the index key has
	// its own rotation (sqlseal index rebuild).
	s.c.e.refreshIfStale(ctx)
	key, _, err := s.c.e.keys.sealer()
	if err != nil {
		return err
	}
	if key == s.sealedUnder {
		return nil
	}
	text, used, err := s.c.e.rewriteText(ctx, s.c.q, s.query, s.pe.plan, s.ik)
	if err != nil {
		return err
	}
	inner, err := s.c.prepareInner(ctx, text)
	if err != nil {
		return err
	}
	s.inner.Close()
	s.inner, s.sealedUnder = inner, used
	return nil
}

// ExecContext seals the arguments and executes.
func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	b, rewritten, err := s.prepareExecution(ctx, args, false)
	if err != nil {
		return nil, err
	}
	if rewritten {
		return s.c.ExecContext(ctx, s.query, args)
	}
	res, err := runInner(ctx, s.inner, b.args, driver.StmtExecContext.ExecContext,
		driver.Stmt.Exec) //nolint:staticcheck // the wrapped driver's only way
	s.c.ran(b.plan)
	return res, s.c.e.scrub(err)
}

// QueryContext seals the arguments, executes, and opens the protected
// result columns.
func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	b, rewritten, err := s.prepareExecution(ctx, args, true)
	if err != nil {
		return nil, err
	}
	if rewritten {
		return s.c.QueryContext(ctx, s.query, args)
	}
	rd, err := s.c.e.readerFor(ctx, s.c.q, s.pe)
	if err != nil {
		return nil, err
	}
	rows, err := runInner(ctx, s.inner, b.args, driver.StmtQueryContext.QueryContext,
		driver.Stmt.Query) //nolint:staticcheck // the wrapped driver's only way
	s.c.ran(b.plan)
	if err != nil {
		return nil, s.c.e.scrub(err)
	}
	return wrapRows(rows, rd), nil
}

// runInner runs the wrapped statement with args: through withContext when
// it has the context interface I, else through legacy with the positional
// values, as database/sql does for a driver without the context interfaces.
func runInner[I, T any](ctx context.Context, inner driver.Stmt, args []driver.NamedValue,
	withContext func(I, context.Context, []driver.NamedValue) (T, error),
	legacy func(driver.Stmt, []driver.Value) (T, error),
) (T, error) {
	if c, ok := inner.(I); ok {
		return withContext(c, ctx, args)
	}
	vals, err := positional(args)
	if err != nil {
		var zero T
		return zero, err
	}
	return legacy(inner, vals)
}

// positional returns the values of unnamed arguments, as database/sql does
// for a driver without the context interfaces.
func positional(args []driver.NamedValue) ([]driver.Value, error) {
	vals := make([]driver.Value, len(args))
	for i, a := range args {
		if a.Name != "" {
			return nil, errors.New("sqlseal: the wrapped driver does not support named arguments")
		}
		vals[i] = a.Value
	}
	return vals, nil
}
