package postgres

import (
	"testing"

	"github.com/sqlseal/sqlseal/internal/query"
)

func TestSelect(t *testing.T) {
	mdb := tref("metabase_database", "")
	const (
		recSQL   = `WITH RECURSIVE r AS (SELECT 1 UNION ALL SELECT 1 FROM r) SELECT * FROM r`
		unionSQL = `SELECT details FROM metabase_database UNION ALL SELECT details FROM other ORDER BY 1 LIMIT $1`
		fromSQL  = `SELECT * FROM generate_series(1, $1) AS g, ROWS FROM (f($2), h()) r,
			metabase_database TABLESAMPLE SYSTEM ($3) REPEATABLE ($4)`
	)
	runCases(t, []stmtCase{
		{
			name: "column alias, table alias, WHERE on the protected column",
			sql:  `SELECT m.details AS d, name FROM metabase_database AS m WHERE details = $1`,
			want: one(&query.Select{
				From:    []query.From{tref("metabase_database", "m")},
				Items:   []query.Item{{Expr: col("m", "details"), Alias: "d"}, item(col("name"))},
				Filters: exprs(op("operator =", col("details"), param(1))),
			}),
		},
		{
			name: "star, qualified star, schema-qualified column",
			sql:  `SELECT *, m.*, public.metabase_database.details FROM public.metabase_database m`,
			want: one(&query.Select{
				From: []query.From{&query.TableRef{
					Table: query.Table{Schema: "public", Name: "metabase_database"}, Alias: "m",
				}},
				Items: []query.Item{
					{Star: true},
					{Star: true, StarQualifier: "m"},
					item(col("public", "metabase_database", "details")),
				},
			}),
		},
		{
			name: "table alias with column aliases",
			sql:  `SELECT x FROM metabase_database AS m (a, x)`,
			want: one(&query.Select{
				From:  []query.From{&query.TableRef{Table: tbl("metabase_database"), Alias: "m", ColumnAliases: []string{"a", "x"}}},
				Items: items(col("x")),
			}),
		},
		{
			name: "JOIN ON goes to Filters",
			sql:  `SELECT m.details, o.x FROM metabase_database m LEFT JOIN other o ON o.id = m.id WHERE o.y = $1`,
			want: one(&query.Select{
				From:  []query.From{tref("metabase_database", "m"), tref("other", "o")},
				Items: items(col("m", "details"), col("o", "x")),
				Filters: exprs(
					op("operator =", col("o", "id"), col("m", "id")),
					op("operator =", col("o", "y"), param(1)),
				),
			}),
		},
		{
			name: "JOIN USING and NATURAL JOIN",
			sql:  `SELECT details FROM a JOIN b USING (id, details) NATURAL JOIN c`,
			want: one(&query.Select{
				From:  []query.From{tref("a", ""), tref("b", ""), tref("c", "")},
				Items: items(col("details")),
				Filters: exprs(
					op("join using", col("id"), col("details")),
					op("natural join"),
				),
			}),
		},
		{
			name: "aliased join becomes a derived table",
			sql:  `SELECT j.details FROM (metabase_database m JOIN other o ON m.id = o.id) AS j`,
			want: one(&query.Select{
				From: []query.From{&query.SubqueryRef{
					Alias: "j",
					Query: &query.Select{
						From:    []query.From{tref("metabase_database", "m"), tref("other", "o")},
						Items:   []query.Item{{Star: true}},
						Filters: exprs(op("operator =", col("m", "id"), col("o", "id"))),
					},
				}},
				Items: items(col("j", "details")),
			}),
		},
		{
			name: "CTE",
			sql:  `WITH d (v) AS (SELECT details FROM metabase_database) SELECT v FROM d`,
			want: one(&query.Select{
				With: []query.CTE{{
					Name:    "d",
					Columns: []string{"v"},
					Query:   &query.Select{From: []query.From{mdb}, Items: items(col("details"))},
				}},
				From:  []query.From{tref("d", "")},
				Items: items(col("v")),
			}),
		},
		{
			name: "recursive CTE",
			sql:  recSQL,
			want: one(&query.Select{
				With: []query.CTE{{
					Name:  "r",
					Scope: query.ScopeAll,
					Query: &query.Select{SetArms: []*query.Select{
						{Items: items(numLit(recSQL, "(SELECT ", "1"))},
						{From: []query.From{tref("r", "")}, Items: items(numLit(recSQL, "ALL SELECT ", "1"))},
					}},
				}},
				From:  []query.From{tref("r", "")},
				Items: []query.Item{{Star: true}},
			}),
		},
		{
			name: "data-modifying CTEs",
			sql: `WITH ins AS (INSERT INTO metabase_database (details) VALUES ($1) RETURNING id),
				upd AS (UPDATE metabase_database SET details = $2 WHERE id = $3 RETURNING details),
				del AS (DELETE FROM metabase_database WHERE id = $4 RETURNING *)
				SELECT id FROM ins`,
			want: one(&query.Select{
				With: []query.CTE{
					{Name: "ins", Query: &query.Insert{
						Table: tbl("metabase_database"), Columns: []string{"details"},
						Rows: [][]query.Expr{{param(1)}}, Returning: items(col("id")),
					}},
					{Name: "upd", Query: &query.Update{
						Table: tbl("metabase_database"), Set: []query.Assign{{Column: "details", Value: param(2)}},
						Filters: exprs(op("operator =", col("id"), param(3))), Returning: items(col("details")),
					}},
					{Name: "del", Query: &query.Delete{
						Table: tbl("metabase_database"), Filters: exprs(op("operator =", col("id"), param(4))),
						Returning: []query.Item{{Star: true}},
					}},
				},
				From:  []query.From{tref("ins", "")},
				Items: items(col("id")),
			}),
		},
		{
			name: "subquery in FROM and LATERAL",
			sql:  `SELECT s.d FROM (SELECT details AS d FROM metabase_database) s, LATERAL (SELECT s.d) AS l (x)`,
			want: one(&query.Select{
				From: []query.From{
					&query.SubqueryRef{Alias: "s", Query: &query.Select{
						From: []query.From{mdb}, Items: []query.Item{{Expr: col("details"), Alias: "d"}},
					}},
					&query.SubqueryRef{Alias: "l", ColumnAliases: []string{"x"}, Lateral: true, Query: &query.Select{
						Items: items(col("s", "d")),
					}},
				},
				Items: items(col("s", "d")),
			}),
		},
		{
			name: "UNION with ORDER BY and LIMIT",
			sql:  unionSQL,
			want: one(&query.Select{
				SetArms: []*query.Select{
					{From: []query.From{mdb}, Items: items(col("details"))},
					{From: []query.From{tref("other", "")}, Items: items(col("details"))},
				},
				Others: exprs(numLit(unionSQL, "ORDER BY ", "1"), param(1)),
			}),
		},
		{
			name: "nested set operations",
			sql:  `SELECT a FROM x EXCEPT (SELECT a FROM y INTERSECT SELECT a FROM z)`,
			want: one(&query.Select{SetArms: []*query.Select{
				{From: []query.From{tref("x", "")}, Items: items(col("a"))},
				{SetArms: []*query.Select{
					{From: []query.From{tref("y", "")}, Items: items(col("a"))},
					{From: []query.From{tref("z", "")}, Items: items(col("a"))},
				}},
			}}),
		},
		{
			name: "VALUES as a query",
			sql:  `VALUES ($1, DEFAULT), ($2, NULL)`,
			want: one(&query.Select{Values: [][]query.Expr{{param(1), &query.Default{}}, {param(2), &query.Null{}}}}),
		},
		{
			name: "GROUP BY, HAVING, ORDER BY, DISTINCT ON, OFFSET, WINDOW go to Others or Filters",
			sql: `SELECT DISTINCT ON (a) a, count(*) FROM t GROUP BY a, $1 HAVING count(*) > $2
				WINDOW w AS (PARTITION BY $3) ORDER BY $4 OFFSET $5`,
			want: one(&query.Select{
				From:    []query.From{tref("t", "")},
				Items:   items(col("a"), op("function count")),
				Filters: exprs(op("operator >", op("function count"), param(2))),
				Others:  exprs(col("a"), col("a"), param(1), param(3), param(4), param(5)),
			}),
		},
		{
			name: "set-returning and table functions in FROM, TABLESAMPLE",
			sql:  fromSQL,
			want: one(&query.Select{
				From: []query.From{
					&query.FuncRef{Alias: "g", Args: exprs(op("function generate_series",
						numLit(fromSQL, "series(", "1"), param(1)))},
					&query.FuncRef{Alias: "r", Args: exprs(op("function f", param(2)), op("function h"))},
					mdb,
				},
				Items:  []query.Item{{Star: true}},
				Others: exprs(param(3), param(4)),
			}),
		},
		{
			name: "TABLE command",
			sql:  `TABLE metabase_database`,
			want: one(&query.Select{From: []query.From{mdb}, Items: []query.Item{{Star: true}}}),
		},
	})
}
