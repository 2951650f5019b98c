package postgres

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/query"
)

// firstItem parses sql and returns the expression of its first select item.
func firstItem(t *testing.T, sql string) query.Expr {
	t.Helper()
	stmts, err := Parser{}.Parse(sql)
	require.NoError(t, err)
	require.Len(t, stmts, 1)
	withoutKinds(stmts)
	sel, ok := stmts[0].(*query.Select)
	require.True(t, ok, "got %T", stmts[0])
	require.NotEmpty(t, sel.Items)
	return sel.Items[0].Expr
}

func TestExpressions(t *testing.T) {
	subSel := func() *query.Subquery {
		return &query.Subquery{Query: &query.Select{From: []query.From{tref("m", "")}, Items: items(col("details"))}}
	}
	cases := []struct {
		name string
		expr string // the first select item of SELECT <expr> FROM t
		want query.Expr
	}{
		{"parameter", `$3`, param(3)},
		{"text cast of a column", `details::text`, &query.Cast{X: col("details"), Type: "text", TextLike: true}},
		{"character varying", `$1::character varying`, &query.Cast{X: param(1), Type: "varchar", TextLike: true}},
		{"varchar(n) truncates", `$1::varchar(255)`, &query.Cast{X: param(1), Type: "varchar"}},
		{"char is char(1)", `$1::char`, &query.Cast{X: param(1), Type: "bpchar"}},
		{"bpchar", `$1::bpchar`, &query.Cast{X: param(1), Type: "bpchar", TextLike: true}},
		{"single-byte char", `$1::"char"`, &query.Cast{X: param(1), Type: "char"}},
		{"text array", `$1::text[]`, &query.Cast{X: param(1), Type: "text[]"}},
		{"pg_catalog.text", `$1::pg_catalog.text`, &query.Cast{X: param(1), Type: "text", TextLike: true}},
		{"user type named text", `$1::public.text`, &query.Cast{X: param(1), Type: "public.text"}},
		{"citext", `CAST($1 AS citext)`, &query.Cast{X: param(1), Type: "citext", TextLike: true}},
		{"schema citext", `$1::ext.citext`, &query.Cast{X: param(1), Type: "ext.citext", TextLike: true}},
		{"name truncates", `$1::name`, &query.Cast{X: param(1), Type: "name"}},
		{"jsonb", `details::jsonb`, &query.Cast{X: col("details"), Type: "jsonb"}},
		{"IS NULL", `details IS NULL`, &query.NullTest{X: col("details")}},
		{"IS NOT NULL", `t.details IS NOT NULL`, &query.NullTest{X: col("t", "details")}},
		{"function", `upper($1)`, op("function upper", param(1))},
		{"qualified function", `pg_catalog.upper(details)`, op("function upper", col("details"))},
		{"schema function", `myschema.f(details)`, op("function myschema.f", col("details"))},
		{"count star", `count(*)`, op("function count")},
		{
			"aggregate with FILTER and OVER",
			`count(DISTINCT details) FILTER (WHERE x = $1) OVER (PARTITION BY $2 ORDER BY $3)`,
			op("function count", col("details"), op("operator =", col("x"), param(1)), param(2), param(3)),
		},
		{"aggregate ORDER BY", `string_agg(details, $1 ORDER BY $2)`, op("function string_agg", col("details"), param(1), param(2))},
		{"named argument", `f(a => $1)`, op("function f", op("named argument a", param(1)))},
		{"concatenation", `details || $1`, op("operator ||", col("details"), param(1))},
		{"prefix operator", `-x`, op("operator -", col("x"))},
		{"JSON operator", `details::jsonb ->> $1`, op("operator ->>", &query.Cast{X: col("details"), Type: "jsonb"}, param(1))},
		{"OPERATOR()", `x OPERATOR(pg_catalog.=) $1`, op("operator =", col("x"), param(1))},
		{"= ANY", `details = ANY($1)`, op("operator = ANY", col("details"), param(1))},
		{"<> ALL", `details <> ALL($1)`, op("operator <> ALL", col("details"), param(1))},
		{"IN list", `x IN ($1, $2)`, op("operator IN", col("x"), param(1), param(2))},
		{"NOT IN list", `x NOT IN ($1)`, op("operator NOT IN", col("x"), param(1))},
		{"LIKE", `details LIKE $1`, op("operator LIKE", col("details"), param(1))},
		{"NOT ILIKE", `details NOT ILIKE $1`, op("operator NOT ILIKE", col("details"), param(1))},
		{"SIMILAR TO", `details SIMILAR TO $1`, op("operator SIMILAR TO", col("details"), op("function similar_to_escape", param(1)))},
		{"BETWEEN", `x BETWEEN $1 AND $2`, op("operator BETWEEN", col("x"), param(1), param(2))},
		{"NOT BETWEEN SYMMETRIC", `x NOT BETWEEN SYMMETRIC $1 AND $2`, op("operator NOT BETWEEN", col("x"), param(1), param(2))},
		{"IS DISTINCT FROM", `x IS DISTINCT FROM $1`, op("operator IS DISTINCT FROM", col("x"), param(1))},
		{"IS NOT DISTINCT FROM", `x IS NOT DISTINCT FROM $1`, op("operator IS NOT DISTINCT FROM", col("x"), param(1))},
		{"NULLIF", `NULLIF(details, $1)`, op("operator NULLIF", col("details"), param(1))},
		{"AND OR NOT", `NOT a AND (b OR $1)`, op("AND", op("NOT", col("a")), op("OR", col("b"), param(1)))},
		{"IN subquery", `x IN (SELECT details FROM m)`, op("IN subquery", col("x"), subSel())},
		{"= ANY subquery", `x = ANY (SELECT details FROM m)`, op("IN subquery", col("x"), subSel())},
		{"> ALL subquery", `x > ALL (SELECT details FROM m)`, op("operator > ALL subquery", col("x"), subSel())},
		{"< ANY subquery", `x < ANY (SELECT details FROM m)`, op("operator < ANY subquery", col("x"), subSel())},
		{"row compared with a subquery", `(a, b) = (SELECT details, details FROM m)`, op("operator =",
			&query.Row{Items: exprs(col("a"), col("b"))},
			&query.Subquery{Query: &query.Select{From: []query.From{tref("m", "")}, Items: items(col("details"), col("details"))}})},
		{"EXISTS", `EXISTS (SELECT details FROM m)`, subSel()},
		{"scalar subquery", `(SELECT details FROM m)`, subSel()},
		{"ARRAY subquery", `ARRAY(SELECT details FROM m)`, op("ARRAY subquery", subSel())},
		{"CASE", `CASE WHEN a THEN $1 ELSE $2 END`, op("CASE", col("a"), param(1), param(2))},
		{"simple CASE", `CASE x WHEN $1 THEN details END`, op("CASE", col("x"), param(1), col("details"))},
		{"COALESCE", `COALESCE(details, $1)`, op("COALESCE", col("details"), param(1))},
		{"GREATEST", `GREATEST(details, $1)`, op("GREATEST", col("details"), param(1))},
		{"LEAST", `LEAST(details, $1)`, op("LEAST", col("details"), param(1))},
		{"COLLATE is not transparent", `details COLLATE "C"`, op("COLLATE", col("details"))},
		{"subscript", `(details)[$1]`, op("subscript or field selection", col("details"), op("subscript", param(1)))},
		{"slice", `(details)[$1:$2]`, op("subscript or field selection", col("details"), op("subscript", param(1), param(2)))},
		{"field selection", `(rec).details`, op("subscript or field selection", col("rec"))},
		{"ARRAY constructor", `ARRAY[$1, details]`, op("ARRAY", param(1), col("details"))},
		{"ROW", `ROW($1, details)`, &query.Row{Items: exprs(param(1), col("details"))}},
		{"implicit row", `($1, details)`, &query.Row{Items: exprs(param(1), col("details"))}},
		{"IS TRUE", `a IS TRUE`, op("IS TRUE", col("a"))},
		{"IS NOT UNKNOWN", `a IS NOT UNKNOWN`, op("IS NOT UNKNOWN", col("a"))},
		{"SQL value function", `current_user`, op("CURRENT_USER")},
		{"whole-row reference", `row_to_json(m.*)`, op("function row_to_json", op("row reference m.*"))},
		{"bit string", `B'101'`, op("bit string constant")},
		{"unknown expression keeps its operands", `xmlelement(name foo, $1, details)`,
			op("unsupported expression XmlExpr", param(1), col("details"))},
		{"JSON constructor keeps its operands", `json_array($1, details)`,
			op("unsupported expression JsonArrayConstructor",
				op("unsupported expression JsonValueExpr", param(1)),
				op("unsupported expression JsonValueExpr", col("details")))},
		{"GROUPING", `GROUPING(a)`, op("GROUPING", col("a"))},
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
