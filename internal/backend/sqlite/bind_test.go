package sqlite

import (
	"database/sql"
	"database/sql/driver"
	"testing"

	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"

	dialect "github.com/sqlseal/sqlseal/internal/dialect/sqlite"
	"github.com/sqlseal/sqlseal/internal/query"
)

// bind finds the argument modernc.org/sqlite binds to each placeholder:
// checked against the driver itself, with positional, numbered and named
// placeholders mixed with positional and named arguments.
func TestBindAsModerncSQLite(t *testing.T) {
	db, err := sql.Open("sqlite", ":memory:")
	require.NoError(t, err)
	db.SetMaxOpenConns(1)
	defer db.Close()
	for _, tc := range []struct {
		sql  string
		args []any
	}{
		{"SELECT ?, ?, ?", []any{"p1", "p2", "p3"}},
		{"SELECT ?2, ?1, ?", []any{"p1", "p2", "p3"}},
		{"SELECT ?3, ?", []any{"p1", "p2", "p3", "p4"}},
		{"SELECT :a, @b, $c, :a, ?", []any{sql.Named("a", "na"), sql.Named("b", "nb"), sql.Named("c", "nc"), "p4"}},
		{"SELECT ?, :a", []any{sql.Named("a", "na"), "p2"}},
		{"SELECT ?, ?", []any{"p1", sql.Named("tok", "named")}},
		{"SELECT $2, $1, ?", []any{"p1", "p2", "p3"}},
		{"SELECT $2, ?", []any{"p1", sql.Named("tok", "named")}},
		{"SELECT :a, ?1, @a", []any{sql.Named("a", "na")}},
		{"SELECT ?1, :a", []any{sql.Named("a", "na")}},
		{"SELECT $a, :a", []any{sql.Named("a", "na")}},
		{"SELECT :a, ?1", []any{"pos", sql.Named("a", "na")}},
		{"SELECT ?, $1", []any{"p1"}},
		{"SELECT #h, $x::y", []any{sql.Named("h", "nh"), sql.Named("x::y", "nxy")}},
		{"SELECT :A, :a", []any{sql.Named("a", "lower"), sql.Named("A", "upper")}},
	} {
		t.Run(tc.sql, func(t *testing.T) {
			stmts, err := dialect.Parser{}.Parse(tc.sql)
			require.NoError(t, err)
			items := stmts[0].(*query.Select).Items
			got := make([]any, len(items))
			ptrs := make([]any, len(got))
			for i := range got {
				ptrs[i] = &got[i]
			}
			require.NoError(t, db.QueryRow(tc.sql, tc.args...).Scan(ptrs...))
			nv := make([]driver.NamedValue, len(tc.args))
			for i, a := range tc.args {
				nv[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
				if n, ok := a.(sql.NamedArg); ok {
					nv[i].Name, nv[i].Value = n.Name, n.Value
				}
			}
			for i, it := range items {
				p := it.Expr.(*query.Param)
				j := bind(*p, nv)
				require.GreaterOrEqual(t, j, 0, "item %d (%+v)", i, *p)
				require.Equal(t, nv[j].Value, got[i], "item %d (%+v)", i, *p)
			}
		})
	}
	// A parameter no argument matches binds nothing, and the driver fails.
	nv := []driver.NamedValue{{Ordinal: 1, Value: "p1"}}
	require.Equal(t, -1, bind(query.Param{Ordinal: 1, Name: "?01"}, nv))
	require.Equal(t, -1, bind(query.Param{Ordinal: 2, Name: ":x"}, nv))
	var v any
	require.Error(t, db.QueryRow("SELECT ?01", "p1").Scan(&v))
}
