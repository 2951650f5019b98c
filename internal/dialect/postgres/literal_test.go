package postgres

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	. "github.com/sqlseal/sqlseal/internal/dialect/dialecttest"
	"github.com/sqlseal/sqlseal/internal/query"
)

func TestLiteralSpans(t *testing.T) {
	cases := []struct {
		name   string
		token  string // the literal as written
		value  string // its decoded value
		str    bool
		prefix string // text before the token in the VALUES row
	}{
		{"plain", `'x'`, "x", true, ""},
		{"doubled quote", `'it''s'`, "it's", true, ""},
		{"empty", `''`, "", true, ""},
		{"escape string", `E'it''s\n'`, "it's\n", true, ""},
		{"lower-case escape string", `e'\x41\\'`, `A\`, true, ""},
		{"dollar-quoted", `$$a$b$$`, "a$b", true, ""},
		{"tagged dollar-quoted", `$tag$it's $$ a 'quote'$tag$`, "it's $$ a 'quote'", true, ""},
		{"unicode escapes", `U&'d\0061ta'`, "data", true, ""},
		{"unicode escapes with UESCAPE", `U&'d!0061ta' UESCAPE '!'`, "data", true, ""},
		{"concatenated across a newline", "'a'\n  'b'", "ab", true, ""},
		{"multibyte before and inside", `'ünï'`, "ünï", true, "'é', "},
		{"JSON with quotes", `'{"password":"p''w"}'`, `{"password":"p'w"}`, true, ""},
		{"integer", `42`, "42", false, ""},
		{"negative integer", `-42`, "-42", false, ""},
		{"float", `1.5e3`, "1.5e3", false, ""},
		{"negative numeric", `- 2.5`, "-2.5", false, ""},
		{"boolean", `true`, "true", false, ""},
		{"boolean false", `FALSE`, "false", false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sql := "INSERT INTO t (a) VALUES (" + tc.prefix + tc.token + ")"
			stmts, err := Parser{}.Parse(sql)
			require.NoError(t, err)
			row := stmts[0].(*query.Insert).Rows[0]
			lit, ok := row[len(row)-1].(*query.Literal)
			require.True(t, ok, "got %T", row[len(row)-1])
			assert.Equal(t, tc.token, sql[lit.Start:lit.End])
			assert.Equal(t, tc.value, lit.Value)
			assert.Equal(t, tc.str, lit.String)
		})
	}
}

func TestLiteralForms(t *testing.T) {
	const (
		castSQL  = `INSERT INTO t (a, b, c) VALUES (text 'x', 'y'::varchar, N'z')`
		multiSQL = "SELECT 1;\nINSERT INTO t (a) VALUES ('second')"
	)
	RunCases(t, Parser{}, []StmtCase{
		{
			Name: "typed literals and national strings",
			SQL:  castSQL,
			Want: One(&query.Insert{
				Table:   Tbl("t"),
				Columns: []string{"a", "b", "c"},
				Rows: [][]query.Expr{{
					&query.Cast{X: StrLit(castSQL, "'x'", "x"), Type: "text", TextLike: true},
					&query.Cast{X: StrLit(castSQL, "'y'", "y"), Type: "varchar", TextLike: true},
					&query.Cast{X: StrLit(castSQL, "'z'", "z"), Type: "bpchar", TextLike: true},
				}},
			}),
		},
		{
			Name: "offsets are absolute in multi-statement text",
			SQL:  multiSQL,
			Want: []query.Statement{
				&query.Select{Items: Items(NumLit(multiSQL, "SELECT ", "1"))},
				&query.Insert{Table: Tbl("t"), Columns: []string{"a"}, Rows: [][]query.Expr{{StrLit(multiSQL, "'second'", "second")}}},
			},
		},
		{
			Name: "NULL and bit strings",
			SQL:  `INSERT INTO t (a, b, c) VALUES (NULL, B'1', X'1F')`,
			Want: One(&query.Insert{
				Table:   Tbl("t"),
				Columns: []string{"a", "b", "c"},
				Rows:    [][]query.Expr{{&query.Null{}, Op("bit string constant"), Op("bit string constant")}},
			}),
		},
		{
			Name: "constants without a token of their own",
			SQL:  `SELECT extract(year FROM d) FROM t FETCH FIRST ROW ONLY`,
			Want: One(&query.Select{
				From:   []query.From{Tref("t", "")},
				Items:  Items(Op("function extract", Op(implicitConstant), Col("d"))),
				Others: Exprs(Op(implicitConstant)),
			}),
		},
	})
}

// TestLiteralSpansCoverText checks, for text with many literal forms, that
// every string literal's span is a whole quoted token.
func TestLiteralSpansCoverText(t *testing.T) {
	sql := "SELECT 'a', E'b\\'c', $q$d$q$, U&'e', 'f'\n'g' FROM t WHERE x = 'h' AND y IN ('i', $$j$$)"
	stmts, err := Parser{}.Parse(sql)
	require.NoError(t, err)
	var got []string
	forEachLiteral(stmts, func(l *query.Literal) {
		if l.String {
			got = append(got, sql[l.Start:l.End])
		}
	})
	assert.Equal(t, []string{`'a'`, `E'b\'c'`, `$q$d$q$`, `U&'e'`, "'f'\n'g'", `'h'`, `'i'`, `$$j$$`}, got)
	for _, tok := range got {
		assert.Contains(t, "'$", string(tok[len(tok)-1]), "token %q ends inside the literal", tok)
		assert.False(t, strings.HasPrefix(tok, " "))
	}
}
