package mysql

import (
	"github.com/pingcap/tidb/pkg/parser/ast"

	"github.com/sqlseal/sqlseal/internal/query"
)

// query lowers a query used as a subquery, CTE body or INSERT source.
func (l *lowerer) query(n ast.Node) *query.Select {
	switch n := n.(type) {
	case *ast.SelectStmt:
		return l.selectStmt(n)
	case *ast.SetOprStmt:
		return l.setOpr(n)
	case *ast.SubqueryExpr:
		return l.query(n.Query)
	default:
		l.fail("a query of an unknown kind")
		return &query.Select{}
	}
}

// selectStmt lowers a SELECT, a TABLE t statement (a SELECT * FROM t) or a
// VALUES ROW(...) statement.
func (l *lowerer) selectStmt(n *ast.SelectStmt) *query.Select {
	s := &query.Select{With: l.with(n.With)}
	if n.Kind == ast.SelectStmtKindValues {
		for _, row := range n.Lists {
			s.Values = append(s.Values, l.exprs(row.Values))
		}
	} else {
		if n.From != nil {
			l.join(n.From.TableRefs, &s.From, &s.Filters)
		}
		if n.Fields != nil {
			for _, f := range n.Fields.Fields {
				s.Items = append(s.Items, l.item(f))
			}
		}
	}
	if n.Where != nil {
		s.Filters = append(s.Filters, l.expr(n.Where))
	}
	if n.GroupBy != nil {
		s.Others = append(s.Others, l.byItems(n.GroupBy.Items)...)
	}
	if n.Having != nil {
		s.Filters = append(s.Filters, l.expr(n.Having.Expr))
	}
	for i := range n.WindowSpecs {
		s.Others = append(s.Others, l.windowSpec(&n.WindowSpecs[i])...)
	}
	s.Others = append(s.Others, l.orderLimit(n.OrderBy, n.Limit)...)
	return s
}

// item lowers one select list entry.
func (l *lowerer) item(f *ast.SelectField) query.Item {
	if f.WildCard != nil {
		return query.Item{Star: true, StarQualifier: f.WildCard.Table.L}
	}
	return query.Item{Expr: l.expr(f.Expr), Alias: l.sites.name(f.AsName.L)}
}

// setOpr lowers UNION, EXCEPT and INTERSECT: each operand is an arm.
func (l *lowerer) setOpr(n *ast.SetOprStmt) *query.Select {
	s := &query.Select{With: l.with(n.With)}
	if n.SelectList != nil {
		l.setOprList(n.SelectList, s)
	}
	s.Others = append(s.Others, l.orderLimit(n.OrderBy, n.Limit)...)
	return s
}

// setOprList fills s with the arms of a set operation list.
func (l *lowerer) setOprList(list *ast.SetOprSelectList, s *query.Select) {
	s.With = append(s.With, l.with(list.With)...)
	for _, arm := range list.Selects {
		switch arm := arm.(type) {
		case *ast.SelectStmt:
			s.SetArms = append(s.SetArms, l.selectStmt(arm))
		case *ast.SetOprSelectList:
			s.SetArms = append(s.SetArms, l.nestedSetOpr(arm))
		case *ast.SetOprStmt:
			s.SetArms = append(s.SetArms, l.setOpr(arm))
		default:
			l.fail("a set operation arm of an unknown kind")
		}
	}
	s.Others = append(s.Others, l.orderLimit(list.OrderBy, list.Limit)...)
}

// nestedSetOpr lowers a parenthesised operand of a set operation. A
// lone SELECT in parentheses is that SELECT.
func (l *lowerer) nestedSetOpr(list *ast.SetOprSelectList) *query.Select {
	if len(list.Selects) == 1 && list.With == nil && list.OrderBy == nil && list.Limit == nil {
		if sel, ok := list.Selects[0].(*ast.SelectStmt); ok {
			return l.selectStmt(sel)
		}
	}
	nested := &query.Select{}
	l.setOprList(list, nested)
	return nested
}

// with lowers a WITH clause.
func (l *lowerer) with(w *ast.WithClause) []query.CTE {
	if w == nil {
		return nil
	}
	out := make([]query.CTE, 0, len(w.CTEs))
	for _, c := range w.CTEs {
		// A plain WITH entry sees the entries before it. With RECURSIVE it
		// also sees itself, and on MariaDB (not on MySQL) the entries
		// after it: a reference to a later entry is ambiguous.
		scope := query.ScopePrior
		if w.IsRecursive || c.IsRecursive {
			scope = query.ScopeAmbiguous
		}
		cte := query.CTE{Name: c.Name.L, Scope: scope}
		for _, col := range c.ColNameList {
			cte.Columns = append(cte.Columns, col.L)
		}
		if c.Query != nil {
			cte.Query = l.query(c.Query)
		} else {
			l.fail("a common table expression without a query")
		}
		out = append(out, cte)
	}
	return out
}

// byItems lowers GROUP BY, ORDER BY and PARTITION BY items.
func (l *lowerer) byItems(items []*ast.ByItem) []query.Expr {
	out := make([]query.Expr, 0, len(items))
	for _, it := range items {
		out = append(out, l.expr(it.Expr))
	}
	return out
}

// orderLimit lowers ORDER BY and LIMIT.
func (l *lowerer) orderLimit(order *ast.OrderByClause, limit *ast.Limit) []query.Expr {
	var out []query.Expr
	if order != nil {
		out = append(out, l.byItems(order.Items)...)
	}
	if limit != nil {
		if limit.Count != nil {
			out = append(out, l.expr(limit.Count))
		}
		if limit.Offset != nil {
			out = append(out, l.expr(limit.Offset))
		}
	}
	return out
}

// windowSpec lowers the expressions of a window definition.
func (l *lowerer) windowSpec(w *ast.WindowSpec) []query.Expr {
	var out []query.Expr
	if w.PartitionBy != nil {
		out = append(out, l.byItems(w.PartitionBy.Items)...)
	}
	if w.OrderBy != nil {
		out = append(out, l.byItems(w.OrderBy.Items)...)
	}
	if w.Frame != nil {
		for _, b := range []ast.FrameBound{w.Frame.Extent.Start, w.Frame.Extent.End} {
			if b.Expr != nil {
				out = append(out, l.expr(b.Expr))
			}
		}
	}
	return out
}
