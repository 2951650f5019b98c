package postgres

import (
	"context"
	"database/sql/driver"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/internal/query"
)

func values(vs ...any) []driver.NamedValue {
	nv := make([]driver.NamedValue, len(vs))
	for i, v := range vs {
		nv[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return nv
}

// pgx binds $n to the n-th argument after its options, names or not.
func TestBindByPosition(t *testing.T) {
	args := []driver.NamedValue{{Ordinal: 1, Value: "a"}, {Ordinal: 2, Name: "details", Value: "b"}}
	require.Equal(t, 0, bind(query.Param{Ordinal: 1}, args))
	require.Equal(t, 1, bind(query.Param{Ordinal: 2}, args))
	require.Equal(t, -1, bind(query.Param{Ordinal: 3}, args))
}

// The argument forms are applied as pgx.Conn.Exec and Query apply them.
func TestArgForms(t *testing.T) {
	ctx := context.Background()
	f, err := args(ctx, "SELECT $1", values(pgx.QueryExecModeSimpleProtocol, "v"), false)
	require.NoError(t, err)
	require.Equal(t, 1, f.Options)
	require.False(t, f.Rewrote)

	// Result formats are options of a query, values of an exec.
	f, err = args(ctx, "SELECT $1", values(pgx.QueryResultFormats{1}, "v"), true)
	require.NoError(t, err)
	require.Equal(t, 1, f.Options)
	f, err = args(ctx, "SELECT $1", values(pgx.QueryResultFormats{1}, "v"), false)
	require.NoError(t, err)
	require.Equal(t, 0, f.Options)

	// Named arguments are rewritten as pgx rewrites them; the last
	// rewriter of the options wins.
	f, err = args(ctx, "INSERT INTO t (a, b) VALUES (@a, @b)",
		values(pgx.NamedArgs{"a": "x"}, pgx.QueryExecModeExec, pgx.NamedArgs{"a": "1", "b": "2"}), false)
	require.NoError(t, err)
	require.True(t, f.Rewrote)
	require.Equal(t, "INSERT INTO t (a, b) VALUES ($1, $2)", f.SQL)
	require.Equal(t, 1, f.Options)
	require.Equal(t, pgx.QueryExecModeExec, f.Args[0].Value)
	require.Equal(t, []any{"1", "2"}, []any{f.Args[1].Value, f.Args[2].Value})

	_, err = args(ctx, "SELECT @a", values(pgx.StrictNamedArgs{}), false)
	require.Error(t, err, "a missing strict argument fails as in pgx")

	// Any other rewriter could produce any text: refused.
	_, err = args(ctx, "SELECT 1", values(rewriter{}), false)
	require.True(t, errors.Is(err, sqlseal.ErrRefused), "%v", err)
}

// rewriter is a query rewriter sqlseal does not know.
type rewriter struct{}

func (rewriter) RewriteQuery(context.Context, *pgx.Conn, string, []any) (string, []any, error) {
	return "INSERT INTO t (secret) VALUES ('plain')", nil, nil
}
