package postgres

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/sqlseal/sqlseal/internal/query"
)

// fromScope collects what a FROM list lowers to: its flattened entries,
// the join conditions (filters) and other expressions (TABLESAMPLE
// arguments).
type fromScope struct {
	from    []query.From
	filters []query.Expr
	others  []query.Expr
}

// fromWhere lowers the FROM (or USING) list of an UPDATE or DELETE and its
// WHERE clause: the entries, the join conditions followed by WHERE, and the
// other expressions.
func (l *lowerer) fromWhere(from []*pg_query.Node, where *pg_query.Node) ([]query.From, []query.Expr, []query.Expr) {
	var sc fromScope
	l.fromItems(from, &sc)
	return sc.from, l.appendExpr(sc.filters, where), sc.others
}

// fromItems lowers the entries of a FROM (or USING) list into sc.
func (l *lowerer) fromItems(nodes []*pg_query.Node, sc *fromScope) {
	for _, n := range nodes {
		l.fromItem(n, sc)
	}
}

// fromItem lowers one FROM entry into sc. A FROM item the model cannot
// express makes the statement opaque.
func (l *lowerer) fromItem(n *pg_query.Node, sc *fromScope) {
	switch v := n.GetNode().(type) {
	case *pg_query.Node_RangeVar:
		alias, cols := aliasOf(v.RangeVar.GetAlias())
		sc.from = append(sc.from, &query.TableRef{Table: tableOf(v.RangeVar), Alias: alias, ColumnAliases: cols})
	case *pg_query.Node_JoinExpr:
		l.join(v.JoinExpr, sc)
	case *pg_query.Node_RangeSubselect:
		r := v.RangeSubselect
		alias, cols := aliasOf(r.GetAlias())
		sc.from = append(sc.from, &query.SubqueryRef{
			Query: l.subselect(r.GetSubquery()), Alias: alias, ColumnAliases: cols, Lateral: r.GetLateral(),
		})
	case *pg_query.Node_RangeFunction:
		r := v.RangeFunction
		alias, _ := aliasOf(r.GetAlias())
		var args []query.Expr
		for _, f := range r.GetFunctions() {
			// Each entry is a list: the call, then its column definitions.
			if items := f.GetList().GetItems(); len(items) > 0 {
				args = l.appendExpr(args, items[0])
			}
		}
		sc.from = append(sc.from, &query.FuncRef{Alias: alias, Args: args})
	case *pg_query.Node_RangeTableFunc:
		alias, _ := aliasOf(v.RangeTableFunc.GetAlias())
		sc.from = append(sc.from, &query.FuncRef{Alias: alias, Args: l.children(v.RangeTableFunc.ProtoReflect())})
	case *pg_query.Node_JsonTable:
		alias, _ := aliasOf(v.JsonTable.GetAlias())
		sc.from = append(sc.from, &query.FuncRef{Alias: alias, Args: l.children(v.JsonTable.ProtoReflect())})
	case *pg_query.Node_RangeTableSample:
		r := v.RangeTableSample
		l.fromItem(r.GetRelation(), sc)
		sc.others = append(sc.others, l.exprs(r.GetArgs())...)
		sc.others = l.appendExpr(sc.others, r.GetRepeatable())
	default:
		l.unsupported("FROM item " + nodeTypeName(n))
	}
}

// join flattens a join into sc: both sides become entries, ON into a
// filter, USING (a, b) into the filter Op "join using" over the unqualified
// columns, NATURAL into the filter Op "natural join". A join with an alias,
// (a JOIN b ON ...) AS j, becomes a derived table j selecting * from the
// flattened join.
func (l *lowerer) join(j *pg_query.JoinExpr, sc *fromScope) {
	if j.GetAlias() != nil {
		var inner fromScope
		l.join(&pg_query.JoinExpr{
			Jointype: j.GetJointype(), IsNatural: j.GetIsNatural(), Larg: j.GetLarg(), Rarg: j.GetRarg(),
			UsingClause: j.GetUsingClause(), Quals: j.GetQuals(),
		}, &inner)
		alias, cols := aliasOf(j.GetAlias())
		sub := &query.Select{From: inner.from, Items: []query.Item{{Star: true}}, Filters: inner.filters, Others: inner.others}
		sc.from = append(sc.from, &query.SubqueryRef{Query: sub, Alias: alias, ColumnAliases: cols})
		return
	}
	l.fromItem(j.GetLarg(), sc)
	l.fromItem(j.GetRarg(), sc)
	if using := names(j.GetUsingClause()); len(using) > 0 {
		o := &query.Op{Kind: query.OpJoinUsing, Name: "join using"}
		for _, c := range using {
			o.Args = append(o.Args, &query.ColRef{Name: c})
		}
		sc.filters = append(sc.filters, o)
	}
	if j.GetIsNatural() {
		sc.filters = append(sc.filters, &query.Op{Kind: query.OpNaturalJoin, Name: "natural join"})
	}
	sc.filters = l.appendExpr(sc.filters, j.GetQuals())
}
