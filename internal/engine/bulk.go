package engine

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/catalog"
	"github.com/sqlseal/sqlseal/internal/query"
)

// A bulk load (PostgreSQL's COPY ... FROM STDIN) has no SQL text for the
// analysis to read: the application names a table, its columns and a
// source of rows. It reaches a connection the way every other request does,
// through database/sql's ExecContext, so that it runs on the connection
// database/sql picks (a *sql.Conn's, a *sql.Tx's): the text is BulkText and
// the only argument the *Bulk. The connection resolves the table as the
// server does, seals each protected column's value of each row as it seals
// a bound argument, and hands the rows to the backend's bulk protocol.

// BulkText is the SQL text of the ExecContext call that carries a *Bulk.
// On a connection that is not sqlseal's, the wrapped driver gets a comment
// and an argument it cannot bind, and fails without reading a row.
const BulkText = "-- sqlseal bulk load"

// BulkRows is a source of rows for a bulk load; pgx.CopyFromSource has
// the same methods.
type BulkRows interface {
	// Next advances to the next row and reports whether there is one.
	Next() bool
	// Values returns the values of the current row, one per column.
	Values() ([]any, error)
	// Err returns the error that ended the rows, if any.
	Err() error
}

// BulkLoader is a backend's bulk load protocol.
type BulkLoader interface {
	// Locate returns the table that t names on the connection, as the
	// server resolves it now (search path, temporary tables), with its
	// schema; found is false when t names no table that rows can be
	// loaded into.
	Locate(ctx context.Context, q driver.QueryerContext, t query.Table) (resolved query.Table, found bool, err error)
	// Load sends rows to columns of table t, schema-qualified, over inner,
	// a connection of the wrapped driver, and returns how many rows the
	// server stored.
	Load(ctx context.Context, inner driver.Conn, t query.Table, columns []string, rows BulkRows) (int64, error)
}

// Bulk is one bulk load, the only argument of an ExecContext call with the
// text BulkText.
type Bulk struct {
	table   query.Table
	columns []string
	rows    BulkRows
	// reached is set when a sqlseal connection takes the load: a load runs
	// once, whatever database/sql retries.
	reached atomic.Bool
}

// NewBulk returns the bulk load of rows into columns of table; table's
// Schema is empty for a name the server resolves with its search path.
func NewBulk(table query.Table, columns []string, rows BulkRows) *Bulk {
	return &Bulk{table: table, columns: columns, rows: rows}
}

// Reached reports whether a sqlseal connection took the load; when an
// ExecContext that carried it fails and Reached is false, the connection
// was not sqlseal's (or database/sql failed before reaching it).
func (b *Bulk) Reached() bool { return b.reached.Load() }

// ErrBulkNotSealed is the error of a *Bulk given to anything but a sqlseal
// connection's bulk load: as a value it has none.
var ErrBulkNotSealed = errors.New("sqlseal: a bulk load runs only on a connection of the sqlseal driver")

// Value fails: a *Bulk bound anywhere but as the bulk load of a sqlseal
// connection is an error, never a value.
func (b *Bulk) Value() (driver.Value, error) { return nil, ErrBulkNotSealed }

// bulkArg returns the *Bulk among args, if any.
func bulkArg(args []driver.NamedValue) (*Bulk, bool) {
	for _, a := range args {
		if b, ok := a.Value.(*Bulk); ok {
			return b, true
		}
	}
	return nil, false
}

// errBulkUnsupported is returned for a bulk load on a backend without one.
var errBulkUnsupported = errors.New("sqlseal: this database has no bulk load protocol sqlseal drives (PostgreSQL's COPY only)")

// bulkLoad runs the bulk load carried by args with the text query.
func (c *conn) bulkLoad(ctx context.Context, query string, args []driver.NamedValue, b *Bulk) (driver.Result, error) {
	if !b.reached.CompareAndSwap(false, true) {
		return nil, fmt.Errorf("sqlseal: a bulk load runs once; make a new one: %w", errInternal)
	}
	if query != BulkText || len(args) != 1 {
		return nil, fmt.Errorf("sqlseal: a bulk load must be the only argument of its own call: %w", errInternal)
	}
	loader := c.e.b.Bulk
	if loader == nil {
		return nil, errBulkUnsupported
	}
	if err := c.checkSession(ctx); err != nil {
		return nil, err
	}
	p, err := c.e.planBulk(ctx, c.q, loader, b.table, b.columns)
	if err != nil {
		return nil, err
	}
	src, err := c.e.sealRows(ctx, p, b.rows)
	switch {
	case err != nil:
		return nil, err
	case src == nil:
		return driver.RowsAffected(0), nil // no rows: nothing to send
	}
	n, err := loader.Load(ctx, c.inner, p.table, b.columns, src)
	switch {
	case err != nil && src.err != nil:
		// The load was aborted on a row sqlseal could not seal (or the
		// source failed): the server kept none of its rows.
		return nil, fmt.Errorf("sqlseal: bulk load aborted, no row was stored: %w", src.err)
	case err != nil:
		return nil, fmt.Errorf("sqlseal: bulk load: %w", err)
	}
	return driver.RowsAffected(n), nil
}

