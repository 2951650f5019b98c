package mysql

import (
	"fmt"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/opcode"
	"github.com/pingcap/tidb/pkg/parser/test_driver"

	"github.com/sqlseal/sqlseal/internal/query"
)

// exprs lowers a list of expressions.
func (l *lowerer) exprs(list []ast.ExprNode) []query.Expr {
	out := make([]query.Expr, 0, len(list))
	for _, e := range list {
		out = append(out, l.expr(e))
	}
	return out
}

// expr lowers an expression. Functions and operators become an Op over all
// their operands and are never unwrapped to an operand: the analysis must
// see that the value is computed. Parentheses are dropped.
func (l *lowerer) expr(e ast.ExprNode) query.Expr {
	if l.depth++; l.depth > maxDepth {
		l.fail("an expression nested too deeply")
		l.depth--
		return &query.Op{Name: "too deep"}
	}
	defer func() { l.depth-- }()
	switch n := e.(type) {
	case nil:
		return &query.Op{Name: "missing expression"}
	case *test_driver.ParamMarkerExpr:
		return l.param(n)
	case *test_driver.ValueExpr:
		return l.value(n)
	case *ast.ColumnNameExpr:
		return colRef(n.Name)
	case *ast.ParenthesesExpr:
		return l.expr(n.Expr)
	case *ast.DefaultExpr:
		if n.Name == nil {
			return &query.Default{}
		}
		return &query.Op{Kind: query.OpFunction, Name: "function DEFAULT", Args: []query.Expr{colRef(n.Name)}}
	case *ast.ValuesExpr:
		if n.Column == nil || n.Column.Name == nil {
			return &query.Op{Kind: query.OpFunction, Name: "function VALUES"}
		}
		return &query.Excluded{Column: n.Column.Name.Name.L}
	case *ast.IsNullExpr:
		return &query.NullTest{X: l.expr(n.Expr)}
	case *ast.RowExpr:
		return &query.Row{Items: l.exprs(n.Values)}
	case *ast.SubqueryExpr:
		return &query.Subquery{Query: l.query(n.Query)}
	case *ast.FuncCastExpr:
		return l.cast(n)
	case *ast.FuncCallExpr:
		return l.funcCall(n)
	default:
		return l.operator(e)
	}
}

// param lowers a ? placeholder to its ordinal.
func (l *lowerer) param(n *test_driver.ParamMarkerExpr) query.Expr {
	ord, ok := l.params[n]
	if !ok {
		l.fail("a ? placeholder that could not be numbered")
	}
	return &query.Param{Ordinal: ord}
}

// value lowers a constant. Strings and hexadecimal literals are located
// in the text by l.sites; numbers and booleans become non-string Literals
// without offsets.
func (l *lowerer) value(n *test_driver.ValueExpr) query.Expr {
	switch n.Kind() {
	case test_driver.KindNull:
		return &query.Null{}
	case test_driver.KindString, test_driver.KindBytes:
		return l.sites.literal(n.GetString())
	case test_driver.KindBinaryLiteral:
		return l.sites.literal(string(n.GetBinaryLiteral()))
	case test_driver.KindInt64, test_driver.KindUint64, test_driver.KindFloat32,
		test_driver.KindFloat64, test_driver.KindMysqlDecimal:
		var b strings.Builder
		n.Format(&b)
		return &query.Literal{Value: b.String()}
	default:
		return &query.Op{Kind: query.OpConstant, Name: "unsupported literal"}
	}
}

// funcCall lowers a function call. CONVERT(x USING charset) is a text cast.
func (l *lowerer) funcCall(n *ast.FuncCallExpr) query.Expr {
	if n.FnName.L == ast.Convert && len(n.Args) == 2 {
		if cs, ok := n.Args[1].(*test_driver.ValueExpr); ok && cs.Kind() == test_driver.KindString {
			return &query.Cast{X: l.expr(n.Args[0]), Type: "char character set " + strings.ToLower(cs.GetString()), TextLike: true}
		}
	}
	name := "function " + n.FnName.L
	switch n.FnName.L {
	case ast.DateLiteral:
		name = "DATE literal"
	case ast.TimeLiteral:
		name = "TIME literal"
	case ast.TimestampLiteral:
		name = "TIMESTAMP literal"
	}
	if n.Schema.L != "" {
		name = "function " + n.Schema.L + "." + n.FnName.L
	}
	kind := query.OpFunction
	switch n.FnName.L {
	case ast.DateLiteral, ast.TimeLiteral, ast.TimestampLiteral:
		kind = query.OpConstant
	case ast.If, ast.Ifnull, ast.Nullif, ast.Coalesce, ast.Greatest, ast.Least:
		kind = query.OpConditional
	}
	return &query.Op{Kind: kind, Name: name, Args: l.exprs(n.Args)}
}

