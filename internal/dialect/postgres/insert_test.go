package postgres

import (
	"testing"

	. "github.com/sqlseal/sqlseal/internal/dialect/dialecttest"
	"github.com/sqlseal/sqlseal/internal/query"
)

func TestInsert(t *testing.T) {
	const opSQL = `INSERT INTO metabase_database (details, name) VALUES (upper($1), 'a' || $2)`
	const litSQL = `INSERT INTO metabase_database (name, details) VALUES ('n', '{"host":"h"}')`
	RunCases(t, Parser{}, []StmtCase{
		{
			Name: "GORM create",
			SQL:  `INSERT INTO "metabase_database" ("name","details") VALUES ($1,$2) RETURNING "id"`,
			Want: One(&query.Insert{
				Table:     Tbl("metabase_database"),
				Columns:   []string{"name", "details"},
				Rows:      [][]query.Expr{{Param(1), Param(2)}},
				Returning: Items(Col("id")),
			}),
		},
		{
			Name: "multi-row VALUES with DEFAULT and NULL",
			SQL:  `INSERT INTO metabase_database (name, details) VALUES ($1, $2), ($3, DEFAULT), (NULL, $4)`,
			Want: One(&query.Insert{
				Table:   Tbl("metabase_database"),
				Columns: []string{"name", "details"},
				Rows: [][]query.Expr{
					{Param(1), Param(2)},
					{Param(3), &query.Default{}},
					{&query.Null{}, Param(4)},
				},
			}),
		},
		{
			Name: "string literals",
			SQL:  litSQL,
			Want: One(&query.Insert{
				Table:   Tbl("metabase_database"),
				Columns: []string{"name", "details"},
				Rows: [][]query.Expr{{
					StrLit(litSQL, `'n'`, "n"),
					StrLit(litSQL, `'{"host":"h"}'`, `{"host":"h"}`),
				}},
			}),
		},
		{
			Name: "schema-qualified table with alias",
			SQL:  `INSERT INTO public.metabase_database AS m (details) VALUES ($1)`,
			Want: One(&query.Insert{
				Table:   query.Table{Schema: "public", Name: "metabase_database"},
				Alias:   "m",
				Columns: []string{"details"},
				Rows:    [][]query.Expr{{Param(1)}},
			}),
		},
		{
			Name: "unquoted mixed case is folded, quoted is kept",
			SQL:  `INSERT INTO Metabase_Database (Details, "Name") VALUES ($1, $2)`,
			Want: One(&query.Insert{
				Table:   Tbl("metabase_database"),
				Columns: []string{"details", "Name"},
				Rows:    [][]query.Expr{{Param(1), Param(2)}},
			}),
		},
		{
			Name: "casts",
			SQL:  `INSERT INTO metabase_database (details, name, x) VALUES ($2::text, CAST($1 AS varchar(10)), $3::jsonb)`,
			Want: One(&query.Insert{
				Table:   Tbl("metabase_database"),
				Columns: []string{"details", "name", "x"},
				Rows: [][]query.Expr{{
					&query.Cast{X: Param(2), Type: "text", TextLike: true},
					&query.Cast{X: Param(1), Type: "varchar", TextLike: false},
					&query.Cast{X: Param(3), Type: "jsonb", TextLike: false},
				}},
			}),
		},
		{
			Name: "function and operator are kept around the parameter",
			SQL:  opSQL,
			Want: One(&query.Insert{
				Table:   Tbl("metabase_database"),
				Columns: []string{"details", "name"},
				Rows: [][]query.Expr{{
					Op("function upper", Param(1)),
					Op("operator ||", StrLit(opSQL, "'a'", "a"), Param(2)),
				}},
			}),
		},
		{
			Name: "INSERT SELECT",
			SQL:  `INSERT INTO metabase_database (name, details) SELECT name, details FROM metabase_database WHERE id = $1`,
			Want: One(&query.Insert{
				Table:   Tbl("metabase_database"),
				Columns: []string{"name", "details"},
				Query: &query.Select{
					From:    []query.From{Tref("metabase_database", "")},
					Items:   Items(Col("name"), Col("details")),
					Filters: Exprs(Op("operator =", Col("id"), Param(1))),
				},
			}),
		},
		{
			Name: "VALUES with LIMIT is a query",
			SQL:  `INSERT INTO t (a) VALUES ($1) LIMIT $2`,
			Want: One(&query.Insert{
				Table:   Tbl("t"),
				Columns: []string{"a"},
				Query:   &query.Select{Values: [][]query.Expr{{Param(1)}}, Others: Exprs(Param(2))},
			}),
		},
		{
			Name: "DEFAULT VALUES",
			SQL:  `INSERT INTO metabase_database DEFAULT VALUES RETURNING *`,
			Want: One(&query.Insert{Table: Tbl("metabase_database"), Returning: []query.Item{{Star: true}}}),
		},
		{
			Name: "ON CONFLICT DO UPDATE with EXCLUDED and a parameter",
			SQL: `INSERT INTO metabase_database (id, details) VALUES ($1, $2)
				ON CONFLICT (id) DO UPDATE SET details = EXCLUDED.details, name = $3
				WHERE metabase_database.id > $4 RETURNING id`,
			Want: One(&query.Insert{
				Table:   Tbl("metabase_database"),
				Columns: []string{"id", "details"},
				Rows:    [][]query.Expr{{Param(1), Param(2)}},
				OnConflict: []query.Assign{
					{Column: "details", Value: &query.Excluded{Column: "details"}},
					{Column: "name", Value: Param(3)},
				},
				ConflictFilters: Exprs(Op("operator >", Col("metabase_database", "id"), Param(4))),
				Returning:       Items(Col("id")),
			}),
		},
		{
			Name: "ON CONFLICT target WHERE and multi-column assignment",
			SQL: `INSERT INTO t (id, a, b) VALUES ($1, $2, $3)
				ON CONFLICT (id) WHERE a IS NOT NULL DO UPDATE SET (a, b) = (excluded.a, $4)`,
			Want: One(&query.Insert{
				Table:   Tbl("t"),
				Columns: []string{"id", "a", "b"},
				Rows:    [][]query.Expr{{Param(1), Param(2), Param(3)}},
				OnConflict: []query.Assign{
					{Column: "a", Value: &query.Excluded{Column: "a"}},
					{Column: "b", Value: Param(4)},
				},
				ConflictFilters: Exprs(&query.NullTest{X: Col("a")}),
			}),
		},
		{
			Name: "ON CONFLICT DO NOTHING",
			SQL:  `INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING`,
			Want: One(&query.Insert{Table: Tbl("t"), Columns: []string{"a"}, Rows: [][]query.Expr{{Param(1)}}}),
		},
		{
			Name: "excluded is only special inside ON CONFLICT",
			SQL:  `INSERT INTO t (a) SELECT excluded.a FROM excluded`,
			Want: One(&query.Insert{
				Table:   Tbl("t"),
				Columns: []string{"a"},
				Query:   &query.Select{From: []query.From{Tref("excluded", "")}, Items: Items(Col("excluded", "a"))},
			}),
		},
		{
			Name: "subscripted target column makes the INSERT opaque",
			SQL:  `INSERT INTO metabase_database (details[1]) VALUES ($1)`,
			Want: One(&query.Opaque{
				Kind:   query.OpaqueOther,
				Writes: []query.Table{Tbl("metabase_database")},
			}),
		},
	})
}
