// Package catalog reads what sqlseal needs to know about tables from each
// database's system catalog: a protected column's type (text or binary, or
// one that cannot hold ciphertext), a table's columns in order, how the
// server resolves an unqualified table name, and how to quote names and
// write placeholders. Queries run over a raw connection of the wrapped
// driver, so they are never intercepted:
//
//	facts, err := catalog.Postgres{}.ColumnType(ctx, conn, col)
//	if err == nil && facts.Exists && !facts.Supported {
//		// the column cannot hold ciphertext (json, integer, ...)
//	}
package catalog

import (
	"context"
	"database/sql/driver"

	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/query"
)

// Kind is how a protected column stores ciphertext.
type Kind uint8

const (
	// KindText columns (text, varchar, TEXT, LONGTEXT) hold base64 text.
	KindText Kind = iota
	// KindBinary columns (bytea, BLOB, VARBINARY) hold raw bytes.
	KindBinary
)

// String names the kind for reports.
func (k Kind) String() string {
	if k == KindBinary {
		return "binary"
	}
	return "text"
}

// ColumnFacts is what the catalog says about one column.
type ColumnFacts struct {
	// Exists is false when the table or the column does not exist (yet);
	// the other fields are then zero.
	Exists bool
	// Type is the column's declared type, for messages.
	Type string
	// Kind is how the column stores ciphertext, when Supported.
	Kind Kind
	// Supported is false for a type that cannot hold ciphertext whole
	// (json, numbers, PostgreSQL's name and char(n), MySQL's BINARY(n)).
	Supported bool
}

// Catalog reads column facts from one kind of database over a raw
// connection of the wrapped driver (statements sent through it are not
// intercepted).
type Catalog interface {
	// ColumnType returns the facts of c.
	ColumnType(ctx context.Context, q driver.QueryerContext, c analysis.Column) (ColumnFacts, error)
	// TableColumns returns the column names of t in order.
	TableColumns(ctx context.Context, q driver.QueryerContext, t query.Table) ([]string, error)
	// SampleQuery returns SQL that selects up to n non-NULL values of c.
	SampleQuery(c analysis.Column, n int) string
	// Resolves reports whether the server, on this connection, resolves
	// the unqualified table name to the given schema (PostgreSQL's search
	// path and temporary tables, MySQL's current database, SQLite's
	// temp-then-main order).
	Resolves(ctx context.Context, q driver.QueryerContext, name, schema string) (bool, error)
	// Quote quotes an identifier.
	Quote(ident string) string
	// Placeholder is the n-th (1-based) bind parameter.
	Placeholder(n int) string
}