// bulkPlan is what a bulk load writes: the table as the server resolved
// it, and the positions of the protected columns in each row.
type bulkPlan struct {
	table query.Table
	width int
	slots []slot
}

// refuseBulk is the refusal of a bulk load; c is the protected column
// concerned, if any. Like a RefusalError it holds sqlseal's own words and
// configured names only.
func refuseBulk(c *analysis.Column, what, hint string) error {
	col := ""
	if c != nil {
		col = " protected column " + c.String() + ":"
	}
	return fmt.Errorf("sqlseal: bulk load refused:%s %s; %s (nothing was sent to the server): %w", col, what, hint, sqlseal.ErrRefused)
}

// planBulk resolves table as the server does on this connection and maps
// columns to the protected columns of that table. Anything it cannot map
// is refused before a row is read.
func (e *Engine) planBulk(ctx context.Context, q driver.QueryerContext, loader BulkLoader, table query.Table, columns []string) (bulkPlan, error) {
	if table.Name == "" || len(columns) == 0 {
		return bulkPlan{}, refuseBulk(nil, "a bulk load needs a table and at least one column", "name them")
	}
	resolved, found, err := loader.Locate(ctx, q, table)
	if err != nil {
		return bulkPlan{}, fmt.Errorf("sqlseal: bulk load: resolving the table: %w", err)
	}
	if !found {
		return bulkPlan{}, refuseBulk(nil, "the table does not exist on this connection, is not on its search path, or is not a table (a view, a foreign table)",
			"load into an existing table, schema-qualified if it is not on the search path")
	}
	var prot []analysis.Column
	for _, c := range e.prot.Columns() {
		switch {
		case c.Table != resolved.Name:
		case c.Schema == "" || c.Schema == resolved.Schema:
			prot = append(prot, c)
		case table.Schema == "":
			// The unqualified name is also a protected table's, in another
			// schema: the application may mean either.
			return bulkPlan{}, refuseBulk(&c, "the table name is unqualified and the server resolves it to a table in another schema than this protected column's",
				"qualify the table name with its schema")
		}
	}
	existing, err := e.b.Catalog.TableColumns(ctx, q, resolved)
	if err != nil {
		return bulkPlan{}, fmt.Errorf("sqlseal: bulk load: reading the table's columns: %w", err)
	}
	have := make(map[string]bool, len(existing))
	for _, n := range existing {
		have[n] = true
	}
	p := bulkPlan{table: resolved, width: len(columns)}
	seen := make(map[string]bool, len(columns))
	for i, name := range columns {
		if seen[name] {
			return bulkPlan{}, refuseBulk(nil, fmt.Sprintf("column %d of the column list repeats an earlier one", i+1), "name each column once")
		}
		seen[name] = true
		if !have[name] {
			return bulkPlan{}, refuseBulk(nil, fmt.Sprintf("column %d of the column list is not a column of the table (names are exact: the server's spelling, without quotes)", i+1),
				"name the table's columns as the catalog spells them")
		}
		for _, c := range prot {
			if c.Name != name {
				continue
			}
			k, err := e.bulkKind(ctx, q, resolved, c)
			if err != nil {
				return bulkPlan{}, err
			}
			p.slots = append(p.slots, slot{index: i, col: c, kind: k})
			break // configured with and without its schema: sealed once
		}
	}
	return p, nil
}

// bulkKind reads the kind of protected column c in table t, the table a
// bulk load writes, which may be another schema's than the one the
// configured name resolves to.
func (e *Engine) bulkKind(ctx context.Context, q driver.QueryerContext, t query.Table, c analysis.Column) (catalog.Kind, error) {
	facts, err := e.b.Catalog.ColumnType(ctx, q, analysis.Column{Schema: t.Schema, Table: t.Name, Name: c.Name})
	switch {
	case err != nil:
		return 0, fmt.Errorf("sqlseal: reading the type of protected column %s: %w", c, err)
	case !facts.Exists:
		return 0, fmt.Errorf("sqlseal: bulk load: protected column %s changed while it was read: %w", c, errInternal)
	case !facts.Supported:
		return 0, fmt.Errorf("sqlseal: protected column %s has type %s: %w; store it in a text or variable-length binary column", c, facts.Type, sqlseal.ErrColumnType)
	}
	return facts.Kind, nil
}
