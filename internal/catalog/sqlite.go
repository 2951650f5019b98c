package catalog

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/engine"
	"github.com/sqlseal/sqlseal/internal/query"
)

// SQLite reads SQLite's table_info pragma. A table's schema, if given, is
// the name of an attached database.
type SQLite struct{}

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
func (SQLite) ColumnType(ctx context.Context, q driver.QueryerContext, c analysis.Column) (string, engine.Kind, bool, bool, error) {
	from, args := pragmaArgs(c.Schema, c.Table)
	rows, err := engine.QueryRows(ctx, q, "SELECT type FROM "+from+" WHERE name = ? COLLATE NOCASE", append(args, c.Name)...)
	if err != nil || len(rows) == 0 {
		return "", 0, false, false, err
	}
	typ := asString(rows[0][0])
	t := strings.ToUpper(typ)
	switch {
	case strings.Contains(t, "INT"):
	case strings.Contains(t, "CHAR"), strings.Contains(t, "CLOB"), strings.Contains(t, "TEXT"), t == "":
		return typ, engine.KindText, true, true, nil
	case strings.Contains(t, "BLOB"):
		return typ, engine.KindBinary, true, true, nil
	}
	return typ, 0, false, true, nil
}

// TableColumns returns the columns of t in order.
func (SQLite) TableColumns(ctx context.Context, q driver.QueryerContext, t query.Table) ([]string, error) {
	from, args := pragmaArgs(t.Schema, t.Name)
	rows, err := engine.QueryRows(ctx, q, "SELECT name FROM "+from+" ORDER BY cid", args...)
	return firstColumn(rows), err
}

// SampleQuery selects up to n non-NULL values of c.
func (s SQLite) SampleQuery(c analysis.Column, n int) string {
	col := s.Quote(c.Name)
	table := s.Quote(c.Table)
	if c.Schema != "" {
		table = s.Quote(c.Schema) + "." + table
	}
	return fmt.Sprintf("SELECT %s FROM %s WHERE %s IS NOT NULL LIMIT %d", col, table, col, n)
}

// Quote quotes an identifier with double quotes.
func (SQLite) Quote(ident string) string {
	return `"` + strings.ReplaceAll(ident, `"`, `""`) + `"`
}

// Placeholder returns ?NNN, which SQLite binds by number.
func (SQLite) Placeholder(n int) string { return fmt.Sprintf("?%d", n) }

// Resolves reports whether SQLite resolves the unqualified table name to
// the database schema: the temp database first, then main, then attached
// databases in the order they were attached.
func (SQLite) Resolves(ctx context.Context, q driver.QueryerContext, name, schema string) (bool, error) {
	rows, err := engine.QueryRows(ctx, q,
		`SELECT d.name FROM pragma_database_list d JOIN pragma_table_list t ON t.schema = d.name
		 WHERE t.name = ? COLLATE NOCASE ORDER BY CASE d.name WHEN 'temp' THEN -1 ELSE d.seq END LIMIT 1`, name)
	if err != nil || len(rows) == 0 {
		return false, err
	}
	return strings.EqualFold(asString(rows[0][0]), schema), nil
}
