package engine

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"reflect"
	"unsafe"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/codec"
)

// rows is the result set of one execution, opening its protected columns.
// It implements every optional interface of driver.Rows that sqlmw may
// expose, forwarding to the wrapped rows: sqlmw exposes an interface only
// when the wrapped rows (Unwrap) implement it. It does not implement
// driver.RowsColumnScanner (Go 1.27), which would let database/sql read
// values without Next, and so without opening them.
type rows struct {
	inner driver.Rows
	rd    *reader
	slots []slot
	ready bool
}

var (
	_ driver.Rows                           = (*rows)(nil)
	_ driver.RowsNextResultSet              = (*rows)(nil)
	_ driver.RowsColumnTypeDatabaseTypeName = (*rows)(nil)
	_ driver.RowsColumnTypeLength           = (*rows)(nil)
	_ driver.RowsColumnTypeNullable         = (*rows)(nil)
	_ driver.RowsColumnTypePrecisionScale   = (*rows)(nil)
	_ driver.RowsColumnTypeScanType         = (*rows)(nil)
)

// wrapRows wraps the rows of one execution; with no reader they are
// returned as they are.
func wrapRows(inner driver.Rows, rd *reader) driver.Rows {
	if rd == nil {
		return inner
	}
	return &rows{inner: inner, rd: rd, slots: rd.slots, ready: rd.results == nil}
}

// Unwrap returns the wrapped rows (sqlmw.RowsUnwrapper).
func (r *rows) Unwrap() driver.Rows { return r.inner }

// Columns returns the wrapped rows' columns.
func (r *rows) Columns() []string { return r.inner.Columns() }

// Close closes the wrapped rows.
func (r *rows) Close() error { return r.inner.Close() }

// Next reads the next row and opens its protected values in place.
func (r *rows) Next(dest []driver.Value) error {
	if err := r.inner.Next(dest); err != nil {
		return err
	}
	if !r.ready {
		slots, err := r.rd.mapColumns(r.inner.Columns())
		if err != nil {
			return err
		}
		r.slots, r.ready = slots, true
	}
	for _, s := range r.slots {
		if s.index >= len(dest) || dest[s.index] == nil {
			continue
		}
		v, err := r.rd.e.openValue(dest[s.index], s)
		if err != nil {
			return err
		}
		dest[s.index] = v
	}
	return nil
}

// HasNextResultSet is the wrapped rows'.
func (r *rows) HasNextResultSet() bool {
	n, ok := r.inner.(driver.RowsNextResultSet)
	return ok && n.HasNextResultSet()
}

// NextResultSet is refused: the mapping of protected columns is made for
// one result set, and a text that returns protected columns holds one
// statement.
func (r *rows) NextResultSet() error {
	n, ok := r.inner.(driver.RowsNextResultSet)
	if !ok {
		return io.EOF
	}
	if err := n.NextResultSet(); err != nil {
		return err
	}
	return fmt.Errorf("sqlseal: a further result set after one with protected columns: %w", sqlseal.ErrResultColumns)
}

// ColumnTypeDatabaseTypeName is the wrapped rows'.
func (r *rows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.inner.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

// ColumnTypeLength is the wrapped rows'.
func (r *rows) ColumnTypeLength(i int) (int64, bool) {
	if t, ok := r.inner.(driver.RowsColumnTypeLength); ok {
		return t.ColumnTypeLength(i)
	}
	return 0, false
}

// ColumnTypeNullable is the wrapped rows'.
func (r *rows) ColumnTypeNullable(i int) (bool, bool) {
	if t, ok := r.inner.(driver.RowsColumnTypeNullable); ok {
		return t.ColumnTypeNullable(i)
	}
	return false, false
}

// ColumnTypePrecisionScale is the wrapped rows'.
func (r *rows) ColumnTypePrecisionScale(i int) (int64, int64, bool) {
	if t, ok := r.inner.(driver.RowsColumnTypePrecisionScale); ok {
		return t.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}

// ColumnTypeScanType is the wrapped rows'.
func (r *rows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.inner.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

// openValue opens one stored value. A value that does not look sealed is
// plaintext written before encryption was enabled: returned as is unless
// plaintext is rejected.
func (e *Engine) openValue(v driver.Value, s slot) (driver.Value, error) {
	switch v.(type) {
	case string, []byte:
	default:
		return v, nil
	}
	pt, err := e.open(context.Background(), v, s.col, s.kind)
	switch {
	case err == nil:
		if e.obs != nil {
			e.obs.Opened(s.col)
		}
		if _, ok := v.(string); ok {
			if len(pt) == 0 {
				return "", nil
			}
			// pt is a fresh buffer nothing else references or writes.
			return unsafe.String(&pt[0], len(pt)), nil
		}
		return pt, nil
	case errors.Is(err, codec.ErrNotSealed):
		return e.unsealed(v, s)
	}
	return nil, err
}

// unsealed returns a protected value that is not sealed, unless plaintext is
// rejected.
func (e *Engine) unsealed(v driver.Value, s slot) (driver.Value, error) {
	if e.obs != nil {
		e.obs.PlaintextRead(s.col)
	}
	if e.rejectPlaintext {
		return nil, fmt.Errorf("sqlseal: protected column %s holds a value that is not sealed and SQLSEAL_ACCEPT_PLAINTEXT is false: %w", s.col, sqlseal.ErrPlaintext)
	}
	return v, nil
}
