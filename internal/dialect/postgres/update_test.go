package postgres

import (
	"testing"

	"github.com/sqlseal/sqlseal/internal/query"
)

func TestUpdateDelete(t *testing.T) {
	const subscriptSQL = `UPDATE t SET details[1] = $1, rec.f = $2`
	runCases(t, []stmtCase{
		{
			name: "SET and WHERE",
			sql:  `UPDATE metabase_database SET details = $1 WHERE id = $2`,
			want: one(&query.Update{
				Table:   tbl("metabase_database"),
				Set:     []query.Assign{{Column: "details", Value: param(1)}},
				Filters: exprs(op("operator =", col("id"), param(2))),
			}),
		},
		{
			name: "multi-column SET from a row",
			sql:  `UPDATE metabase_database SET (name, details) = ($1, $2) WHERE id = $3`,
			want: one(&query.Update{
				Table: tbl("metabase_database"),
				Set: []query.Assign{
					{Column: "name", Value: param(1)},
					{Column: "details", Value: param(2)},
				},
				Filters: exprs(op("operator =", col("id"), param(3))),
			}),
		},
		{
			name: "multi-column SET from ROW() with DEFAULT",
			sql:  `UPDATE t SET (a, b) = ROW(DEFAULT, $1)`,
			want: one(&query.Update{
				Table: tbl("t"),
				Set: []query.Assign{
					{Column: "a", Value: &query.Default{}},
					{Column: "b", Value: param(1)},
				},
			}),
		},
		{
			name: "multi-column SET from a subquery",
			sql:  `UPDATE metabase_database SET (name, details) = (SELECT name, details FROM other WHERE id = $1)`,
			want: func() []query.Statement {
				sub := func() query.Expr {
					return op("multi-column subquery assignment", &query.Subquery{Query: &query.Select{
						From:    []query.From{tref("other", "")},
						Items:   items(col("name"), col("details")),
						Filters: exprs(op("operator =", col("id"), param(1))),
					}})
				}
				return one(&query.Update{
					Table: tbl("metabase_database"),
					Set:   []query.Assign{{Column: "name", Value: sub()}, {Column: "details", Value: sub()}},
				})
			}(),
		},
		{
			name: "operator on the column",
			sql:  `UPDATE metabase_database SET details = details || $1`,
			want: one(&query.Update{
				Table: tbl("metabase_database"),
				Set:   []query.Assign{{Column: "details", Value: op("operator ||", col("details"), param(1))}},
			}),
		},
		{
			name: "subscript assignment is an Op",
			sql:  subscriptSQL,
			want: one(&query.Update{
				Table: tbl("t"),
				Set: []query.Assign{
					{Column: "details", Value: op("assignment to a subscript or field", param(1),
						op("subscript", numLit(subscriptSQL, "details[", "1")))},
					{Column: "rec", Value: op("assignment to a subscript or field", param(2))},
				},
			}),
		},
		{
			name: "FROM with join, alias and RETURNING",
			sql: `UPDATE metabase_database AS m SET details = o.details FROM other o JOIN third t ON t.id = o.id
				WHERE m.id = o.id RETURNING m.details, o.*`,
			want: one(&query.Update{
				Table: tbl("metabase_database"),
				Alias: "m",
				Set:   []query.Assign{{Column: "details", Value: col("o", "details")}},
				From:  []query.From{tref("other", "o"), tref("third", "t")},
				Filters: exprs(
					op("operator =", col("t", "id"), col("o", "id")),
					op("operator =", col("m", "id"), col("o", "id")),
				),
				Returning: []query.Item{item(col("m", "details")), {Star: true, StarQualifier: "o"}},
			}),
		},
		{
			name: "DELETE USING WHERE RETURNING",
			sql:  `DELETE FROM public.metabase_database m USING other o WHERE m.id = o.id AND o.x = $1 RETURNING m.details AS d`,
			want: one(&query.Delete{
				Table: query.Table{Schema: "public", Name: "metabase_database"},
				Alias: "m",
				Using: []query.From{tref("other", "o")},
				Filters: exprs(op("AND",
					op("operator =", col("m", "id"), col("o", "id")),
					op("operator =", col("o", "x"), param(1)),
				)),
				Returning: []query.Item{{Expr: col("m", "details"), Alias: "d"}},
			}),
		},
		{
			name: "DELETE WHERE comparison on the protected column",
			sql:  `DELETE FROM metabase_database WHERE details = $1`,
			want: one(&query.Delete{
				Table:   tbl("metabase_database"),
				Filters: exprs(op("operator =", col("details"), param(1))),
			}),
		},
	})
}
