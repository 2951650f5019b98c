package postgres

import (
	"testing"

	"github.com/sqlseal/sqlseal/internal/query"
)

func TestInsert(t *testing.T) {
	const opSQL = `INSERT INTO metabase_database (details, name) VALUES (upper($1), 'a' || $2)`
	const litSQL = `INSERT INTO metabase_database (name, details) VALUES ('n', '{"host":"h"}')`
	runCases(t, []stmtCase{
		{
			name: "GORM create",
			sql:  `INSERT INTO "metabase_database" ("name","details") VALUES ($1,$2) RETURNING "id"`,
			want: one(&query.Insert{
				Table:     tbl("metabase_database"),
				Columns:   []string{"name", "details"},
				Rows:      [][]query.Expr{{param(1), param(2)}},
				Returning: items(col("id")),
			}),
		},
		{
			name: "multi-row VALUES with DEFAULT and NULL",
			sql:  `INSERT INTO metabase_database (name, details) VALUES ($1, $2), ($3, DEFAULT), (NULL, $4)`,
			want: one(&query.Insert{
				Table:   tbl("metabase_database"),
				Columns: []string{"name", "details"},
				Rows: [][]query.Expr{
					{param(1), param(2)},
					{param(3), &query.Default{}},
					{&query.Null{}, param(4)},
				},
			}),
		},
		{
			name: "string literals",
			sql:  litSQL,
			want: one(&query.Insert{
				Table:   tbl("metabase_database"),
				Columns: []string{"name", "details"},
				Rows: [][]query.Expr{{
					strLit(litSQL, `'n'`, "n"),
					strLit(litSQL, `'{"host":"h"}'`, `{"host":"h"}`),
				}},
			}),
		},
		{
			name: "schema-qualified table with alias",
			sql:  `INSERT INTO public.metabase_database AS m (details) VALUES ($1)`,
			want: one(&query.Insert{
				Table:   query.Table{Schema: "public", Name: "metabase_database"},
				Alias:   "m",
				Columns: []string{"details"},
				Rows:    [][]query.Expr{{param(1)}},
			}),
		},
		{
			name: "unquoted mixed case is folded, quoted is kept",
			sql:  `INSERT INTO Metabase_Database (Details, "Name") VALUES ($1, $2)`,
			want: one(&query.Insert{
				Table:   tbl("metabase_database"),
				Columns: []string{"details", "Name"},
				Rows:    [][]query.Expr{{param(1), param(2)}},
			}),
		},
		{
			name: "casts",
			sql:  `INSERT INTO metabase_database (details, name, x) VALUES ($2::text, CAST($1 AS varchar(10)), $3::jsonb)`,
			want: one(&query.Insert{
				Table:   tbl("metabase_database"),
				Columns: []string{"details", "name", "x"},
				Rows: [][]query.Expr{{
					&query.Cast{X: param(2), Type: "text", TextLike: true},
					&query.Cast{X: param(1), Type: "varchar", TextLike: false},
					&query.Cast{X: param(3), Type: "jsonb", TextLike: false},
				}},
			}),
		},
		{
			name: "function and operator are kept around the parameter",
			sql:  opSQL,
			want: one(&query.Insert{
				Table:   tbl("metabase_database"),
				Columns: []string{"details", "name"},
				Rows: [][]query.Expr{{
					op("function upper", param(1)),
					op("operator ||", strLit(opSQL, "'a'", "a"), param(2)),
				}},
			}),
		},
		{
			name: "INSERT SELECT",
			sql:  `INSERT INTO metabase_database (name, details) SELECT name, details FROM metabase_database WHERE id = $1`,
			want: one(&query.Insert{
				Table:   tbl("metabase_database"),
				Columns: []string{"name", "details"},
				Query: &query.Select{
					From:    []query.From{tref("metabase_database", "")},
					Items:   items(col("name"), col("details")),
					Filters: exprs(op("operator =", col("id"), param(1))),
				},
			}),
		},
		{
			name: "VALUES with LIMIT is a query",
			sql:  `INSERT INTO t (a) VALUES ($1) LIMIT $2`,
			want: one(&query.Insert{
				Table:   tbl("t"),
				Columns: []string{"a"},
				Query:   &query.Select{Values: [][]query.Expr{{param(1)}}, Others: exprs(param(2))},
			}),
		},
		{
			name: "DEFAULT VALUES",
			sql:  `INSERT INTO metabase_database DEFAULT VALUES RETURNING *`,
			want: one(&query.Insert{Table: tbl("metabase_database"), Returning: []query.Item{{Star: true}}}),
		},
		{
			name: "ON CONFLICT DO UPDATE with EXCLUDED and a parameter",
			sql: `INSERT INTO metabase_database (id, details) VALUES ($1, $2)
				ON CONFLICT (id) DO UPDATE SET details = EXCLUDED.details, name = $3
				WHERE metabase_database.id > $4 RETURNING id`,
			want: one(&query.Insert{
				Table:   tbl("metabase_database"),
				Columns: []string{"id", "details"},
				Rows:    [][]query.Expr{{param(1), param(2)}},
				OnConflict: []query.Assign{
					{Column: "details", Value: &query.Excluded{Column: "details"}},
					{Column: "name", Value: param(3)},
				},
				ConflictFilters: exprs(op("operator >", col("metabase_database", "id"), param(4))),
				Returning:       items(col("id")),
			}),
		},
		{
			name: "ON CONFLICT target WHERE and multi-column assignment",
			sql: `INSERT INTO t (id, a, b) VALUES ($1, $2, $3)
				ON CONFLICT (id) WHERE a IS NOT NULL DO UPDATE SET (a, b) = (excluded.a, $4)`,
			want: one(&query.Insert{
				Table:   tbl("t"),
				Columns: []string{"id", "a", "b"},
				Rows:    [][]query.Expr{{param(1), param(2), param(3)}},
				OnConflict: []query.Assign{
					{Column: "a", Value: &query.Excluded{Column: "a"}},
					{Column: "b", Value: param(4)},
				},
				ConflictFilters: exprs(&query.NullTest{X: col("a")}),
			}),
		},
		{
			name: "ON CONFLICT DO NOTHING",
			sql:  `INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING`,
			want: one(&query.Insert{Table: tbl("t"), Columns: []string{"a"}, Rows: [][]query.Expr{{param(1)}}}),
		},
		{
			name: "excluded is only special inside ON CONFLICT",
			sql:  `INSERT INTO t (a) SELECT excluded.a FROM excluded`,
			want: one(&query.Insert{
				Table:   tbl("t"),
				Columns: []string{"a"},
				Query:   &query.Select{From: []query.From{tref("excluded", "")}, Items: items(col("excluded", "a"))},
			}),
		},
		{
			name: "subscripted target column makes the INSERT opaque",
			sql:  `INSERT INTO metabase_database (details[1]) VALUES ($1)`,
			want: one(&query.Opaque{
				Kind:   query.OpaqueOther,
				Writes: []query.Table{tbl("metabase_database")},
			}),
		},
	})
}
