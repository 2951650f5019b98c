package postgres

import (
	"testing"

	. "github.com/sqlseal/sqlseal/internal/dialect/dialecttest"
	"github.com/sqlseal/sqlseal/internal/query"
)

func TestUpdateDelete(t *testing.T) {
	const subscriptSQL = `UPDATE t SET details[1] = $1, rec.f = $2`
	RunCases(t, Parser{}, []StmtCase{
		{
			Name: "SET and WHERE",
			SQL:  `UPDATE metabase_database SET details = $1 WHERE id = $2`,
			Want: One(&query.Update{
				Table:   Tbl("metabase_database"),
				Set:     []query.Assign{{Column: "details", Value: Param(1)}},
				Filters: Exprs(Op("operator =", Col("id"), Param(2))),
			}),
		},
		{
			Name: "multi-column SET from a row",
			SQL:  `UPDATE metabase_database SET (name, details) = ($1, $2) WHERE id = $3`,
			Want: One(&query.Update{
				Table: Tbl("metabase_database"),
				Set: []query.Assign{
					{Column: "name", Value: Param(1)},
					{Column: "details", Value: Param(2)},
				},
				Filters: Exprs(Op("operator =", Col("id"), Param(3))),
			}),
		},
		{
			Name: "multi-column SET from ROW() with DEFAULT",
			SQL:  `UPDATE t SET (a, b) = ROW(DEFAULT, $1)`,
			Want: One(&query.Update{
				Table: Tbl("t"),
				Set: []query.Assign{
					{Column: "a", Value: &query.Default{}},
					{Column: "b", Value: Param(1)},
				},
			}),
		},
		{
			Name: "multi-column SET from a subquery",
			SQL:  `UPDATE metabase_database SET (name, details) = (SELECT name, details FROM other WHERE id = $1)`,
			Want: func() []query.Statement {
				sub := func() query.Expr {
					return Op("multi-column subquery assignment", &query.Subquery{Query: &query.Select{
						From:    []query.From{Tref("other", "")},
						Items:   Items(Col("name"), Col("details")),
						Filters: Exprs(Op("operator =", Col("id"), Param(1))),
					}})
				}
				return One(&query.Update{
					Table: Tbl("metabase_database"),
					Set:   []query.Assign{{Column: "name", Value: sub()}, {Column: "details", Value: sub()}},
				})
			}(),
		},
		{
			Name: "operator on the column",
			SQL:  `UPDATE metabase_database SET details = details || $1`,
			Want: One(&query.Update{
				Table: Tbl("metabase_database"),
				Set:   []query.Assign{{Column: "details", Value: Op("operator ||", Col("details"), Param(1))}},
			}),
		},
		{
			Name: "subscript assignment is an Op",
			SQL:  subscriptSQL,
			Want: One(&query.Update{
				Table: Tbl("t"),
				Set: []query.Assign{
					{Column: "details", Value: Op("assignment to a subscript or field", Param(1),
						Op("subscript", NumLit(subscriptSQL, "details[", "1")))},
					{Column: "rec", Value: Op("assignment to a subscript or field", Param(2))},
				},
			}),
		},
		{
			Name: "FROM with join, alias and RETURNING",
			SQL: `UPDATE metabase_database AS m SET details = o.details FROM other o JOIN third t ON t.id = o.id
				WHERE m.id = o.id RETURNING m.details, o.*`,
			Want: One(&query.Update{
				Table: Tbl("metabase_database"),
				Alias: "m",
				Set:   []query.Assign{{Column: "details", Value: Col("o", "details")}},
				From:  []query.From{Tref("other", "o"), Tref("third", "t")},
				Filters: Exprs(
					Op("operator =", Col("t", "id"), Col("o", "id")),
					Op("operator =", Col("m", "id"), Col("o", "id")),
				),
				Returning: []query.Item{Item(Col("m", "details")), {Star: true, StarQualifier: "o"}},
			}),
		},
		{
			Name: "DELETE USING WHERE RETURNING",
			SQL:  `DELETE FROM public.metabase_database m USING other o WHERE m.id = o.id AND o.x = $1 RETURNING m.details AS d`,
			Want: One(&query.Delete{
				Table: query.Table{Schema: "public", Name: "metabase_database"},
				Alias: "m",
				Using: []query.From{Tref("other", "o")},
				Filters: Exprs(Op("AND",
					Op("operator =", Col("m", "id"), Col("o", "id")),
					Op("operator =", Col("o", "x"), Param(1)),
				)),
				Returning: []query.Item{{Expr: Col("m", "details"), Alias: "d"}},
			}),
		},
		{
			Name: "DELETE WHERE comparison on the protected column",
			SQL:  `DELETE FROM metabase_database WHERE details = $1`,
			Want: One(&query.Delete{
				Table:   Tbl("metabase_database"),
				Filters: Exprs(Op("operator =", Col("details"), Param(1))),
			}),
		},
	})
}
