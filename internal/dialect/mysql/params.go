package mysql

import (
	"fmt"
	"sort"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/test_driver"
)

// numberParams gives each ? placeholder in stmts its 1-based ordinal: its
// position among all placeholders of the text, which is how
// go-sql-driver/mysql and the server bind arguments. want is the number of
// placeholders the scanner counted; a different count means some
// placeholder is missing from the tree, and numbering would be wrong.
func numberParams(stmts []ast.StmtNode, want int) (map[ast.ParamMarkerExpr]int, error) {
	c := &paramCollector{}
	for _, s := range stmts {
		s.Accept(c)
	}
	if len(c.found) != want {
		return nil, fmt.Errorf("%w: cannot number the ? placeholders (found %d of %d)", ErrUnsupported, len(c.found), want)
	}
	sort.SliceStable(c.found, func(i, j int) bool { return c.found[i].Offset < c.found[j].Offset })
	out := make(map[ast.ParamMarkerExpr]int, len(c.found))
	for i, p := range c.found {
		if i > 0 && p.Offset == c.found[i-1].Offset {
			return nil, fmt.Errorf("%w: two ? placeholders at one position", ErrUnsupported)
		}
		out[p] = i + 1
	}
	return out, nil
}

// paramCollector is an ast.Visitor that gathers placeholders.
type paramCollector struct {
	found []*test_driver.ParamMarkerExpr
	seen  map[*test_driver.ParamMarkerExpr]bool
}

// Enter implements ast.Visitor.
func (c *paramCollector) Enter(n ast.Node) (ast.Node, bool) {
	if p, ok := n.(*test_driver.ParamMarkerExpr); ok {
		if c.seen == nil {
			c.seen = make(map[*test_driver.ParamMarkerExpr]bool)
		}
		if !c.seen[p] {
			c.seen[p] = true
			c.found = append(c.found, p)
		}
	}
	return n, false
}

// Leave implements ast.Visitor.
func (c *paramCollector) Leave(n ast.Node) (ast.Node, bool) { return n, true }
