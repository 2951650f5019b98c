package analysis

import "github.com/sqlseal/sqlseal/internal/query"

// filter checks an expression that filters or compares rows: a protected
// column may only be tested for NULL there.
func (a *analyzer) filter(e query.Expr, sc *scope) { a.walk(e, sc, true, false) }

// scan visits an expression that neither writes nor filters, recording
// parameter uses and analysing subqueries.
func (a *analyzer) scan(e query.Expr, sc *scope) { a.walk(e, sc, false, false) }

func (a *analyzer) walk(e query.Expr, sc *scope, inFilter, underOp bool) {
	switch v := e.(type) {
	case nil:
	case *query.Param:
		a.other[*v] = true
	case *query.ColRef:
		if !inFilter {
			return
		}
		if col, _, _ := a.resolve(sc, v); col != nil {
			if _, ok := a.prot.Sibling(*col); ok {
				a.fail(refuseDetail(*col, ReasonLookup, "a filter or join condition"))
				return
			}
			a.fail(refuseDetail(*col, ReasonCompared, "a filter or join condition"))
		}
	case *query.Cast:
		a.walk(v.X, sc, inFilter, underOp)
	case *query.NullTest:
		if _, ok := v.X.(*query.ColRef); !ok {
			a.walk(v.X, sc, inFilter, underOp)
		}
	case *query.Subquery:
		entries := a.selectEntries(v.Query, sc)
		if inFilter && underOp {
			if c, ok := anyProtected(entries); ok {
				a.fail(refuseDetail(c, ReasonCompared, "a filter over a subquery's value"))
			}
		}
	case *query.Row:
		for _, x := range v.Items {
			a.walk(x, sc, inFilter, underOp)
		}
	case *query.Op:
		if inFilter && a.lookup(v, sc) {
			return
		}
		if !inFilter && a.comparedOutside(v, sc) {
			return
		}
		for _, x := range v.Args {
			a.walk(x, sc, inFilter, true)
		}
	}
}

// comparedOutside refuses, outside a filter (the select list, CASE, an
// aggregate's FILTER, ORDER BY, RETURNING, a SET expression), an operator
// that compares a protected column with a parameter or a literal, and an
// = or IN on a blind-indexed column: only WHERE, ON and HAVING are
// rewritten to the blind index, and elsewhere the server would compare
// the ciphertext with the value, sent to it in clear, and answer wrong.
// It reports whether it refused.
func (a *analyzer) comparedOutside(v *query.Op, sc *scope) bool {
	if v.Kind != query.OpOperator {
		return false
	}
	var col *Column
	value := false
	var operand func(x query.Expr)
	operand = func(x query.Expr) {
		switch e := x.(type) {
		case *query.Cast:
			operand(e.X)
		case *query.Row: // (col, x) = ($1, y)
			for _, y := range e.Items {
				operand(y)
			}
		case *query.ColRef:
			if c, _, _ := a.resolve(sc, e); c != nil && col == nil {
				col = c
			}
		case *query.Param, *query.Literal:
			value = true
		}
	}
	for _, x := range v.Args {
		operand(x)
	}
	if col == nil {
		return false
	}
	_, indexed := a.prot.Sibling(*col)
	switch {
	case indexed && (value || v.Name == opEqual || v.Name == opIn):
		a.fail(refuseDetail(*col, ReasonLookup, "a comparison outside WHERE, ON and HAVING (only there is it answered from the blind index)"))
	case value:
		a.fail(refuseDetail(*col, ReasonCompared, "a comparison with a value outside a filter"))
	default:
		return false
	}
	return true
}
