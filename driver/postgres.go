package driver

import (
	"context"
	"database/sql/driver"
	"encoding/hex"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/sqlseal/sqlseal/internal/catalog"
	"github.com/sqlseal/sqlseal/internal/dialect/postgres"
	"github.com/sqlseal/sqlseal/internal/engine"
)

// postgresDialect describes PostgreSQL reached through pgx's stdlib driver.
var postgresDialect = &engine.Dialect{
	Name:          "postgres",
	Parser:        postgres.Parser{},
	FoldIdent:     postgres.FoldIdent,
	Catalog:       catalog.Postgres{},
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