// operator lowers every other expression to an Op.
func (l *lowerer) operator(e ast.ExprNode) query.Expr {
	switch n := e.(type) {
	case *ast.BinaryOperationExpr:
		return &query.Op{Kind: query.OpOperator, Name: "operator " + opName(n.Op), Args: l.exprs([]ast.ExprNode{n.L, n.R})}
	case *ast.UnaryOperationExpr:
		return &query.Op{Kind: query.OpOperator, Name: "operator " + opName(n.Op), Args: l.exprs([]ast.ExprNode{n.V})}
	case *ast.BetweenExpr:
		return &query.Op{Kind: query.OpOperator, Name: "operator " + not(n.Not) + "BETWEEN", Args: l.exprs([]ast.ExprNode{n.Expr, n.Left, n.Right})}
	case *ast.PatternInExpr:
		if n.Sel != nil {
			return &query.Op{Kind: query.OpOperator, Name: not(n.Not) + "IN subquery", Args: l.exprs([]ast.ExprNode{n.Expr, n.Sel})}
		}
		return &query.Op{Kind: query.OpOperator, Name: "operator " + not(n.Not) + "IN", Args: l.exprs(append([]ast.ExprNode{n.Expr}, n.List...))}
	case *ast.PatternLikeOrIlikeExpr:
		kw := "LIKE"
		if !n.IsLike {
			kw = "ILIKE"
		}
		return &query.Op{Kind: query.OpOperator, Name: "operator " + not(n.Not) + kw, Args: l.exprs([]ast.ExprNode{n.Expr, n.Pattern})}
	case *ast.PatternRegexpExpr:
		return &query.Op{Kind: query.OpOperator, Name: "operator " + not(n.Not) + "REGEXP", Args: l.exprs([]ast.ExprNode{n.Expr, n.Pattern})}
	case *ast.IsTruthExpr:
		truth := "TRUE"
		if n.True == 0 {
			truth = "FALSE"
		}
		return &query.Op{Kind: query.OpOperator, Name: "operator IS " + not(n.Not) + truth, Args: l.exprs([]ast.ExprNode{n.Expr})}
	case *ast.CompareSubqueryExpr:
		q := "ANY"
		if n.All {
			q = "ALL"
		}
		return &query.Op{Kind: query.OpOperator, Name: "operator " + opName(n.Op) + " " + q, Args: l.exprs([]ast.ExprNode{n.L, n.R})}
	case *ast.ExistsSubqueryExpr:
		return &query.Op{Kind: query.OpOperator, Name: not(n.Not) + "EXISTS", Args: l.exprs([]ast.ExprNode{n.Sel})}
	case *ast.CaseExpr:
		return l.caseExpr(n)
	case *ast.AggregateFuncExpr:
		args := l.exprs(n.Args)
		if n.Order != nil {
			args = append(args, l.byItems(n.Order.Items)...)
		}
		return &query.Op{Kind: query.OpFunction, Name: "function " + strings.ToLower(n.F), Args: args}
	case *ast.WindowFuncExpr:
		args := append(l.exprs(n.Args), l.windowSpec(&n.Spec)...)
		return &query.Op{Kind: query.OpFunction, Name: "function " + strings.ToLower(n.Name), Args: args}
	case *ast.VariableExpr:
		op := &query.Op{Kind: query.OpConstant, Name: "variable"}
		if n.Value != nil {
			op.Args = []query.Expr{l.expr(n.Value)}
		}
		return op
	case *ast.SetCollationExpr:
		return &query.Op{Kind: query.OpOperator, Name: "operator COLLATE", Args: l.exprs([]ast.ExprNode{n.Expr})}
	case *ast.MatchAgainst:
		op := &query.Op{Kind: query.OpFunction, Name: "MATCH AGAINST"}
		for _, c := range n.ColumnNames {
			op.Args = append(op.Args, colRef(c))
		}
		op.Args = append(op.Args, l.expr(n.Against))
		return op
	case *ast.PositionExpr:
		op := &query.Op{Name: "position reference"}
		if n.P != nil {
			op.Args = []query.Expr{l.expr(n.P)}
		}
		return op
	case *ast.TimeUnitExpr, *ast.GetFormatSelectorExpr, *ast.TrimDirectionExpr:
		return &query.Op{Kind: query.OpConstant, Name: "keyword"}
	case *ast.MaxValueExpr:
		return &query.Op{Kind: query.OpConstant, Name: "MAXVALUE"}
	default:
		return l.unsupported(e)
	}
}

// caseExpr lowers CASE [x] WHEN a THEN b ... ELSE c END.
func (l *lowerer) caseExpr(n *ast.CaseExpr) query.Expr {
	op := &query.Op{Kind: query.OpConditional, Name: "CASE"}
	if n.Value != nil {
		op.Args = append(op.Args, l.expr(n.Value))
	}
	for _, w := range n.WhenClauses {
		op.Args = append(op.Args, l.expr(w.Expr), l.expr(w.Result))
	}
	if n.ElseClause != nil {
		op.Args = append(op.Args, l.expr(n.ElseClause))
	}
	return op
}

// unsupported lowers an expression this front-end does not know to an Op
// over the expressions directly under it.
func (l *lowerer) unsupported(e ast.ExprNode) query.Expr {
	c := &childCollector{root: e}
	e.Accept(c)
	name := strings.TrimPrefix(fmt.Sprintf("%T", e), "*ast.")
	return &query.Op{Name: "unsupported expression " + name, Args: l.exprs(c.children)}
}

// childCollector is an ast.Visitor that gathers the outermost expressions
// under root.
type childCollector struct {
	root     ast.Node
	children []ast.ExprNode
}

// Enter implements ast.Visitor.
func (c *childCollector) Enter(n ast.Node) (ast.Node, bool) {
	if n == c.root {
		return n, false
	}
	if e, ok := n.(ast.ExprNode); ok {
		c.children = append(c.children, e)
		return n, true
	}
	return n, false
}

// Leave implements ast.Visitor.
func (c *childCollector) Leave(n ast.Node) (ast.Node, bool) { return n, true }

// opName is the SQL spelling of an operator: =, AND, NOT, ...
func opName(o opcode.Op) string {
	var b strings.Builder
	o.Format(&b)
	return strings.ToUpper(strings.TrimSpace(b.String()))
}

// not is "NOT " for a negated form.
func not(negated bool) string {
	if negated {
		return "NOT "
	}
	return ""
}
