package sqlite

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/query"
)

// TestWalkerVisitsEveryPlace builds statements with a parameter and a
// literal in every place the model has for expressions and checks that the
// walker (and so the remapping) reaches each.
func TestWalkerVisitsEveryPlace(t *testing.T) {
	n := 0
	next := func() *query.Param { n++; return &query.Param{Ordinal: n} }
	sel := func() *query.Select {
		return &query.Select{
			With:    []query.CTE{{Query: &query.Select{Items: []query.Item{{Expr: next()}}}}},
			From:    []query.From{&query.SubqueryRef{Query: &query.Select{Filters: []query.Expr{next()}}}, &query.FuncRef{Args: []query.Expr{next()}}, &query.TableRef{}},
			Items:   []query.Item{{Expr: &query.Cast{X: next()}}, {Star: true}},
			Filters: []query.Expr{&query.NullTest{X: next()}, &query.Subquery{Query: &query.Select{Others: []query.Expr{next()}}}},
			Others:  []query.Expr{&query.Row{Items: []query.Expr{next()}}, &query.Op{Args: []query.Expr{next(), &query.ColRef{}}}},
			SetArms: []*query.Select{{Values: [][]query.Expr{{next()}}}},
		}
	}
	stmts := []query.Statement{
		sel(),
		&query.Insert{
			With:            []query.CTE{{Query: &query.Update{Set: []query.Assign{{Value: next()}}}}},
			Rows:            [][]query.Expr{{next(), &query.Null{}, &query.Default{}, &query.Excluded{}}},
			Query:           sel(),
			OnConflict:      []query.Assign{{Value: next()}},
			ConflictFilters: []query.Expr{next()},
			Returning:       []query.Item{{Expr: next()}},
		},
		&query.Update{
			With:      []query.CTE{{Query: &query.Delete{Filters: []query.Expr{next()}}}},
			From:      []query.From{&query.FuncRef{Args: []query.Expr{next()}}},
			Set:       []query.Assign{{Value: next()}},
			Filters:   []query.Expr{next()},
			Others:    []query.Expr{next()},
			Returning: []query.Item{{Expr: next()}},
		},
		&query.Delete{
			With:      []query.CTE{{Query: &query.Insert{Rows: [][]query.Expr{{next()}}}}},
			Using:     []query.From{&query.SubqueryRef{Query: &query.Select{Items: []query.Item{{Expr: next()}}}}},
			Filters:   []query.Expr{next()},
			Others:    []query.Expr{next()},
			Returning: []query.Item{{Expr: next()}},
		},
		&query.Opaque{}, &query.Utility{},
	}
	seen := map[int]bool{}
	w := walker{
		param:   func(p *query.Param) { seen[p.Ordinal] = true },
		literal: func(*query.Literal) {},
	}
	for _, s := range stmts {
		w.statement(s)
	}
	for k := 1; k <= n; k++ {
		require.True(t, seen[k], "parameter %d not visited", k)
	}
}

func TestRemapSharedNodesOnce(t *testing.T) {
	sql := "SELECT /* c */ 'a', :x"
	toks, err := lex(sql)
	require.NoError(t, err)
	tr, err := translate(newStmt(sql, toks))
	require.NoError(t, err)
	require.Equal(t, "select 'a' , $1", tr.pg)
	lit := &query.Literal{Value: "a", Start: 7, End: 10, String: true}
	p := &query.Param{Ordinal: 1}
	shared := &query.Select{Items: []query.Item{{Expr: lit}, {Expr: p}, {Expr: lit}, {Expr: p}}}
	// Remapping a node twice would fail: its new offsets and name are not
	// those of the PostgreSQL text.
	require.NoError(t, tr.remap([]query.Statement{shared}))
	require.Equal(t, strLit(sql, "'a'", "a"), lit)
	require.Equal(t, &query.Param{Ordinal: 1, Name: "x"}, p)
}

func TestRemapRejectsUnknownSpans(t *testing.T) {
	sql := "SELECT 'a', ?"
	toks, err := lex(sql)
	require.NoError(t, err)
	tr, err := translate(newStmt(sql, toks))
	require.NoError(t, err)
	for _, e := range []query.Expr{
		&query.Literal{Start: 8, End: 10},
		&query.Param{Ordinal: 2},
		&query.Param{Ordinal: 1, Name: "x"},
	} {
		require.ErrorIs(t, tr.remap([]query.Statement{&query.Select{Items: []query.Item{{Expr: e}}}}), ErrSyntax)
	}
}
