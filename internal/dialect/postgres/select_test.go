package postgres

import (
	"testing"

	. "github.com/sqlseal/sqlseal/internal/dialect/dialecttest"
	"github.com/sqlseal/sqlseal/internal/query"
)

func TestSelect(t *testing.T) {
	mdb := Tref("metabase_database", "")
	const (
		recSQL   = `WITH RECURSIVE r AS (SELECT 1 UNION ALL SELECT 1 FROM r) SELECT * FROM r`
		unionSQL = `SELECT details FROM metabase_database UNION ALL SELECT details FROM other ORDER BY 1 LIMIT $1`
		fromSQL  = `SELECT * FROM generate_series(1, $1) AS g, ROWS FROM (f($2), h()) r,
			metabase_database TABLESAMPLE SYSTEM ($3) REPEATABLE ($4)`
	)
	RunCases(t, Parser{}, []StmtCase{
		{
			Name: "column alias, table alias, WHERE on the protected column",
			SQL:  `SELECT m.details AS d, name FROM metabase_database AS m WHERE details = $1`,
			Want: One(&query.Select{
				From:    []query.From{Tref("metabase_database", "m")},
				Items:   []query.Item{{Expr: Col("m", "details"), Alias: "d"}, Item(Col("name"))},
				Filters: Exprs(Op("operator =", Col("details"), Param(1))),
			}),
		},
		{
			Name: "star, qualified star, schema-qualified column",
			SQL:  `SELECT *, m.*, public.metabase_database.details FROM public.metabase_database m`,
			Want: One(&query.Select{
				From: []query.From{&query.TableRef{
					Table: query.Table{Schema: "public", Name: "metabase_database"}, Alias: "m",
				}},
				Items: []query.Item{
					{Star: true},
					{Star: true, StarQualifier: "m"},
					Item(Col("public", "metabase_database", "details")),
				},
			}),
		},
		{
			Name: "table alias with column aliases",
			SQL:  `SELECT x FROM metabase_database AS m (a, x)`,
			Want: One(&query.Select{
				From:  []query.From{&query.TableRef{Table: Tbl("metabase_database"), Alias: "m", ColumnAliases: []string{"a", "x"}}},
				Items: Items(Col("x")),
			}),
		},
		{
			Name: "JOIN ON goes to Filters",
			SQL:  `SELECT m.details, o.x FROM metabase_database m LEFT JOIN other o ON o.id = m.id WHERE o.y = $1`,
			Want: One(&query.Select{
				From:  []query.From{Tref("metabase_database", "m"), Tref("other", "o")},
				Items: Items(Col("m", "details"), Col("o", "x")),
				Filters: Exprs(
					Op("operator =", Col("o", "id"), Col("m", "id")),
					Op("operator =", Col("o", "y"), Param(1)),
				),
			}),
		},
		{
			Name: "JOIN USING and NATURAL JOIN",
			SQL:  `SELECT details FROM a JOIN b USING (id, details) NATURAL JOIN c`,
			Want: One(&query.Select{
				From:  []query.From{Tref("a", ""), Tref("b", ""), Tref("c", "")},
				Items: Items(Col("details")),
				Filters: Exprs(
					Op("join using", Col("id"), Col("details")),
					Op("natural join"),
				),
			}),
		},
		{
			Name: "aliased join becomes a derived table",
			SQL:  `SELECT j.details FROM (metabase_database m JOIN other o ON m.id = o.id) AS j`,
			Want: One(&query.Select{
				From: []query.From{&query.SubqueryRef{
					Alias: "j",
					Query: &query.Select{
						From:    []query.From{Tref("metabase_database", "m"), Tref("other", "o")},
						Items:   []query.Item{{Star: true}},
						Filters: Exprs(Op("operator =", Col("m", "id"), Col("o", "id"))),
					},
				}},
				Items: Items(Col("j", "details")),
			}),
		},
		{
			Name: "CTE",
			SQL:  `WITH d (v) AS (SELECT details FROM metabase_database) SELECT v FROM d`,
			Want: One(&query.Select{
				With: []query.CTE{{
					Name:    "d",
					Columns: []string{"v"},
					Query:   &query.Select{From: []query.From{mdb}, Items: Items(Col("details"))},
				}},
				From:  []query.From{Tref("d", "")},
				Items: Items(Col("v")),
			}),
		},
		{
			Name: "recursive CTE",
			SQL:  recSQL,
			Want: One(&query.Select{
				With: []query.CTE{{
					Name:  "r",
					Scope: query.ScopeAll,
					Query: &query.Select{SetArms: []*query.Select{
						{Items: Items(NumLit(recSQL, "(SELECT ", "1"))},
						{From: []query.From{Tref("r", "")}, Items: Items(NumLit(recSQL, "ALL SELECT ", "1"))},
					}},
				}},
				From:  []query.From{Tref("r", "")},
				Items: []query.Item{{Star: true}},
			}),
		},
		{
			Name: "data-modifying CTEs",
			SQL: `WITH ins AS (INSERT INTO metabase_database (details) VALUES ($1) RETURNING id),
				upd AS (UPDATE metabase_database SET details = $2 WHERE id = $3 RETURNING details),
				del AS (DELETE FROM metabase_database WHERE id = $4 RETURNING *)
				SELECT id FROM ins`,
			Want: One(&query.Select{
				With: []query.CTE{
					{Name: "ins", Query: &query.Insert{
						Table: Tbl("metabase_database"), Columns: []string{"details"},
						Rows: [][]query.Expr{{Param(1)}}, Returning: Items(Col("id")),
					}},
					{Name: "upd", Query: &query.Update{
						Table: Tbl("metabase_database"), Set: []query.Assign{{Column: "details", Value: Param(2)}},
						Filters: Exprs(Op("operator =", Col("id"), Param(3))), Returning: Items(Col("details")),
					}},
					{Name: "del", Query: &query.Delete{
						Table: Tbl("metabase_database"), Filters: Exprs(Op("operator =", Col("id"), Param(4))),
						Returning: []query.Item{{Star: true}},
					}},
				},
				From:  []query.From{Tref("ins", "")},
				Items: Items(Col("id")),
			}),
		},
		{
			Name: "subquery in FROM and LATERAL",
			SQL:  `SELECT s.d FROM (SELECT details AS d FROM metabase_database) s, LATERAL (SELECT s.d) AS l (x)`,
			Want: One(&query.Select{
				From: []query.From{
					&query.SubqueryRef{Alias: "s", Query: &query.Select{
						From: []query.From{mdb}, Items: []query.Item{{Expr: Col("details"), Alias: "d"}},
					}},
					&query.SubqueryRef{Alias: "l", ColumnAliases: []string{"x"}, Lateral: true, Query: &query.Select{
						Items: Items(Col("s", "d")),
					}},
				},
				Items: Items(Col("s", "d")),
			}),
		},
		{
			Name: "UNION with ORDER BY and LIMIT",
			SQL:  unionSQL,
			Want: One(&query.Select{
				SetArms: []*query.Select{
					{From: []query.From{mdb}, Items: Items(Col("details"))},
					{From: []query.From{Tref("other", "")}, Items: Items(Col("details"))},
				},
				Others: Exprs(NumLit(unionSQL, "ORDER BY ", "1"), Param(1)),
			}),
		},
		{
			Name: "nested set operations",
			SQL:  `SELECT a FROM x EXCEPT (SELECT a FROM y INTERSECT SELECT a FROM z)`,
			Want: One(&query.Select{SetArms: []*query.Select{
				{From: []query.From{Tref("x", "")}, Items: Items(Col("a"))},
				{SetArms: []*query.Select{
					{From: []query.From{Tref("y", "")}, Items: Items(Col("a"))},
					{From: []query.From{Tref("z", "")}, Items: Items(Col("a"))},
				}},
			}}),
		},
		{
			Name: "VALUES as a query",
			SQL:  `VALUES ($1, DEFAULT), ($2, NULL)`,
			Want: One(&query.Select{Values: [][]query.Expr{{Param(1), &query.Default{}}, {Param(2), &query.Null{}}}}),
		},
		{
			Name: "GROUP BY, HAVING, ORDER BY, DISTINCT ON, OFFSET, WINDOW go to Others or Filters",
			SQL: `SELECT DISTINCT ON (a) a, count(*) FROM t GROUP BY a, $1 HAVING count(*) > $2
				WINDOW w AS (PARTITION BY $3) ORDER BY $4 OFFSET $5`,
			Want: One(&query.Select{
				From:    []query.From{Tref("t", "")},
				Items:   Items(Col("a"), Op("function count")),
				Filters: Exprs(Op("operator >", Op("function count"), Param(2))),
				Others:  Exprs(Col("a"), Col("a"), Param(1), Param(3), Param(4), Param(5)),
			}),
		},
		{
			Name: "set-returning and table functions in FROM, TABLESAMPLE",
			SQL:  fromSQL,
			Want: One(&query.Select{
				From: []query.From{
					&query.FuncRef{Alias: "g", Args: Exprs(Op("function generate_series",
						NumLit(fromSQL, "series(", "1"), Param(1)))},
					&query.FuncRef{Alias: "r", Args: Exprs(Op("function f", Param(2)), Op("function h"))},
					mdb,
				},
				Items:  []query.Item{{Star: true}},
				Others: Exprs(Param(3), Param(4)),
			}),
		},
		{
			Name: "TABLE command",
			SQL:  `TABLE metabase_database`,
			Want: One(&query.Select{From: []query.From{mdb}, Items: []query.Item{{Star: true}}}),
		},
	})
}
