package mysql

import (
	"fmt"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"

	"github.com/sqlseal/sqlseal/internal/query"
)

// MariaDB 10.5+ accepts a trailing RETURNING select_list in INSERT,
// REPLACE and single-table DELETE; the TiDB parser does not. When the
// parser rejects a text in which the scanner found such clauses, Parse
// reads it in two parts:
//
//   - The text with every RETURNING clause blanked out (replaced by spaces,
//     keeping line breaks) is parsed and lowered as usual. Blanking keeps
//     every byte offset, so literal positions hold for the original text;
//     the placeholders of a clause are left out of the numbering, so the
//     others keep the ordinals the driver binds them by.
//   - Each clause's select list is parsed as SELECT list FROM target, in a
//     text where everything before the list is blanked too, so its literals
//     are located at their offsets in the original text. Its items become
//     the statement's Returning.
//
// A RETURNING list with a ? placeholder is not modelled: its statement
// becomes an Opaque that writes its table.

// hasReturning reports whether the scanner found a RETURNING clause.
func (sc scanned) hasReturning() bool {
	for _, st := range sc.stmts {
		if st.ret != nil {
			return true
		}
	}
	return false
}

// parseReturning parses and lowers sql, which the TiDB parser rejects and
// which sc, its scan, found RETURNING clauses in.
func parseReturning(sql string, sc scanned) ([]query.Statement, error) {
	if sc.bangSep {
		return nil, fmt.Errorf("%w: RETURNING in a text with ; inside an executable comment (/*! ... */)", ErrUnsupported)
	}
	var clauses []clause
	for _, st := range sc.stmts {
		if st.ret == nil {
			continue
		}
		if st.ret.inBang {
			return nil, fmt.Errorf("%w: RETURNING clause inside an executable comment (/*! ... */)", ErrUnsupported)
		}
		clauses = append(clauses, *st.ret)
	}
	stripped := []byte(sql)
	for _, c := range clauses {
		blank(stripped[c.Start:c.End])
	}
	var ords []int
	for i, at := range sc.paramAt {
		if !inClause(clauses, at) {
			ords = append(ords, i+1)
		}
	}

	text := string(stripped)
	tree, err := parseAST(text)
	if err != nil {
		return nil, err
	}
	// The parser drops statements that hold nothing; the others are the
	// scanner's statements in order.
	var infos []stmtInfo
	for _, st := range sc.stmts {
		if st.started {
			infos = append(infos, st)
		}
	}
	if len(infos) != len(tree) {
		return nil, fmt.Errorf("%w: cannot match the statements of a text with RETURNING to the parse (found %d of %d)", ErrUnsupported, len(tree), len(infos))
	}
	for i, info := range infos {
		if info.ret != nil && !returningNode(info.verb, tree[i]) {
			return nil, fmt.Errorf("%w: RETURNING in a statement other than INSERT, REPLACE or single-table DELETE", ErrUnsupported)
		}
	}

	ssc := scan(text)
	if ssc.params != len(ords) {
		return nil, fmt.Errorf("%w: cannot number the ? placeholders (found %d of %d)", ErrUnsupported, ssc.params, len(ords))
	}
	ssc.ords = ords
	ssc.conditional = ssc.conditional || sc.conditional
	stmts, err := lowerText(text, ssc, tree)
	if err != nil {
		return nil, err
	}
	for i, info := range infos {
		if info.ret == nil {
			continue
		}
		stmts[i], err = withReturning(sql, sc, *info.ret, stmts[i], tree[i])
		if err != nil {
			return nil, err
		}
	}
	return stmts, nil
}

// blank replaces every byte of b but line breaks with a space.
func blank(b []byte) {
	for i, c := range b {
		if c != '\n' {
			b[i] = ' '
		}
	}
}

// inClause reports whether offset at lies in one of the clauses.
func inClause(clauses []clause, at int) bool {
	for _, c := range clauses {
		if at >= c.Start && at < c.End {
			return true
		}
	}
	return false
}

