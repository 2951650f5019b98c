package postgres

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/sqlseal/sqlseal/internal/query"
)

// otherExpr lowers the expressions that are always an Op: CASE, COALESCE,
// subscripts, COLLATE, ARRAY[...] and the like, and any node it does not
// know, as "unsupported expression <type>" with every expression below it.
func (l *lowerer) otherExpr(n *pg_query.Node) query.Expr {
	switch v := n.GetNode().(type) {
	case *pg_query.Node_CaseExpr:
		c := v.CaseExpr
		o := l.op(query.OpConditional, "CASE", c.GetArg())
		for _, w := range c.GetArgs() {
			o.Args = append(o.Args, l.exprs([]*pg_query.Node{w.GetCaseWhen().GetExpr(), w.GetCaseWhen().GetResult()})...)
		}
		o.Args = l.appendExpr(o.Args, c.GetDefresult())
		return o
	case *pg_query.Node_CoalesceExpr:
		return l.op(query.OpConditional, "COALESCE", v.CoalesceExpr.GetArgs()...)
	case *pg_query.Node_MinMaxExpr:
		name := "GREATEST"
		if v.MinMaxExpr.GetOp() == pg_query.MinMaxOp_IS_LEAST {
			name = "LEAST"
		}
		return l.op(query.OpConditional, name, v.MinMaxExpr.GetArgs()...)
	case *pg_query.Node_CollateClause:
		return l.op(query.OpOperator, "COLLATE", v.CollateClause.GetArg())
	case *pg_query.Node_AIndirection:
		return l.op(query.OpOperator, "subscript or field selection", append([]*pg_query.Node{v.AIndirection.GetArg()}, v.AIndirection.GetIndirection()...)...)
	case *pg_query.Node_AIndices:
		return l.op(query.OpOperator, "subscript", v.AIndices.GetLidx(), v.AIndices.GetUidx())
	case *pg_query.Node_AArrayExpr:
		return l.op(query.OpFunction, "ARRAY", v.AArrayExpr.GetElements()...)
	case *pg_query.Node_BooleanTest:
		name := strings.ReplaceAll(strings.TrimPrefix(v.BooleanTest.GetBooltesttype().String(), "IS_"), "_", " ")
		return l.op(query.OpOperator, "IS "+name, v.BooleanTest.GetArg())
	case *pg_query.Node_SqlvalueFunction:
		return &query.Op{Kind: query.OpFunction, Name: strings.TrimPrefix(v.SqlvalueFunction.GetOp().String(), "SVFOP_")}
	case *pg_query.Node_GroupingFunc:
		return l.op(query.OpFunction, "GROUPING", v.GroupingFunc.GetArgs()...)
	case *pg_query.Node_GroupingSet:
		return l.op(query.OpOther, "grouping set", v.GroupingSet.GetContent()...)
	case *pg_query.Node_NamedArgExpr:
		return l.op(query.OpOther, "named argument "+v.NamedArgExpr.GetName(), v.NamedArgExpr.GetArg())
	case *pg_query.Node_CurrentOfExpr:
		return &query.Op{Name: "CURRENT OF"}
	default:
		return &query.Op{Name: "unsupported expression " + nodeTypeName(n), Args: l.children(nodeMessage(n))}
	}
}

// children lowers every expression found below m, looking through
// messages that are not expressions themselves (JSON and XML clauses) but
// not into type names and aliases.
func (l *lowerer) children(m protoreflect.Message) []query.Expr {
	var out []query.Expr
	if m == nil {
		return nil
	}
	forEachMessage(m, func(c protoreflect.Message) {
		switch x := c.Interface().(type) {
		case *pg_query.Node:
			out = l.appendExpr(out, x)
		case *pg_query.TypeName, *pg_query.Alias:
		default:
			out = append(out, l.children(c)...)
		}
	})
	return out
}

// nodeMessage returns the message a Node wraps, nil for an empty Node.
func nodeMessage(n *pg_query.Node) protoreflect.Message {
	m := n.ProtoReflect()
	fd := m.WhichOneof(m.Descriptor().Oneofs().ByName("node"))
	if fd == nil {
		return nil
	}
	return m.Get(fd).Message()
}

// nodeTypeName returns the type of the message a Node wraps ("XmlExpr").
func nodeTypeName(n *pg_query.Node) string {
	m := nodeMessage(n)
	if m == nil {
		return "empty node"
	}
	return string(m.Descriptor().Name())
}
