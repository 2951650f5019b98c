package driver

import (
	"context"
	"database/sql/driver"
	"encoding/hex"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/dialect/postgres"
	"github.com/sqlseal/sqlseal/internal/engine"
	"github.com/sqlseal/sqlseal/internal/query"
)

// postgresDialect describes PostgreSQL reached through pgx's stdlib driver.
var postgresDialect = &engine.Dialect{
	Name:          "postgres",
	Parser:        postgres.Parser{},
	FoldIdent:     postgres.FoldIdent,
	Catalog:       pgCatalog{},
	BinaryLiteral: func(raw []byte) string { return "decode('" + hex.EncodeToString(raw) + "', 'hex')" },
	Args:          pgxArgs,
}

// pgxArgs handles pgx's own argument forms: leading QueryExecMode and
// result-format options stay in front and are not parameters; NamedArgs and
// StrictNamedArgs are rewritten to $n here, as pgx would, so the analysis
// sees the positional form.
func pgxArgs(ctx context.Context, sql string, args []driver.NamedValue) (string, []driver.NamedValue, int, bool, error) {
	options := 0
	for options < len(args) {
		switch v := args[options].Value.(type) {
		case pgx.QueryExecMode, pgx.QueryResultFormats, pgx.QueryResultFormatsByOID:
			options++
			continue
		case pgx.NamedArgs:
			return rewriteNamed(ctx, v, sql, args, options)
		case pgx.StrictNamedArgs:
			return rewriteNamed(ctx, v, sql, args, options)
		}
		break
	}
	return sql, args, options, false, nil
}

func rewriteNamed(ctx context.Context, rw pgx.QueryRewriter, sql string, args []driver.NamedValue, options int) (string, []driver.NamedValue, int, bool, error) {
	rest := make([]any, 0, len(args)-options-1)
	for _, a := range args[options+1:] {
		rest = append(rest, a.Value)
	}
	out, outArgs, err := rw.RewriteQuery(ctx, nil, sql, rest)
	if err != nil {
		return "", nil, 0, false, fmt.Errorf("sqlseal: rewriting named arguments: %w", err)
	}
	nv := make([]driver.NamedValue, 0, options+len(outArgs))
	nv = append(nv, args[:options]...)
	for i, v := range outArgs {
		nv = append(nv, driver.NamedValue{Ordinal: options + i + 1, Value: v})
	}
	return out, nv, options, true, nil
}

// pgCatalog reads PostgreSQL's system catalogs.
type pgCatalog struct{}

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

func (pgCatalog) ColumnType(ctx context.Context, q driver.QueryerContext, c analysis.Column) (string, engine.Kind, bool, bool, error) {
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

func (pgCatalog) TableColumns(ctx context.Context, q driver.QueryerContext, t query.Table) ([]string, error) {
	rows, err := engine.QueryRows(ctx, q, pgTableColumnsSQL, regclassArg(t))
	if err != nil {
		return nil, err
	}
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = asString(r[0])
	}
	return names, nil
}

func (pgCatalog) SampleQuery(c analysis.Column, n int) string {
	col := pgx.Identifier{c.Name}.Sanitize()
	return fmt.Sprintf("SELECT %s FROM %s WHERE %s IS NOT NULL LIMIT %d",
		col, regclassArg(query.Table{Schema: c.Schema, Name: c.Table}), col, n)
}

func asString(v driver.Value) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return fmt.Sprint(v)
}
