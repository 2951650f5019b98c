package postgres

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/sqlseal/sqlseal/internal/query"
)

// assigns lowers the SET list of UPDATE or ON CONFLICT DO UPDATE. A
// multi-column assignment (a, b) = (x, y) becomes one Assign per column;
// (a, b) = (SELECT ...) gives each column the Op "multi-column subquery
// assignment" over the Subquery. Assigning to a subscript or field of a
// column (SET a[1] = x, SET a.f = x) gives the column an Op over the value.
func (l *lowerer) assigns(targets []*pg_query.Node) []query.Assign {
	var out []query.Assign
	for _, t := range targets {
		rt := t.GetResTarget()
		if rt == nil {
			l.unsupported("assignment " + nodeTypeName(t))
			continue
		}
		var v query.Expr
		valueAt := 0
		if m := rt.GetVal().GetMultiAssignRef(); m != nil {
			v = l.multiAssignValue(m)
		} else {
			v = l.expr(rt.GetVal())
			valueAt = at(rt.GetVal())
		}
		if v == nil {
			v = &query.Op{Name: "unsupported expression " + nodeTypeName(rt.GetVal())}
		}
		if ind := rt.GetIndirection(); len(ind) > 0 {
			v = &query.Op{Kind: query.OpOperator, Name: "assignment to a subscript or field", Args: append([]query.Expr{v}, l.exprs(ind)...)}
		}
		out = append(out, query.Assign{Column: rt.GetName(), Value: v, ValueAt: valueAt})
	}
	return out
}

// multiAssignValue returns the value one column of a multi-column
// assignment receives.
func (l *lowerer) multiAssignValue(m *pg_query.MultiAssignRef) query.Expr {
	src := m.GetSource()
	if row := src.GetRowExpr(); row != nil {
		args := row.GetArgs()
		if i := int(m.GetColno()) - 1; i >= 0 && i < len(args) && int(m.GetNcolumns()) == len(args) {
			if v := l.expr(args[i]); v != nil {
				return v
			}
		}
		return &query.Op{Name: "multi-column assignment", Args: []query.Expr{l.expr(src)}}
	}
	if sl := src.GetSubLink(); sl != nil {
		return &query.Op{Name: "multi-column subquery assignment", Args: []query.Expr{&query.Subquery{Query: l.subselect(sl.GetSubselect())}}}
	}
	return l.op(query.OpOther, "multi-column assignment", src)
}
