// Package postgres is sqlseal's PostgreSQL backend: pgx's stdlib driver as
// the engine must read it (how it binds arguments, which argument forms it
// rewrites, which session settings decide how the server reads SQL) and
// PostgreSQL's catalog.
//
//	e, err := engine.New(postgres.Backend, cfg, nil)
//	connector := e.WrapConnector(stdlib.GetConnector(*connConfig))
package postgres

import (
	"context"
	"database/sql/driver"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/catalog"
	"github.com/sqlseal/sqlseal/internal/query"
)

// Catalog reads PostgreSQL's system catalogs.
type Catalog struct{}

var _ catalog.Catalog = Catalog{}

// regclassArg is t as to_regclass reads it.
func regclassArg(t query.Table) string {
	if t.Schema == "" {
		return pgx.Identifier{t.Name}.Sanitize()
	}
	return pgx.Identifier{t.Schema, t.Name}.Sanitize()
}

const pgColumnTypeSQL = `SELECT format_type(a.atttypid, a.atttypmod),
       COALESCE(b.typname, t.typname)::text, COALESCE(b.typcategory, t.typcategory)::text,
       COALESCE(NULLIF(a.atttypmod, -1), NULLIF(t.typtypmod, -1), -1)
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype
WHERE a.attrelid = to_regclass($1) AND a.attname = $2 AND a.attnum > 0 AND NOT a.attisdropped`

// ColumnType reads the type of c. Types of the string category (text,
// varchar, citext and domains over them) hold base64, bytea raw bytes.
// name (cut at 63 bytes) and char(n) (padded with blanks) would change the
// ciphertext and are not supported, nor is anything else (json, numbers,
// arrays).
func (Catalog) ColumnType(ctx context.Context, q driver.QueryerContext, c analysis.Column) (catalog.ColumnFacts, error) {
	rows, err := catalog.Query(ctx, q, pgColumnTypeSQL, regclassArg(query.Table{Schema: c.Schema, Name: c.Table}), c.Name)
	if err != nil || len(rows) == 0 {
		return catalog.ColumnFacts{}, err
	}
	typ, base, category := catalog.String(rows[0][0]), catalog.String(rows[0][1]), catalog.String(rows[0][2])
	typmod, _ := rows[0][3].(int64)
	facts := catalog.ColumnFacts{Exists: true, Type: typ}
	switch {
	case base == "bytea":
		facts.Kind, facts.Supported = catalog.KindBinary, true
	case base == "name" || base == "char":
	case base == "bpchar" && typmod != -1:
	case category == "S":
		facts.Kind, facts.Supported = catalog.KindText, true
	}
	return facts, nil
}

const pgTableColumnsSQL = `SELECT attname::text FROM pg_attribute
WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`

// TableColumns returns the live columns of t in attribute order.
func (Catalog) TableColumns(ctx context.Context, q driver.QueryerContext, t query.Table) ([]string, error) {
	rows, err := catalog.Query(ctx, q, pgTableColumnsSQL, regclassArg(t))
	return catalog.FirstColumn(rows), err
}

// SampleQuery selects up to n non-NULL values of c.
func (p Catalog) SampleQuery(c analysis.Column, n int) string {
	return catalog.SampleQuery(p.Quote, c, n)
}

// Quote quotes an identifier for PostgreSQL.
func (Catalog) Quote(ident string) string { return pgx.Identifier{ident}.Sanitize() }

// Placeholder returns $n.
func (Catalog) Placeholder(n int) string { return fmt.Sprintf("$%d", n) }

// Resolves reports whether the connection resolves the unqualified table
// name to the table of that name in schema: the search path as it is now,
// with temporary tables first unless it places pg_temp elsewhere.
func (Catalog) Resolves(ctx context.Context, q driver.QueryerContext, name, schema string) (bool, error) {
	rows, err := catalog.Query(ctx, q, `SELECT COALESCE(to_regclass($1) = to_regclass($2), false)`,
		pgx.Identifier{name}.Sanitize(), pgx.Identifier{schema, name}.Sanitize())
	if err != nil || len(rows) == 0 {
		return false, err
	}
	ok, _ := rows[0][0].(bool)
	return ok, nil
}
