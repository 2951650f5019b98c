package postgres

import (
	"testing"

	"github.com/stretchr/testify/require"

	. "github.com/sqlseal/sqlseal/internal/dialect/dialecttest"
	"github.com/sqlseal/sqlseal/internal/query"
)

// firstItem parses sql and returns the expression of its first select item.
func firstItem(t *testing.T, sql string) query.Expr {
	t.Helper()
	stmts, err := Parser{}.Parse(sql)
	require.NoError(t, err)
	require.Len(t, stmts, 1)
	WithoutKinds(stmts)
	sel, ok := stmts[0].(*query.Select)
	require.True(t, ok, "got %T", stmts[0])
	require.NotEmpty(t, sel.Items)
	return sel.Items[0].Expr
}

func TestExpressions(t *testing.T) {
	subSel := func() *query.Subquery {
		return &query.Subquery{Query: &query.Select{From: []query.From{Tref("m", "")}, Items: Items(Col("details"))}}
	}
	cases := []struct {
		name string
		expr string // the first select item of SELECT <expr> FROM t
		want query.Expr
	}{
		{"parameter", `$3`, Param(3)},
		{"text cast of a column", `details::text`, &query.Cast{X: Col("details"), Type: "text", TextLike: true}},
		{"character varying", `$1::character varying`, &query.Cast{X: Param(1), Type: "varchar", TextLike: true}},
		{"varchar(n) truncates", `$1::varchar(255)`, &query.Cast{X: Param(1), Type: "varchar"}},
		{"char is char(1)", `$1::char`, &query.Cast{X: Param(1), Type: "bpchar"}},
		{"bpchar", `$1::bpchar`, &query.Cast{X: Param(1), Type: "bpchar", TextLike: true}},
		{"single-byte char", `$1::"char"`, &query.Cast{X: Param(1), Type: "char"}},
		{"text array", `$1::text[]`, &query.Cast{X: Param(1), Type: "text[]"}},
		{"pg_catalog.text", `$1::pg_catalog.text`, &query.Cast{X: Param(1), Type: "text", TextLike: true}},
		{"user type named text", `$1::public.text`, &query.Cast{X: Param(1), Type: "public.text"}},
		{"citext", `CAST($1 AS citext)`, &query.Cast{X: Param(1), Type: "citext", TextLike: true}},
		{"schema citext", `$1::ext.citext`, &query.Cast{X: Param(1), Type: "ext.citext", TextLike: true}},
		{"name truncates", `$1::name`, &query.Cast{X: Param(1), Type: "name"}},
		{"jsonb", `details::jsonb`, &query.Cast{X: Col("details"), Type: "jsonb"}},
		{"IS NULL", `details IS NULL`, &query.NullTest{X: Col("details")}},
		{"IS NOT NULL", `t.details IS NOT NULL`, &query.NullTest{X: Col("t", "details")}},
		{"function", `upper($1)`, Op("function upper", Param(1))},
		{"qualified function", `pg_catalog.upper(details)`, Op("function upper", Col("details"))},
		{"schema function", `myschema.f(details)`, Op("function myschema.f", Col("details"))},
		{"count star", `count(*)`, Op("function count")},
		{
			"aggregate with FILTER and OVER",
			`count(DISTINCT details) FILTER (WHERE x = $1) OVER (PARTITION BY $2 ORDER BY $3)`,
			Op("function count", Col("details"), Op("operator =", Col("x"), Param(1)), Param(2), Param(3)),
		},
		{"aggregate ORDER BY", `string_agg(details, $1 ORDER BY $2)`, Op("function string_agg", Col("details"), Param(1), Param(2))},
		{"named argument", `f(a => $1)`, Op("function f", Op("named argument a", Param(1)))},
		{"concatenation", `details || $1`, Op("operator ||", Col("details"), Param(1))},
		{"prefix operator", `-x`, Op("operator -", Col("x"))},
		{"JSON operator", `details::jsonb ->> $1`, Op("operator ->>", &query.Cast{X: Col("details"), Type: "jsonb"}, Param(1))},
		{"OPERATOR()", `x OPERATOR(pg_catalog.=) $1`, Op("operator =", Col("x"), Param(1))},
		{"= ANY", `details = ANY($1)`, Op("operator = ANY", Col("details"), Param(1))},
		{"<> ALL", `details <> ALL($1)`, Op("operator <> ALL", Col("details"), Param(1))},
		{"IN list", `x IN ($1, $2)`, Op("operator IN", Col("x"), Param(1), Param(2))},
		{"NOT IN list", `x NOT IN ($1)`, Op("operator NOT IN", Col("x"), Param(1))},
		{"LIKE", `details LIKE $1`, Op("operator LIKE", Col("details"), Param(1))},
		{"NOT ILIKE", `details NOT ILIKE $1`, Op("operator NOT ILIKE", Col("details"), Param(1))},
		{"SIMILAR TO", `details SIMILAR TO $1`, Op("operator SIMILAR TO", Col("details"), Op("function similar_to_escape", Param(1)))},
		{"BETWEEN", `x BETWEEN $1 AND $2`, Op("operator BETWEEN", Col("x"), Param(1), Param(2))},
		{"NOT BETWEEN SYMMETRIC", `x NOT BETWEEN SYMMETRIC $1 AND $2`, Op("operator NOT BETWEEN", Col("x"), Param(1), Param(2))},
		{"IS DISTINCT FROM", `x IS DISTINCT FROM $1`, Op("operator IS DISTINCT FROM", Col("x"), Param(1))},
		{"IS NOT DISTINCT FROM", `x IS NOT DISTINCT FROM $1`, Op("operator IS NOT DISTINCT FROM", Col("x"), Param(1))},
		{"NULLIF", `NULLIF(details, $1)`, Op("operator NULLIF", Col("details"), Param(1))},
		{"AND OR NOT", `NOT a AND (b OR $1)`, Op("AND", Op("NOT", Col("a")), Op("OR", Col("b"), Param(1)))},
		{"IN subquery", `x IN (SELECT details FROM m)`, Op("IN subquery", Col("x"), subSel())},
		{"= ANY subquery", `x = ANY (SELECT details FROM m)`, Op("IN subquery", Col("x"), subSel())},
		{"> ALL subquery", `x > ALL (SELECT details FROM m)`, Op("operator > ALL subquery", Col("x"), subSel())},
		{"< ANY subquery", `x < ANY (SELECT details FROM m)`, Op("operator < ANY subquery", Col("x"), subSel())},
		{"row compared with a subquery", `(a, b) = (SELECT details, details FROM m)`, Op("operator =",
			&query.Row{Items: Exprs(Col("a"), Col("b"))},
			&query.Subquery{Query: &query.Select{From: []query.From{Tref("m", "")}, Items: Items(Col("details"), Col("details"))}})},
		{"EXISTS", `EXISTS (SELECT details FROM m)`, subSel()},
		{"scalar subquery", `(SELECT details FROM m)`, subSel()},
		{"ARRAY subquery", `ARRAY(SELECT details FROM m)`, Op("ARRAY subquery", subSel())},
		{"CASE", `CASE WHEN a THEN $1 ELSE $2 END`, Op("CASE", Col("a"), Param(1), Param(2))},
		{"simple CASE", `CASE x WHEN $1 THEN details END`, Op("CASE", Col("x"), Param(1), Col("details"))},
		{"COALESCE", `COALESCE(details, $1)`, Op("COALESCE", Col("details"), Param(1))},
		{"GREATEST", `GREATEST(details, $1)`, Op("GREATEST", Col("details"), Param(1))},
		{"LEAST", `LEAST(details, $1)`, Op("LEAST", Col("details"), Param(1))},
		{"COLLATE is not transparent", `details COLLATE "C"`, Op("COLLATE", Col("details"))},
		{"subscript", `(details)[$1]`, Op("subscript or field selection", Col("details"), Op("subscript", Param(1)))},
		{"slice", `(details)[$1:$2]`, Op("subscript or field selection", Col("details"), Op("subscript", Param(1), Param(2)))},
		{"field selection", `(rec).details`, Op("subscript or field selection", Col("rec"))},
		{"ARRAY constructor", `ARRAY[$1, details]`, Op("ARRAY", Param(1), Col("details"))},
		{"ROW", `ROW($1, details)`, &query.Row{Items: Exprs(Param(1), Col("details"))}},
		{"implicit row", `($1, details)`, &query.Row{Items: Exprs(Param(1), Col("details"))}},
		{"IS TRUE", `a IS TRUE`, Op("IS TRUE", Col("a"))},
		{"IS NOT UNKNOWN", `a IS NOT UNKNOWN`, Op("IS NOT UNKNOWN", Col("a"))},
		{"SQL value function", `current_user`, Op("CURRENT_USER")},
		{"whole-row reference", `row_to_json(m.*)`, Op("function row_to_json", Op("row reference m.*"))},
		{"bit string", `B'101'`, Op("bit string constant")},
		{"unknown expression keeps its operands", `xmlelement(name foo, $1, details)`,
			Op("unsupported expression XmlExpr", Param(1), Col("details"))},
		{"JSON constructor keeps its operands", `json_array($1, details)`,
			Op("unsupported expression JsonArrayConstructor",
				Op("unsupported expression JsonValueExpr", Param(1)),
				Op("unsupported expression JsonValueExpr", Col("details")))},
		{"GROUPING", `GROUPING(a)`, Op("GROUPING", Col("a"))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, firstItem(t, "SELECT "+tc.expr+" FROM t"))
		})
	}
}

