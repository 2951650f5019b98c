// Package sqlite is sqlseal's SQLite backend: modernc.org/sqlite as the
// engine must read it (how it binds ?, ?NNN, :name, @name and $name to the
// arguments) and SQLite's table_info pragma.
//
//	e, err := engine.New(sqlite.Backend, cfg, nil)
package sqlite

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/catalog"
	"github.com/sqlseal/sqlseal/internal/query"
)

// Catalog reads SQLite's table_info pragma. A table's schema, if given,
// is the name of an attached database.
type Catalog struct{}

var _ catalog.Catalog = Catalog{}

func pragmaArgs(schema, table string) (string, []any) {
	if schema == "" {
		return "pragma_table_info(?)", []any{table}
	}
	return "pragma_table_info(?, ?)", []any{table, schema}
}

// ColumnType reads the declared type of c and classifies it by SQLite's
// affinity rules: TEXT affinity (and no declared type) holds base64, BLOB
// raw bytes; INTEGER, REAL and NUMERIC affinities (JSON among them) would
// convert or refuse ciphertext and are not supported.
func (Catalog) ColumnType(ctx context.Context, q driver.QueryerContext, c analysis.Column) (catalog.ColumnFacts, error) {
	from, args := pragmaArgs(c.Schema, c.Table)
	rows, err := catalog.Query(ctx, q, "SELECT type FROM "+from+" WHERE name = ? COLLATE NOCASE", append(args, c.Name)...)
	if err != nil || len(rows) == 0 {
		return catalog.ColumnFacts{}, err
	}
	typ := catalog.String(rows[0][0])
	facts := catalog.ColumnFacts{Exists: true, Type: typ}
	t := strings.ToUpper(typ)
	switch {
	case strings.Contains(t, "INT"):
	case strings.Contains(t, "CHAR"), strings.Contains(t, "CLOB"), strings.Contains(t, "TEXT"), t == "":
		facts.Kind, facts.Supported = catalog.KindText, true
	case strings.Contains(t, "BLOB"):
		facts.Kind, facts.Supported = catalog.KindBinary, true
	}
	return facts, nil
}

// TableColumns returns the columns of t in order.
func (Catalog) TableColumns(ctx context.Context, q driver.QueryerContext, t query.Table) ([]string, error) {
	from, args := pragmaArgs(t.Schema, t.Name)
	rows, err := catalog.Query(ctx, q, "SELECT name FROM "+from+" ORDER BY cid", args...)
	return catalog.FirstColumn(rows), err
}

// SampleQuery selects up to n non-NULL values of c.
func (s Catalog) SampleQuery(c analysis.Column, n int) string {
	return catalog.SampleQuery(s.Quote, c, n)
}

// Quote quotes an identifier with double quotes.
func (Catalog) Quote(ident string) string {
	return `"` + strings.ReplaceAll(ident, `"`, `""`) + `"`
}

// Placeholder returns ?NNN, which SQLite binds by number.
func (Catalog) Placeholder(n int) string { return fmt.Sprintf("?%d", n) }

// Resolves reports whether SQLite resolves the unqualified table name to
// the database schema: the temp database first, then main, then attached
// databases in the order they were attached.
func (Catalog) Resolves(ctx context.Context, q driver.QueryerContext, name, schema string) (bool, error) {
	rows, err := catalog.Query(ctx, q,
		`SELECT d.name FROM pragma_database_list d JOIN pragma_table_list t ON t.schema = d.name
		 WHERE t.name = ? COLLATE NOCASE ORDER BY CASE d.name WHEN 'temp' THEN -1 ELSE d.seq END LIMIT 1`, name)
	if err != nil || len(rows) == 0 {
		return false, err
	}
	return strings.EqualFold(catalog.String(rows[0][0]), schema), nil
}
