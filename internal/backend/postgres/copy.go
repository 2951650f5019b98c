package postgres

import (
	"context"
	"database/sql/driver"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/sqlseal/sqlseal/internal/catalog"
	"github.com/sqlseal/sqlseal/internal/engine"
	"github.com/sqlseal/sqlseal/internal/query"
)

// copier loads rows with pgx's CopyFrom: PostgreSQL's COPY ... FROM STDIN
// in the binary format.
type copier struct{}

var _ engine.BulkLoader = copier{}

// locateSQL returns the schema and name of the relation to_regclass
// resolves $1 to, as COPY would (the search path as it is now, temporary
// tables first unless it places pg_temp elsewhere), and its kind.
const locateSQL = `SELECT n.nspname::text, c.relname::text, c.relkind::text
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = to_regclass($1)`

// Locate resolves t. Only tables and partitioned tables are found: COPY
// into a view runs its triggers, whose writes sqlseal cannot see.
func (copier) Locate(ctx context.Context, q driver.QueryerContext, t query.Table) (query.Table, bool, error) {
	rows, err := catalog.Query(ctx, q, locateSQL, regclassArg(t))
	if err != nil || len(rows) == 0 {
		return query.Table{}, false, err
	}
	schema, name, kind := catalog.String(rows[0][0]), catalog.String(rows[0][1]), catalog.String(rows[0][2])
	if kind != "r" && kind != "p" {
		return query.Table{}, false, nil
	}
	return query.Table{Schema: schema, Name: name}, true, nil
}

// errNotPgx is returned for a wrapped connection that is not pgx's.
var errNotPgx = errors.New("the wrapped connection is not pgx's")

// Load copies rows into t with pgx's CopyFrom on the pgx connection inner
// wraps, within its transaction if one is open.
func (copier) Load(ctx context.Context, inner driver.Conn, t query.Table, columns []string, rows engine.BulkRows) (int64, error) {
	c, ok := inner.(*stdlib.Conn)
	if !ok {
		return 0, errNotPgx
	}
	return c.Conn().CopyFrom(ctx, pgx.Identifier{t.Schema, t.Name}, columns, rows)
}