// TestOpKinds checks the kind the front-end gives each kind of expression:
// the analysis words its refusals with it and recognises merging joins by
// it.
func TestOpKinds(t *testing.T) {
	kindOf := func(expr string) query.OpKind {
		stmts, err := Parser{}.Parse("SELECT " + expr + " FROM t")
		require.NoError(t, err)
		o, ok := stmts[0].(*query.Select).Items[0].Expr.(*query.Op)
		require.True(t, ok, expr)
		return o.Kind
	}
	for expr, want := range map[string]query.OpKind{
		`upper($1)`:               query.OpFunction,
		`count(*)`:                query.OpFunction,
		`current_user`:            query.OpFunction,
		`ARRAY[$1]`:               query.OpFunction,
		`details || $1`:           query.OpOperator,
		`x IN ($1)`:               query.OpOperator,
		`a AND b`:                 query.OpOperator,
		`details COLLATE "C"`:     query.OpOperator,
		`(details)[$1]`:           query.OpOperator,
		`CASE WHEN a THEN $1 END`: query.OpConditional,
		`COALESCE(details, $1)`:   query.OpConditional,
		`NULLIF(details, $1)`:     query.OpConditional,
		`GREATEST(details, $1)`:   query.OpConditional,
		`B'101'`:                  query.OpConstant,
		`XMLCONCAT($1, details)`:  query.OpOther,
	} {
		require.Equal(t, want, kindOf(expr), expr)
	}
	stmts, err := Parser{}.Parse(`SELECT * FROM a JOIN b USING (id) NATURAL JOIN c`)
	require.NoError(t, err)
	var kinds []query.OpKind
	for _, f := range stmts[0].(*query.Select).Filters {
		kinds = append(kinds, f.(*query.Op).Kind)
	}
	require.Equal(t, []query.OpKind{query.OpJoinUsing, query.OpNaturalJoin}, kinds)
}
