package postgres

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/sqlseal/sqlseal/internal/query"
)

// selectStmt lowers a query: a set operation (UNION, INTERSECT, EXCEPT)
// into SetArms, a VALUES list into Values, a plain SELECT into From, Items,
// Filters (WHERE, HAVING, join conditions) and Others (DISTINCT ON, GROUP
// BY, WINDOW). ORDER BY, LIMIT and OFFSET go to Others in every form.
func (l *lowerer) selectStmt(s *pg_query.SelectStmt) *query.Select {
	out := &query.Select{With: l.with(s.GetWithClause())}
	if s.GetIntoClause() != nil {
		l.unsupportedAs("SELECT INTO", query.OpaqueSelectInto)
	}
	switch {
	case s.GetOp() != pg_query.SetOperation_SETOP_NONE && s.GetOp() != pg_query.SetOperation_SET_OPERATION_UNDEFINED:
		for _, arm := range []*pg_query.SelectStmt{s.GetLarg(), s.GetRarg()} {
			if arm == nil {
				l.unsupported("set operation without an operand")
				continue
			}
			out.SetArms = append(out.SetArms, l.selectStmt(arm))
		}
	case len(s.GetValuesLists()) > 0:
		out.Values = l.valuesLists(s.GetValuesLists())
	default:
		l.plainSelect(s, out)
	}
	out.Others = append(out.Others, l.exprs(s.GetSortClause())...)
	out.Others = l.appendExpr(out.Others, s.GetLimitOffset())
	out.Others = l.appendExpr(out.Others, s.GetLimitCount())
	return out
}

// plainSelect fills out from the clauses of a plain SELECT.
func (l *lowerer) plainSelect(s *pg_query.SelectStmt, out *query.Select) {
	var sc fromScope
	l.fromItems(s.GetFromClause(), &sc)
	out.From = sc.from
	out.Items = l.items(s.GetTargetList())
	out.Filters = l.appendExpr(sc.filters, s.GetWhereClause())
	out.Filters = l.appendExpr(out.Filters, s.GetHavingClause())
	out.Others = append(sc.others, l.exprs(s.GetDistinctClause())...)
	out.Others = append(out.Others, l.exprs(s.GetGroupClause())...)
	for _, w := range s.GetWindowClause() {
		out.Others = append(out.Others, l.windowExprs(w.GetWindowDef())...)
	}
}

// valuesLists lowers the rows of a VALUES list.
func (l *lowerer) valuesLists(rows []*pg_query.Node) [][]query.Expr {
	out := make([][]query.Expr, 0, len(rows))
	for _, r := range rows {
		row := make([]query.Expr, 0, len(r.GetList().GetItems()))
		for _, n := range r.GetList().GetItems() {
			e := l.expr(n)
			if e == nil {
				e = &query.Op{Name: "unsupported expression " + nodeTypeName(n)}
			}
			row = append(row, e)
		}
		out = append(out, row)
	}
	return out
}

// items lowers a select list or RETURNING list. `*` and `t.*` become Star
// items; a column alias becomes Alias.
func (l *lowerer) items(targets []*pg_query.Node) []query.Item {
	var out []query.Item
	for _, t := range targets {
		rt := t.GetResTarget()
		if rt == nil {
			continue
		}
		if cr := rt.GetVal().GetColumnRef(); cr != nil {
			if parts, star := columnRefParts(cr); star {
				it := query.Item{Star: true}
				if len(parts) > 0 {
					it.StarQualifier = parts[len(parts)-1]
				}
				out = append(out, it)
				continue
			}
		}
		e := l.expr(rt.GetVal())
		if e == nil {
			e = &query.Op{Name: "unsupported expression " + nodeTypeName(rt.GetVal())}
		}
		out = append(out, query.Item{Expr: e, Alias: rt.GetName()})
	}
	return out
}

// with lowers a WITH clause. A CTE's query is a *Select, or an *Insert,
// *Update or *Delete for a data-modifying CTE; anything else (MERGE) makes
// the statement opaque.
func (l *lowerer) with(w *pg_query.WithClause) []query.CTE {
	if w == nil {
		return nil
	}
	// PostgreSQL lets every entry of WITH RECURSIVE refer to every other,
	// later ones included; a plain WITH sees only the entries before.
	scope := query.ScopePrior
	if w.GetRecursive() {
		scope = query.ScopeAll
	}
	var out []query.CTE
	for _, n := range w.GetCtes() {
		c := n.GetCommonTableExpr()
		if c == nil {
			l.unsupported("WITH entry " + nodeTypeName(n))
			continue
		}
		out = append(out, query.CTE{
			Name:    c.GetCtename(),
			Columns: names(c.GetAliascolnames()),
			Query:   l.cteQuery(c.GetCtequery()),
			Scope:   scope,
		})
	}
	return out
}

// cteQuery lowers the statement of a CTE.
func (l *lowerer) cteQuery(n *pg_query.Node) query.Statement {
	if st, ok := l.dataStatement(n); ok {
		return st
	}
	l.unsupported(nodeTypeName(n) + " in WITH")
	return &query.Select{}
}
