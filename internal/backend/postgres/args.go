package postgres

import (
	"context"
	"database/sql/driver"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/internal/engine"
	"github.com/sqlseal/sqlseal/internal/query"
)

// errArgForm is wrapped by the error for an argument form sqlseal does not
// mirror: the statement is refused before anything is sent.
var errArgForm = sqlseal.ErrRefused

// args applies pgx's own argument forms as pgx.Conn.Exec and Query do:
// leading arguments that are a QueryExecMode or a QueryRewriter (and, for a
// query, QueryResultFormats or QueryResultFormatsByOID) are options, in any
// order, the last rewriter winning; a rewriter then rewrites the text and
// the arguments after the options. pgx.NamedArgs and pgx.StrictNamedArgs
// are applied here exactly as pgx applies them, so that the analysis sees
// the text the server will get; any other rewriter could produce anything
// and is refused.
func args(ctx context.Context, sql string, nv []driver.NamedValue, query bool) (engine.ArgForms, error) {
	options := 0
	var rewriter pgx.QueryRewriter
loop:
	for options < len(nv) {
		switch v := nv[options].Value.(type) {
		case pgx.QueryExecMode:
		case pgx.QueryResultFormats, pgx.QueryResultFormatsByOID:
			if !query {
				break loop // Exec takes them as values
			}
		case pgx.QueryRewriter:
			switch v.(type) {
			case pgx.NamedArgs, pgx.StrictNamedArgs:
			default:
				return engine.ArgForms{}, fmt.Errorf("sqlseal: an argument of type %T rewrites the statement in ways sqlseal cannot follow: %w", v, errArgForm)
			}
			rewriter = v
		default:
			break loop
		}
		options++
	}
	if rewriter == nil {
		return engine.ArgForms{SQL: sql, Args: nv, Options: options}, nil
	}
	rest := make([]any, 0, len(nv)-options)
	for _, a := range nv[options:] {
		rest = append(rest, a.Value)
	}
	out, outArgs, err := rewriter.RewriteQuery(ctx, nil, sql, rest)
	if err != nil {
		return engine.ArgForms{}, fmt.Errorf("sqlseal: rewriting named arguments: %w", err)
	}
	// The options stay in front, without the rewriter, which has done its
	// work: pgx would not apply it again.
	kept := make([]driver.NamedValue, 0, options+len(outArgs))
	for _, a := range nv[:options] {
		if _, ok := a.Value.(pgx.QueryRewriter); !ok {
			kept = append(kept, a)
		}
	}
	opts := len(kept)
	for i, v := range outArgs {
		kept = append(kept, driver.NamedValue{Ordinal: opts + i + 1, Value: v})
	}
	for i := range kept[:opts] {
		kept[i].Ordinal = i + 1
	}
	return engine.ArgForms{SQL: out, Args: kept, Options: opts, Rewrote: true}, nil
}

// bind returns the argument pgx binds to $n: the n-th argument after the
// options. pgx binds by position and ignores names (sql.Named).
func bind(p query.Param, args []driver.NamedValue) int {
	if p.Ordinal < 1 || p.Ordinal > len(args) {
		return -1
	}
	return p.Ordinal - 1
}
