package postgres

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/sqlseal/sqlseal/internal/query"
)

// tableOf names the table of a RangeVar. A catalog (database) qualifier is
// dropped: PostgreSQL only accepts the current database there.
func tableOf(rv *pg_query.RangeVar) query.Table {
	return query.Table{Schema: rv.GetSchemaname(), Name: rv.GetRelname()}
}

// aliasOf returns the alias name and column aliases of an Alias clause.
func aliasOf(a *pg_query.Alias) (string, []string) {
	if a == nil {
		return "", nil
	}
	return a.GetAliasname(), names(a.GetColnames())
}

// names returns the String values of nodes, skipping anything else.
func names(nodes []*pg_query.Node) []string {
	var out []string
	for _, n := range nodes {
		if s := n.GetString_(); s != nil {
			out = append(out, s.GetSval())
		}
	}
	return out
}