// returningNode reports whether n, the parse of a statement whose first
// word is verb, is a statement MariaDB accepts RETURNING in.
func returningNode(verb string, n ast.StmtNode) bool {
	switch n := n.(type) {
	case *ast.InsertStmt:
		return (verb == "insert" && !n.IsReplace) || (verb == "replace" && n.IsReplace)
	case *ast.DeleteStmt:
		return verb == "delete" && !n.IsMultiTable
	}
	return false
}

// withReturning adds the RETURNING clause c of sql to st, the lowering of
// the statement without it, whose parse is n.
func withReturning(sql string, sc scanned, c clause, st query.Statement, n ast.StmtNode) (query.Statement, error) {
	var target query.Table
	var alias string
	var returning *[]query.Item
	switch st := st.(type) {
	case *query.Insert:
		target, alias, returning = st.Table, st.Alias, &st.Returning
	case *query.Delete:
		target, alias, returning = st.Table, st.Alias, &st.Returning
	default:
		return nil, fmt.Errorf("%w: RETURNING in a statement other than INSERT, REPLACE or single-table DELETE", ErrUnsupported)
	}
	for _, at := range sc.paramAt {
		if at >= c.List && at < c.End {
			return &query.Opaque{Writes: []query.Table{target}, Reads: tablesIn(n)}, nil
		}
	}
	items, err := returningItems(sql, c, target, alias)
	if err != nil {
		return nil, err
	}
	*returning = items
	return st, nil
}

// returningItems parses and lowers the select list of the RETURNING
// clause c of sql, which returns rows of target (named alias in the
// statement, if it has one). The list is parsed as SELECT list FROM target
// in a text where the keyword RETURNING becomes SELECT and everything
// before it is blank, so that offsets in it are offsets in sql.
func returningItems(sql string, c clause, target query.Table, alias string) ([]query.Item, error) {
	var b strings.Builder
	head := []byte(sql[:c.Start])
	blank(head)
	b.Write(head)
	b.WriteString("SELECT")
	b.WriteString(strings.Repeat(" ", c.List-c.Start-len("SELECT")))
	b.WriteString(sql[c.List:c.End])
	// A line break ends a -- or # comment at the end of the list.
	b.WriteString("\nFROM ")
	if target.Schema != "" {
		b.WriteString(quoteName(target.Schema) + ".")
	}
	b.WriteString(quoteName(target.Name))
	if alias != "" {
		b.WriteString(" AS " + quoteName(alias))
	}
	text := b.String()

	tree, err := parseAST(text)
	if err != nil {
		return nil, err
	}
	if len(tree) != 1 || !bareSelect(tree[0]) {
		return nil, fmt.Errorf("%w: a RETURNING clause that is not a plain select list", ErrUnsupported)
	}
	stmts, err := lowerText(text, scan(text), tree)
	if err != nil {
		return nil, err
	}
	sel, ok := stmts[0].(*query.Select)
	if !ok || len(sel.Items) == 0 || len(sel.From) != 1 || sel.Filters != nil || sel.Others != nil ||
		sel.With != nil || sel.SetArms != nil || sel.Values != nil {
		return nil, fmt.Errorf("%w: a RETURNING clause that is not a plain select list", ErrUnsupported)
	}
	if ref, ok := sel.From[0].(*query.TableRef); !ok || ref.Table != target || ref.Alias != alias {
		return nil, fmt.Errorf("%w: a RETURNING clause that is not a plain select list", ErrUnsupported)
	}
	return sel.Items, nil
}

// bareSelect reports whether n is a SELECT with a select list and a FROM
// clause and nothing else that the list could have brought in: no WHERE,
// GROUP BY, HAVING, WINDOW, ORDER BY, LIMIT, INTO, locking clause,
// DISTINCT or WITH.
func bareSelect(n ast.StmtNode) bool {
	sel, ok := n.(*ast.SelectStmt)
	return ok && sel.Kind == ast.SelectStmtKindSelect && sel.Fields != nil && sel.From != nil &&
		!sel.Distinct && sel.Where == nil && sel.GroupBy == nil && sel.Having == nil &&
		len(sel.WindowSpecs) == 0 && sel.OrderBy == nil && sel.Limit == nil &&
		sel.LockInfo == nil && sel.SelectIntoOpt == nil && sel.With == nil && !sel.IsInBraces
}

// quoteName quotes an identifier with backticks.
func quoteName(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}
