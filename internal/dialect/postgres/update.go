package postgres

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/sqlseal/sqlseal/internal/query"
)

// updateStmt lowers UPDATE: SET into Set, FROM into From (joins flattened,
// their conditions into Filters), WHERE into Filters.
func (l *lowerer) updateStmt(s *pg_query.UpdateStmt) *query.Update {
	upd := &query.Update{With: l.with(s.GetWithClause()), Table: tableOf(s.GetRelation())}
	upd.Alias, _ = aliasOf(s.GetRelation().GetAlias())
	upd.Set = l.assigns(s.GetTargetList())
	upd.From, upd.Filters, upd.Others = l.fromWhere(s.GetFromClause(), s.GetWhereClause())
	upd.Returning = l.items(s.GetReturningList())
	return upd
}
