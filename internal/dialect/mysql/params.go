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
	return numberParamsAs(stmts, ordinalsUpTo(want))
}

// ordinalsUpTo returns 1 to n.
func ordinalsUpTo(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

// numberParamsAs gives the placeholders in stmts, in text order, the
// ordinals ords. It is numberParams for a text from which placeholders
// were removed: ords skips their ordinals, so that those of the others
// stay those of the text the driver binds.
func numberParamsAs(stmts []ast.StmtNode, ords []int) (map[ast.ParamMarkerExpr]int, error) {
	c := &paramCollector{}
	for _, s := range stmts {
		s.Accept(c)
	}
	if len(c.found) != len(ords) {
		return nil, fmt.Errorf("%w: cannot number the ? placeholders (found %d of %d)", ErrUnsupported, len(c.found), len(ords))
	}
	sort.SliceStable(c.found, func(i, j int) bool { return c.found[i].Offset < c.found[j].Offset })
	out := make(map[ast.ParamMarkerExpr]int, len(c.found))
	for i, p := range c.found {
		if i > 0 && p.Offset == c.found[i-1].Offset {
			return nil, fmt.Errorf("%w: two ? placeholders at one position", ErrUnsupported)
		}
		out[p] = ords[i]
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
