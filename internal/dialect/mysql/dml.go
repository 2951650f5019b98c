package mysql

import (
	"github.com/pingcap/tidb/pkg/parser/ast"

	"github.com/sqlseal/sqlseal/internal/query"
)

// insert lowers INSERT and REPLACE, with VALUES, SET or a query, and ON
// DUPLICATE KEY UPDATE.
func (l *lowerer) insert(n *ast.InsertStmt) query.Statement {
	target := insertTarget(n)
	if target == nil {
		l.fail("INSERT into something other than a table")
		return &query.Opaque{Writes: tablesIn(n), Reads: tablesIn(n)}
	}
	ins := &query.Insert{Table: table(target), SetForm: n.Setlist}
	for _, c := range n.Columns {
		ins.Columns = append(ins.Columns, c.Name.L)
	}
	for _, row := range n.Lists {
		ins.Rows = append(ins.Rows, l.exprs(row))
	}
	if rows, ok := valuesRows(n.Select); ok {
		// INSERT ... VALUES ROW(...) is INSERT ... VALUES (...).
		for _, row := range rows {
			ins.Rows = append(ins.Rows, l.exprs(row.Values))
		}
	} else if n.Select != nil {
		ins.Query = l.query(n.Select)
	}
	ins.OnConflict = l.assigns(n.OnDuplicate)
	return ins
}

// insertTarget is the table an INSERT writes, or nil.
func insertTarget(n *ast.InsertStmt) *ast.TableName {
	if n.Table == nil || n.Table.TableRefs == nil || n.Table.TableRefs.Right != nil {
		return nil
	}
	ts, ok := n.Table.TableRefs.Left.(*ast.TableSource)
	if !ok {
		return nil
	}
	t, _ := ts.Source.(*ast.TableName)
	return t
}

// valuesRows returns the rows of a bare VALUES ROW(...) statement.
func valuesRows(n ast.ResultSetNode) ([]*ast.RowExpr, bool) {
	sel, ok := n.(*ast.SelectStmt)
	if !ok || sel.Kind != ast.SelectStmtKindValues || sel.With != nil ||
		sel.OrderBy != nil || sel.Limit != nil {
		return nil, false
	}
	return sel.Lists, true
}

// assigns lowers a SET or ON DUPLICATE KEY UPDATE list.
func (l *lowerer) assigns(list []*ast.Assignment) []query.Assign {
	var out []query.Assign
	for _, a := range list {
		out = append(out, query.Assign{Qualifier: a.Column.Table.L, Column: a.Column.Name.L, Value: l.expr(a.Expr)})
	}
	return out
}

// update lowers single- and multi-table UPDATE. The first table of the
// table list is Table; every other FROM item goes to From, and join
// conditions join the WHERE clause in Filters.
func (l *lowerer) update(n *ast.UpdateStmt) query.Statement {
	u := &query.Update{With: l.with(n.With)}
	froms, joins := l.tableRefs(n.TableRefs)
	first := firstTableRef(froms)
	if first < 0 {
		l.fail("UPDATE of something other than a table")
		return &query.Opaque{Writes: tablesIn(n), Reads: tablesIn(n)}
	}
	u.Table, u.Alias, u.From = splitTarget(froms, first)
	u.Set = l.assigns(n.List)
	u.Filters, u.Others = l.whereOrderLimit(joins, n.Where, n.Order, n.Limit)
	return u
}

// delete lowers single- and multi-table DELETE. Table is the first table
// deleted from; every other FROM item, including further tables deleted
// from, goes to Using.
func (l *lowerer) delete(n *ast.DeleteStmt) query.Statement {
	d := &query.Delete{With: l.with(n.With)}
	froms, joins := l.tableRefs(n.TableRefs)
	target := firstTableRef(froms)
	if n.IsMultiTable && n.Tables != nil && len(n.Tables.Tables) > 0 {
		target = findTarget(froms, n.Tables.Tables[0])
	}
	if target < 0 {
		l.fail("DELETE from something other than a table")
		return &query.Opaque{Writes: tablesIn(n), Reads: tablesIn(n)}
	}
	d.Table, d.Alias, d.Using = splitTarget(froms, target)
	d.Filters, d.Others = l.whereOrderLimit(joins, n.Where, n.Order, n.Limit)
	return d
}

// tableRefs lowers the table list of an UPDATE or DELETE: its FROM items,
// joins flattened, and the join conditions.
func (l *lowerer) tableRefs(refs *ast.TableRefsClause) (froms []query.From, joins []query.Expr) {
	if refs != nil {
		l.join(refs.TableRefs, &froms, &joins)
	}
	return froms, joins
}

// splitTarget splits froms into the table an UPDATE or DELETE writes, the
// TableRef at index i, and the other FROM items.
func splitTarget(froms []query.From, i int) (query.Table, string, []query.From) {
	ref := froms[i].(*query.TableRef)
	return ref.Table, ref.Alias, without(froms, i)
}

// whereOrderLimit lowers the rest of an UPDATE or DELETE: its filters are
// the join conditions then WHERE, its other expressions ORDER BY and LIMIT.
func (l *lowerer) whereOrderLimit(joins []query.Expr, where ast.ExprNode, order *ast.OrderByClause, limit *ast.Limit) (filters, others []query.Expr) {
	filters = joins
	if where != nil {
		filters = append(filters, l.expr(where))
	}
	return filters, l.orderLimit(order, limit)
}

// firstTableRef is the index of the first TableRef in froms, or -1.
func firstTableRef(froms []query.From) int {
	for i, f := range froms {
		if _, ok := f.(*query.TableRef); ok {
			return i
		}
	}
	return -1
}

// findTarget is the index of the FROM item a multi-table DELETE names as a
// target (by alias, or by table name when the item has no alias), or -1.
func findTarget(froms []query.From, t *ast.TableName) int {
	want := table(t)
	for i, f := range froms {
		ref, ok := f.(*query.TableRef)
		if !ok {
			continue
		}
		if ref.Alias != "" {
			if want.Schema == "" && ref.Alias == want.Name {
				return i
			}
			continue
		}
		if ref.Table.Name == want.Name && (want.Schema == "" || ref.Table.Schema == want.Schema) {
			return i
		}
	}
	return -1
}

// without returns froms less the item at index i, nil if none is left.
func without(froms []query.From, i int) []query.From {
	if len(froms) <= 1 {
		return nil
	}
	out := make([]query.From, 0, len(froms)-1)
	out = append(out, froms[:i]...)
	return append(out, froms[i+1:]...)
}
