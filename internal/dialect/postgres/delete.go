package postgres

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/sqlseal/sqlseal/internal/query"
)

// deleteStmt lowers DELETE: USING into Using (joins flattened, their
// conditions into Filters), WHERE into Filters.
func (l *lowerer) deleteStmt(s *pg_query.DeleteStmt) *query.Delete {
	del := &query.Delete{With: l.with(s.GetWithClause()), Table: tableOf(s.GetRelation())}
	del.Alias, _ = aliasOf(s.GetRelation().GetAlias())
	del.Using, del.Filters, del.Others = l.fromWhere(s.GetUsingClause(), s.GetWhereClause())
	del.Returning = l.items(s.GetReturningList())
	return del
}
