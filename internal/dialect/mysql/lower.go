package mysql

import (
	"fmt"

	"github.com/pingcap/tidb/pkg/parser/ast"

	"github.com/sqlseal/sqlseal/internal/query"
)

// lowerer turns one parse tree into query statements.
type lowerer struct {
	sites  *sites
	params map[ast.ParamMarkerExpr]int
	// err is the first reason the tree cannot be lowered at all.
	err error
	// depth is how deep the expression being lowered is nested.
	depth int
}

// maxDepth bounds how deeply lowered expressions may nest: the lowering
// recurses, and a chain of a million operators (2 MB of text, which the
// server accepts) would overflow the goroutine's stack and end the process.
const maxDepth = 10000

// lowerAll lowers every statement of a parse.
func lowerAll(stmts []ast.StmtNode, s *sites, params map[ast.ParamMarkerExpr]int) ([]query.Statement, error) {
	l := &lowerer{sites: s, params: params}
	out := make([]query.Statement, 0, len(stmts))
	for _, st := range stmts {
		out = append(out, l.statement(st))
	}
	if l.err != nil {
		return nil, l.err
	}
	return out, nil
}

// fail records that the tree cannot be lowered; what must not quote SQL
// values.
func (l *lowerer) fail(what string) {
	if l.err == nil {
		l.err = fmt.Errorf("%w: %s", ErrUnsupported, what)
	}
}

// table lowers a table name.
func table(n *ast.TableName) query.Table {
	return query.Table{Schema: n.Schema.L, Name: n.Name.L}
}

// colRef lowers a column name.
func colRef(n *ast.ColumnName) *query.ColRef {
	return &query.ColRef{Schema: n.Schema.L, Qualifier: n.Table.L, Name: n.Name.L}
}

// tablesIn lists, without repeats, every table name in the tree under n.
func tablesIn(n ast.Node) []query.Table {
	if n == nil {
		return nil
	}
	c := &tableCollector{seen: map[query.Table]bool{}}
	n.Accept(c)
	return c.tables
}

// tableCollector is an ast.Visitor that gathers table names.
type tableCollector struct {
	tables []query.Table
	seen   map[query.Table]bool
}

// Enter implements ast.Visitor.
func (c *tableCollector) Enter(n ast.Node) (ast.Node, bool) {
	if t, ok := n.(*ast.TableName); ok {
		qt := table(t)
		if !c.seen[qt] {
			c.seen[qt] = true
			c.tables = append(c.tables, qt)
		}
	}
	return n, false
}

// Leave implements ast.Visitor.
func (c *tableCollector) Leave(n ast.Node) (ast.Node, bool) { return n, true }
