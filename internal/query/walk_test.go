package query_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/query"
)

// TestWalkVisitsEveryPlace builds statements with a parameter in every
// place the model has for expressions and checks that Walk reaches each.
func TestWalkVisitsEveryPlace(t *testing.T) {
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
	query.Walk(stmts, func(e query.Expr) {
		if p, ok := e.(*query.Param); ok {
			seen[p.Ordinal] = true
		}
	})
	for k := 1; k <= n; k++ {
		require.True(t, seen[k], "parameter %d not visited", k)
	}
}
