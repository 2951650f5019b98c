package sqlite

import (
	"testing"

	"github.com/stretchr/testify/require"

	. "github.com/sqlseal/sqlseal/internal/dialect/dialecttest"
	"github.com/sqlseal/sqlseal/internal/query"
)

// translated translates sql, whole, as one statement.
func translated(t *testing.T, sql string) *translation {
	t.Helper()
	tr, err := translate(newStmt(sql, mustLex(t, sql)))
	require.NoError(t, err)
	return tr
}

func TestRemapSharedNodesOnce(t *testing.T) {
	sql := "SELECT /* c */ 'a', :x"
	tr := translated(t, sql)
	require.Equal(t, "select 'a' , $1", tr.pg)
	lit := &query.Literal{Value: "a", Start: 7, End: 10, String: true}
	p := &query.Param{Ordinal: 1}
	shared := &query.Select{Items: []query.Item{{Expr: lit}, {Expr: p}, {Expr: lit}, {Expr: p}}}
	// Remapping a node twice would fail: its new offsets and name are not
	// those of the PostgreSQL text.
	require.NoError(t, tr.remap([]query.Statement{shared}))
	require.Equal(t, StrLit(sql, "'a'", "a"), lit)
	require.Equal(t, &query.Param{Ordinal: 1, Name: ":x"}, p)
}

func TestRemapRejectsUnknownSpans(t *testing.T) {
	sql := "SELECT 'a', ?"
	tr := translated(t, sql)
	for _, e := range []query.Expr{
		&query.Literal{Start: 8, End: 10},
		&query.Param{Ordinal: 2},
		&query.Param{Ordinal: 1, Name: ":x"},
	} {
		require.ErrorIs(t, tr.remap([]query.Statement{&query.Select{Items: []query.Item{{Expr: e}}}}), ErrSyntax)
	}
}
