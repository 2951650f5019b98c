package engine

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"

	"github.com/sqlseal/sqlseal/internal/analysis"
)

// kind returns how column c stores ciphertext, reading the catalog over q
// the first time c is seen to exist. A column whose table does not exist
// yet is treated as text and looked up again next time.
func (e *Engine) kind(ctx context.Context, q driver.QueryerContext, c analysis.Column) (Kind, error) {
	e.kindsMu.RLock()
	k, ok := e.kinds[c]
	e.kindsMu.RUnlock()
	if ok || q == nil {
		return k, nil
	}
	typ, k, supported, exists, err := e.d.Catalog.ColumnType(ctx, q, c)
	if err != nil {
		return 0, fmt.Errorf("sqlseal: reading the type of protected column %s: %w", c, err)
	}
	if !exists {
		return KindText, nil
	}
	if !supported {
		return 0, fmt.Errorf("sqlseal: protected column %s has type %s: %w; store it in a text or binary column", c, typ, ErrColumnType)
	}
	e.kindsMu.Lock()
	e.kinds[c] = k
	e.kindsMu.Unlock()
	return k, nil
}

// knownKind returns the cached kind of c.
func (e *Engine) knownKind(c analysis.Column) (Kind, bool) {
	e.kindsMu.RLock()
	defer e.kindsMu.RUnlock()
	k, ok := e.kinds[c]
	return k, ok
}

func (e *Engine) ensureKinds(ctx context.Context, q driver.QueryerContext, cols []analysis.Column) error {
	for _, c := range cols {
		if _, err := e.kind(ctx, q, c); err != nil {
			return err
		}
	}
	return nil
}

// checkConnection runs once per engine, on the first connection that
// succeeds: every configured column that exists must have a type that can
// hold ciphertext, and if it holds sealed values, at least one of a sample
// must open with the configured keys.
func (e *Engine) checkConnection(ctx context.Context, conn driver.Conn) error {
	e.connectMu.Lock()
	defer e.connectMu.Unlock()
	if e.connected {
		return nil
	}
	q, ok := conn.(driver.QueryerContext)
	if !ok {
		e.connected = true
		return nil
	}
	for _, c := range e.prot.Columns() {
		if _, err := e.kind(ctx, q, c); err != nil {
			return err
		}
		k, exists := e.knownKind(c)
		if !exists || e.keyring.Len() == 0 {
			continue
		}
		if err := e.checkSample(ctx, q, c, k); err != nil {
			return err
		}
	}
	e.connected = true
	return nil
}

const sampleSize = 20

func (e *Engine) checkSample(ctx context.Context, q driver.QueryerContext, c analysis.Column, k Kind) error {
	rows, err := QueryRows(ctx, q, e.d.Catalog.SampleQuery(c, sampleSize))
	if err != nil {
		return fmt.Errorf("sqlseal: sampling protected column %s: %w", c, err)
	}
	sealed := 0
	for _, row := range rows {
		if len(row) == 0 {
			continue
		}
		looks, err := e.tryOpen(row[0], k)
		if looks {
			sealed++
			if err == nil {
				return nil
			}
		}
	}
	if sealed > 0 {
		return fmt.Errorf("sqlseal: protected column %s holds sealed values and none of the %d sampled opens with the configured keys: %w; set SQLSEAL_ENCRYPTION_SECRET_KEY to the key it was encrypted with, or list that key in SQLSEAL_PREVIOUS_SECRET_KEYS",
			c, sealed, ErrWrongKey)
	}
	return nil
}

// QueryRows runs a catalog query over a raw connection and returns every
// row. Arguments are bound by position.
func QueryRows(ctx context.Context, q driver.QueryerContext, sql string, args ...any) ([][]driver.Value, error) {
	nv := make([]driver.NamedValue, len(args))
	for i, a := range args {
		nv[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	rows, err := q.QueryContext(ctx, sql, nv)
	if errors.Is(err, driver.ErrSkip) {
		// go-sql-driver/mysql wants a prepared statement for arguments.
		rows, err = queryPrepared(ctx, q, sql, nv)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]driver.Value
	for {
		dest := make([]driver.Value, len(rows.Columns()))
		if err := rows.Next(dest); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, err
		}
		for i, v := range dest {
			if b, ok := v.([]byte); ok {
				dest[i] = append([]byte(nil), b...)
			}
		}
		out = append(out, dest)
	}
}

func queryPrepared(ctx context.Context, q driver.QueryerContext, sql string, nv []driver.NamedValue) (driver.Rows, error) {
	p, ok := q.(driver.ConnPrepareContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	stmt, err := p.PrepareContext(ctx, sql)
	if err != nil {
		return nil, err
	}
	sq, ok := stmt.(driver.StmtQueryContext)
	if !ok {
		stmt.Close()
		return nil, driver.ErrSkip
	}
	rows, err := sq.QueryContext(ctx, nv)
	if err != nil {
		stmt.Close()
		return nil, err
	}
	return stmtRows{rows, stmt}, nil
}

// stmtRows closes its statement with the rows.
type stmtRows struct {
	driver.Rows
	stmt driver.Stmt
}

func (r stmtRows) Close() error {
	err := r.Rows.Close()
	if err2 := r.stmt.Close(); err == nil {
		err = err2
	}
	return err
}
