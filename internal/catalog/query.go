package catalog

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"

	"github.com/sqlseal/sqlseal/internal/analysis"
)

// Query runs a catalog query over a raw connection and returns every row.
// Arguments are bound by position. []byte values are copied, since drivers
// reuse their buffers.
func Query(ctx context.Context, q driver.QueryerContext, sql string, args ...any) ([][]driver.Value, error) {
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

// queryPrepared runs a query as a prepared statement.
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

// Close closes the rows, then the statement.
func (r stmtRows) Close() error {
	err := r.Rows.Close()
	if err2 := r.stmt.Close(); err == nil {
		err = err2
	}
	return err
}

// SampleQuery returns SQL that selects up to n non-NULL values of c, its
// names quoted with quote: the SampleQuery of a Catalog whose server takes
// schema.table and LIMIT, as the three supported ones do.
func SampleQuery(quote func(string) string, c analysis.Column, n int) string {
	col, table := quote(c.Name), quote(c.Table)
	if c.Schema != "" {
		table = quote(c.Schema) + "." + table
	}
	return fmt.Sprintf("SELECT %s FROM %s WHERE %s IS NOT NULL LIMIT %d", col, table, col, n)
}

// String returns a catalog value as text, however the driver returned it;
// "" for NULL.
func String(v driver.Value) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// FirstColumn returns the first column of every row as text.
func FirstColumn(rows [][]driver.Value) []string {
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = String(r[0])
	}
	return names
}
