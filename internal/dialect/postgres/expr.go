package postgres

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/sqlseal/sqlseal/internal/query"
)

// expr lowers an expression node. It returns nil for an absent node and for
// nodes that carry no value (names, `*`); everything else yields an Expr,
// unknown nodes an Op named after their type that holds every expression
// found below them.
func (l *lowerer) expr(n *pg_query.Node) query.Expr {
	switch v := n.GetNode().(type) {
	case nil:
		return nil
	case *pg_query.Node_ParamRef:
		return &query.Param{Ordinal: int(v.ParamRef.GetNumber())}
	case *pg_query.Node_AConst:
		return l.constant(v.AConst)
	case *pg_query.Node_ColumnRef:
		return l.columnRef(v.ColumnRef)
	case *pg_query.Node_TypeCast:
		return l.typeCast(v.TypeCast)
	case *pg_query.Node_SetToDefault:
		return &query.Default{}
	case *pg_query.Node_NullTest:
		return &query.NullTest{X: l.expr(v.NullTest.GetArg())}
	case *pg_query.Node_SubLink:
		return l.subLink(v.SubLink)
	case *pg_query.Node_RowExpr:
		return &query.Row{Items: l.exprs(v.RowExpr.GetArgs())}
	case *pg_query.Node_FuncCall:
		return l.funcCall(v.FuncCall)
	case *pg_query.Node_AExpr:
		return l.aExpr(v.AExpr)
	case *pg_query.Node_BoolExpr:
		return l.boolExpr(v.BoolExpr)
	case *pg_query.Node_SelectStmt:
		return &query.Subquery{Query: l.selectStmt(v.SelectStmt)}
	case *pg_query.Node_List:
		return &query.Op{Name: "list", Args: l.exprs(v.List.GetItems())}
	case *pg_query.Node_SortBy:
		return l.expr(v.SortBy.GetNode())
	case *pg_query.Node_ResTarget:
		return l.expr(v.ResTarget.GetVal())
	case *pg_query.Node_String_, *pg_query.Node_Integer, *pg_query.Node_Float,
		*pg_query.Node_Boolean, *pg_query.Node_AStar:
		return nil
	default:
		return l.otherExpr(n)
	}
}

// exprs lowers a list of expression nodes, flattening nested lists and
// dropping nodes that carry no value.
func (l *lowerer) exprs(nodes []*pg_query.Node) []query.Expr {
	var out []query.Expr
	for _, n := range nodes {
		out = l.appendExpr(out, n)
	}
	return out
}

// appendExpr appends the lowering of n to out; a List contributes its items.
func (l *lowerer) appendExpr(out []query.Expr, n *pg_query.Node) []query.Expr {
	if list := n.GetList(); list != nil {
		for _, item := range list.GetItems() {
			out = l.appendExpr(out, item)
		}
		return out
	}
	if e := l.expr(n); e != nil {
		out = append(out, e)
	}
	return out
}

// op builds an Op from the lowering of operand nodes.
func (l *lowerer) op(kind query.OpKind, name string, operands ...*pg_query.Node) *query.Op {
	return &query.Op{Kind: kind, Name: name, Args: l.exprs(operands)}
}

// boolExpr lowers AND, OR and NOT.
func (l *lowerer) boolExpr(b *pg_query.BoolExpr) query.Expr {
	name := "boolean expression"
	switch b.GetBoolop() {
	case pg_query.BoolExprType_AND_EXPR:
		name = "AND"
	case pg_query.BoolExprType_OR_EXPR:
		name = "OR"
	case pg_query.BoolExprType_NOT_EXPR:
		name = "NOT"
	}
	return l.op(query.OpOperator, name, b.GetArgs()...)
}
