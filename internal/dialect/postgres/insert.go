package postgres

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/sqlseal/sqlseal/internal/query"
)

// insertStmt lowers INSERT: a plain VALUES list into Rows, any other source
// into Query, DEFAULT VALUES into neither; ON CONFLICT DO UPDATE into
// OnConflict, its WHERE clauses (of the conflict target and of DO UPDATE)
// into ConflictFilters. The conflict target columns are not a filter. A
// target column with a subscript or field (INSERT INTO t (a[1])) makes the
// statement opaque.
func (l *lowerer) insertStmt(s *pg_query.InsertStmt) *query.Insert {
	ins := &query.Insert{With: l.with(s.GetWithClause()), Table: tableOf(s.GetRelation())}
	ins.Alias, _ = aliasOf(s.GetRelation().GetAlias())
	for _, c := range s.GetCols() {
		rt := c.GetResTarget()
		if len(rt.GetIndirection()) > 0 {
			l.unsupported("INSERT into a subscript or field of a column")
		}
		ins.Columns = append(ins.Columns, rt.GetName())
		ins.ColumnAt = append(ins.ColumnAt, int(rt.GetLocation())+1)
	}
	if src := s.GetSelectStmt().GetSelectStmt(); src != nil {
		if isPlainValues(src) {
			ins.Rows = l.valuesLists(src.GetValuesLists())
			for _, r := range src.GetValuesLists() {
				var row []int
				for _, n := range r.GetList().GetItems() {
					row = append(row, at(n))
				}
				ins.RowAt = append(ins.RowAt, row)
			}
		} else {
			ins.Query = l.selectStmt(src)
		}
	} else if s.GetSelectStmt() != nil {
		l.unsupported("INSERT source " + nodeTypeName(s.GetSelectStmt()))
	}
	l.onConflict(s.GetOnConflictClause(), ins)
	ins.Returning = l.items(s.GetReturningList())
	return ins
}

// isPlainValues reports whether an INSERT source is a bare VALUES list,
// without WITH, ORDER BY, LIMIT or locking clauses.
func isPlainValues(s *pg_query.SelectStmt) bool {
	return len(s.GetValuesLists()) > 0 && s.GetWithClause() == nil && len(s.GetSortClause()) == 0 &&
		s.GetLimitCount() == nil && s.GetLimitOffset() == nil && len(s.GetLockingClause()) == 0 &&
		(s.GetOp() == pg_query.SetOperation_SETOP_NONE || s.GetOp() == pg_query.SetOperation_SET_OPERATION_UNDEFINED)
}

// onConflict lowers an ON CONFLICT clause into ins.
func (l *lowerer) onConflict(c *pg_query.OnConflictClause, ins *query.Insert) {
	if c == nil {
		return
	}
	ins.ConflictFilters = l.appendExpr(ins.ConflictFilters, c.GetInfer().GetWhereClause())
	if c.GetAction() != pg_query.OnConflictAction_ONCONFLICT_UPDATE {
		return
	}
	l.inConflict = true
	defer func() { l.inConflict = false }()
	ins.OnConflict = l.assigns(c.GetTargetList())
	ins.ConflictFilters = l.appendExpr(ins.ConflictFilters, c.GetWhereClause())
}
