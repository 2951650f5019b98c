package catalog

import (
	"context"
	"database/sql/driver"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/engine"
	"github.com/sqlseal/sqlseal/internal/query"
)

// Postgres reads PostgreSQL's system catalogs.
type Postgres struct{}

func regclassArg(t query.Table) string {
	if t.Schema == "" {
		return pgx.Identifier{t.Name}.Sanitize()
	}
	return pgx.Identifier{t.Schema, t.Name}.Sanitize()
}

const pgColumnTypeSQL = `SELECT format_type(a.atttypid, a.atttypmod),
       COALESCE(b.typname, t.typname)::text, COALESCE(b.typcategory, t.typcategory)::text
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype
WHERE a.attrelid = to_regclass($1) AND a.attname = $2 AND a.attnum > 0 AND NOT a.attisdropped`

// ColumnType reads the type of c; text-category types (text, varchar,
// char, citext and domains over them) hold base64, bytea raw bytes.
func (Postgres) ColumnType(ctx context.Context, q driver.QueryerContext, c analysis.Column) (string, engine.Kind, bool, bool, error) {
	rows, err := engine.QueryRows(ctx, q, pgColumnTypeSQL, regclassArg(query.Table{Schema: c.Schema, Name: c.Table}), c.Name)
	if err != nil || len(rows) == 0 {
		return "", 0, false, false, err
	}
	typ, base, category := asString(rows[0][0]), asString(rows[0][1]), asString(rows[0][2])
	switch {
	case base == "bytea":
		return typ, engine.KindBinary, true, true, nil
	case category == "S":
		return typ, engine.KindText, true, true, nil
	}
	return typ, 0, false, true, nil
}

const pgTableColumnsSQL = `SELECT attname::text FROM pg_attribute
WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`

// TableColumns returns the live columns of t in attribute order.
func (Postgres) TableColumns(ctx context.Context, q driver.QueryerContext, t query.Table) ([]string, error) {
	rows, err := engine.QueryRows(ctx, q, pgTableColumnsSQL, regclassArg(t))
	return firstColumn(rows), err
}

// SampleQuery selects up to n non-NULL values of c.
func (Postgres) SampleQuery(c analysis.Column, n int) string {
	col := pgx.Identifier{c.Name}.Sanitize()
	return fmt.Sprintf("SELECT %s FROM %s WHERE %s IS NOT NULL LIMIT %d",
		col, regclassArg(query.Table{Schema: c.Schema, Name: c.Table}), col, n)
}

// Quote quotes an identifier for PostgreSQL.
func (Postgres) Quote(ident string) string { return pgx.Identifier{ident}.Sanitize() }

// Placeholder returns $n.
func (Postgres) Placeholder(n int) string { return fmt.Sprintf("$%d", n) }

// Resolves reports whether the connection's search path resolves the
// unqualified table name to the table of that name in schema.
func (Postgres) Resolves(ctx context.Context, q driver.QueryerContext, name, schema string) (bool, error) {
	rows, err := engine.QueryRows(ctx, q, `SELECT COALESCE(to_regclass($1) = to_regclass($2), false)`,
		pgx.Identifier{name}.Sanitize(), pgx.Identifier{schema, name}.Sanitize())
	if err != nil || len(rows) == 0 {
		return false, err
	}
	ok, _ := rows[0][0].(bool)
	return ok, nil
}

// CheckSession refuses a session with standard_conforming_strings off: the
// parser sqlseal analyses with reads string literals as the server does
// with it on, which is also all pgx's simple protocol accepts. pgx reports
// the setting at connect, so this asks no query of the server.
func (Postgres) CheckSession(ctx context.Context, q driver.QueryerContext) error {
	c, ok := q.(interface{ Conn() *pgx.Conn })
	if !ok {
		return nil
	}
	if v := c.Conn().PgConn().ParameterStatus("standard_conforming_strings"); v != "" && v != "on" {
		return fmt.Errorf("sqlseal: the session's standard_conforming_strings is %s: %w; turn it on", v, engine.ErrSQLMode)
	}
	return nil
}
