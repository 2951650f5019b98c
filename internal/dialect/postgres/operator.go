package postgres

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/sqlseal/sqlseal/internal/query"
)

// funcCall lowers a function call to an Op named "function <name>" whose
// operands are the arguments, then any aggregate ORDER BY, FILTER and
// window (OVER) expressions. count(*) has no operands.
func (l *lowerer) funcCall(f *pg_query.FuncCall) query.Expr {
	o := &query.Op{Kind: query.OpFunction, Name: "function " + qualifiedName(f.GetFuncname())}
	o.Args = l.exprs(f.GetArgs())
	o.Args = append(o.Args, l.exprs(f.GetAggOrder())...)
	o.Args = l.appendExpr(o.Args, f.GetAggFilter())
	o.Args = append(o.Args, l.windowExprs(f.GetOver())...)
	return o
}

// windowExprs returns the expressions of a window definition: PARTITION
// BY, ORDER BY and the frame offsets.
func (l *lowerer) windowExprs(w *pg_query.WindowDef) []query.Expr {
	if w == nil {
		return nil
	}
	out := l.exprs(w.GetPartitionClause())
	out = append(out, l.exprs(w.GetOrderClause())...)
	out = l.appendExpr(out, w.GetStartOffset())
	return l.appendExpr(out, w.GetEndOffset())
}

// qualifiedName joins a dotted name, dropping a pg_catalog qualifier the
// grammar adds to functions and operators written as SQL syntax.
func qualifiedName(nodes []*pg_query.Node) string {
	parts := names(nodes)
	if len(parts) > 1 && parts[0] == "pg_catalog" {
		parts = parts[1:]
	}
	return strings.Join(parts, ".")
}

// aExpr lowers an operator expression to an Op named "operator <name>":
// the operator itself (=, ||, ->>) or the construct (IN, LIKE, BETWEEN, IS
// DISTINCT FROM). The operands of IN and BETWEEN lists are flattened.
func (l *lowerer) aExpr(a *pg_query.A_Expr) query.Expr {
	kind := query.OpOperator
	if a.GetKind() == pg_query.A_Expr_Kind_AEXPR_NULLIF {
		kind = query.OpConditional
	}
	o := l.op(kind, "operator "+aExprName(a), a.GetLexpr(), a.GetRexpr())
	if k := a.GetKind(); k == pg_query.A_Expr_Kind_AEXPR_OP || k == pg_query.A_Expr_Kind_AEXPR_IN {
		o.ArgAt = argAt(o, a.GetLexpr(), a.GetRexpr())
	}
	return o
}

// argAt returns the positions of the operands of o, lowered from nodes
// with lists flattened (see appendExpr), nil when they do not line up.
func argAt(o *query.Op, nodes ...*pg_query.Node) []int {
	var flat []*pg_query.Node
	for _, n := range nodes {
		if list := n.GetList(); list != nil {
			flat = append(flat, list.GetItems()...)
		} else if n != nil {
			flat = append(flat, n)
		}
	}
	if len(flat) != len(o.Args) {
		return nil
	}
	out := make([]int, len(flat))
	for i, n := range flat {
		out[i] = at(n)
	}
	return out
}

// aExprName names an operator expression.
func aExprName(a *pg_query.A_Expr) string {
	op := qualifiedName(a.GetName())
	switch a.GetKind() {
	case pg_query.A_Expr_Kind_AEXPR_OP_ANY:
		return op + " ANY"
	case pg_query.A_Expr_Kind_AEXPR_OP_ALL:
		return op + " ALL"
	case pg_query.A_Expr_Kind_AEXPR_DISTINCT:
		return "IS DISTINCT FROM"
	case pg_query.A_Expr_Kind_AEXPR_NOT_DISTINCT:
		return "IS NOT DISTINCT FROM"
	case pg_query.A_Expr_Kind_AEXPR_NULLIF:
		return "NULLIF"
	case pg_query.A_Expr_Kind_AEXPR_IN:
		return negated(op == "<>", "IN")
	case pg_query.A_Expr_Kind_AEXPR_LIKE:
		return negated(op == "!~~", "LIKE")
	case pg_query.A_Expr_Kind_AEXPR_ILIKE:
		return negated(op == "!~~*", "ILIKE")
	case pg_query.A_Expr_Kind_AEXPR_SIMILAR:
		return negated(op == "!~", "SIMILAR TO")
	case pg_query.A_Expr_Kind_AEXPR_BETWEEN, pg_query.A_Expr_Kind_AEXPR_BETWEEN_SYM:
		return "BETWEEN"
	case pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN, pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM:
		return "NOT BETWEEN"
	default:
		return op
	}
}

// negated prefixes name with NOT when not is set.
func negated(not bool, name string) string {
	if not {
		return "NOT " + name
	}
	return name
}

// subLink lowers a subquery used as an expression. EXISTS and scalar
// subqueries are a Subquery; x IN (SELECT ...), x op ANY/ALL (SELECT ...)
// and row comparisons are an Op over the tested expression and the
// Subquery; ARRAY(SELECT ...) is an Op over the Subquery.
func (l *lowerer) subLink(s *pg_query.SubLink) query.Expr {
	sub := &query.Subquery{Query: l.subselect(s.GetSubselect())}
	var name string
	kind := query.OpOperator
	switch s.GetSubLinkType() {
	case pg_query.SubLinkType_EXISTS_SUBLINK, pg_query.SubLinkType_EXPR_SUBLINK:
		return sub
	case pg_query.SubLinkType_ANY_SUBLINK:
		name = "IN subquery"
		if op := qualifiedName(s.GetOperName()); op != "" && op != "=" {
			name = "operator " + op + " ANY subquery"
		}
	case pg_query.SubLinkType_ALL_SUBLINK:
		name = "operator " + qualifiedName(s.GetOperName()) + " ALL subquery"
	case pg_query.SubLinkType_ROWCOMPARE_SUBLINK:
		name = "row comparison subquery"
	case pg_query.SubLinkType_ARRAY_SUBLINK:
		name, kind = "ARRAY subquery", query.OpFunction
	case pg_query.SubLinkType_MULTIEXPR_SUBLINK:
		name, kind = "multi-column subquery assignment", query.OpOther
	default:
		name, kind = "subquery", query.OpOther
	}
	return &query.Op{Kind: kind, Name: name, Args: append(l.exprs([]*pg_query.Node{s.GetTestexpr()}), sub)}
}

// subselect lowers the query of a subquery, which the grammar always makes
// a SELECT.
func (l *lowerer) subselect(n *pg_query.Node) *query.Select {
	if s := n.GetSelectStmt(); s != nil {
		return l.selectStmt(s)
	}
	l.unsupported("subquery " + nodeTypeName(n))
	return &query.Select{}
}
