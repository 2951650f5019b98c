package driver

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/internal/engine"
	"github.com/sqlseal/sqlseal/internal/query"
)

// Execer is what CopyFrom loads through: a *sql.DB, *sql.Conn or *sql.Tx
// of a pool opened with this driver.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// ErrNotSealing is returned by CopyFrom when db is not a PostgreSQL pool
// of the sqlseal driver (pgx's own, another driver's): no row was read.
var ErrNotSealing = errors.New("sqlseal: CopyFrom needs a PostgreSQL pool opened with the sqlseal driver")

// CopyFrom loads rows into columns of table with PostgreSQL's COPY
// protocol (pgx's CopyFrom), sealing the value of every protected column
// of every row on the way as an INSERT through the driver seals it: in the
// envelope format, bound to the column, when the database has a key table
// with an active data key, otherwise in the Metabase format. It returns how
// many rows the server stored.
//
// db is a *sql.DB, *sql.Conn or *sql.Tx opened with this driver; the COPY
// runs on the connection database/sql picks for it, within the
// transaction of a *sql.Tx. table is [name] (resolved with the
// connection's search path, as COPY resolves it) or [schema, name];
// columns and names are exact, as pgx quotes them.
//
// As with INSERT, values for protected columns are string, []byte, nil,
// pointers to those, sql.NullString, json.RawMessage or a driver.Valuer
// returning one of those, and values for other columns are sent as pgx
// sends them. CopyFrom refuses, with an error wrapping sqlseal.ErrRefused
// and before anything is sent: a table the connection cannot resolve, a
// view or foreign table, an unqualified name that the server resolves to a
// table in another schema than a protected column of that name is
// configured in, a column list with a repeated column or a column the table
// does not have. A protected column whose type cannot hold ciphertext fails
// with sqlseal.ErrColumnType, a value that cannot be sealed with
// sqlseal.ErrUnsupportedValue: in the first row before anything is sent, in
// a later row by aborting the COPY, so that the server keeps none of its
// rows.
func CopyFrom(ctx context.Context, db Execer, table pgx.Identifier, columns []string, rows pgx.CopyFromSource) (int64, error) {
	var t query.Table
	switch len(table) {
	case 1:
		t.Name = table[0]
	case 2:
		t.Schema, t.Name = table[0], table[1]
	default:
		return 0, fmt.Errorf("sqlseal: bulk load refused: the table is named with %d parts; name it [table] or [schema, table] (nothing was sent to the server): %w", len(table), sqlseal.ErrRefused)
	}
	if rows == nil {
		return 0, fmt.Errorf("sqlseal: bulk load refused: no rows source; pass one (nothing was sent to the server): %w", sqlseal.ErrRefused)
	}
	bulk := engine.NewBulk(t, columns, rows)
	res, err := db.ExecContext(ctx, engine.BulkText, bulk)
	if err != nil {
		if !bulk.Reached() && !beforeDriver(ctx, err) {
			return 0, fmt.Errorf("%w: %w", ErrNotSealing, err)
		}
		return 0, err
	}
	return res.RowsAffected()
}

// beforeDriver reports whether err is database/sql's own or the context's,
// returned before any driver saw the load.
func beforeDriver(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, sql.ErrConnDone) || errors.Is(err, sql.ErrTxDone) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
