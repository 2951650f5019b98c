// Package catalog reads what sqlseal needs to know about tables from each
// database's system catalog: a protected column's type (text or binary, or
// one that cannot hold ciphertext), a table's columns in order, its primary
// key, and how to quote names and write placeholders. Queries run over a raw
// connection of the wrapped driver, so they are never intercepted:
//
//	typ, kind, supported, exists, err := catalog.Postgres{}.ColumnType(ctx, conn, col)
package catalog

import "github.com/sqlseal/sqlseal/internal/engine"

// Catalog is engine.Catalog plus what the re-encryption of existing rows
// needs.
type Catalog interface {
	engine.Catalog
	// Quote quotes an identifier.
	Quote(ident string) string
	// Placeholder is the n-th (1-based) bind parameter.
	Placeholder(n int) string
}
