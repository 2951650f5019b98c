package mysql

import (
	"github.com/pingcap/tidb/pkg/parser/ast"

	"github.com/sqlseal/sqlseal/internal/query"
)

// join flattens a FROM clause (a tree of joins) into froms, left to right,
// and its join conditions into filters: ON conditions as they are, USING
// as an Op "join using" over the named columns, NATURAL as an Op "natural
// join" without operands (the columns it compares are not named in the
// text).
func (l *lowerer) join(n ast.ResultSetNode, froms *[]query.From, filters *[]query.Expr) {
	switch n := n.(type) {
	case nil:
	case *ast.Join:
		if n == nil {
			return
		}
		l.join(n.Left, froms, filters)
		if n.Right != nil {
			l.join(n.Right, froms, filters)
		}
		if n.On != nil {
			*filters = append(*filters, l.expr(n.On.Expr))
		}
		if len(n.Using) > 0 {
			op := &query.Op{Kind: query.OpJoinUsing, Name: "join using"}
			for _, c := range n.Using {
				op.Args = append(op.Args, colRef(c))
			}
			*filters = append(*filters, op)
		}
		if n.NaturalJoin {
			*filters = append(*filters, &query.Op{Kind: query.OpNaturalJoin, Name: "natural join"})
		}
	case *ast.TableSource:
		l.tableSource(n, froms, filters)
	default:
		*froms = append(*froms, &query.FuncRef{})
		l.fail("a FROM item of an unknown kind")
	}
}

// tableSource lowers one FROM item: a table, a derived table, or a
// parenthesised join.
func (l *lowerer) tableSource(n *ast.TableSource, froms *[]query.From, filters *[]query.Expr) {
	var cols []string
	for _, c := range n.ColumnNames {
		cols = append(cols, c.L)
	}
	switch src := n.Source.(type) {
	case *ast.TableName:
		*froms = append(*froms, &query.TableRef{Table: table(src), Alias: n.AsName.L, ColumnAliases: cols})
	case *ast.SelectStmt, *ast.SetOprStmt:
		*froms = append(*froms, &query.SubqueryRef{
			Query:         l.query(src),
			Alias:         n.AsName.L,
			ColumnAliases: cols,
			Lateral:       n.Lateral,
		})
	case *ast.Join:
		l.join(src, froms, filters)
	default:
		*froms = append(*froms, &query.FuncRef{Alias: n.AsName.L})
		l.fail("a FROM item of an unknown kind")
	}
}
