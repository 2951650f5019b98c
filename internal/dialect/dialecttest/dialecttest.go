// Package dialecttest holds what the SQL front-ends' tests share: builders
// for the statements a text must lower to, a runner for tables of such
// cases, and the checks their fuzz targets make on every parse.
//
// The front-ends' tests dot-import it, so that an expected statement reads
// like the model it is written in: One(&query.Insert{Table: Tbl("t"), ...}).
package dialecttest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/query"
)

// StmtCase is one SQL text and the statements it must lower to.
type StmtCase struct {
	Name string
	SQL  string
	Want []query.Statement
}

// RunCases parses every case with p and compares the lowered statements,
// with the Kind of every Op and every position cleared (see WithoutKinds).
func RunCases(t *testing.T, p query.Parser, cases []StmtCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			got, err := p.Parse(tc.SQL)
			require.NoError(t, err)
			require.Equal(t, tc.Want, WithoutKinds(got))
		})
	}
}

// WithoutKinds clears the Kind of every Op in stmts, and the positions
// the front-end recorded (query.ClearPositions), so that cases can be
// written with Op(name, ...); the PostgreSQL front-end's TestOpKinds
// checks the kinds.
func WithoutKinds(stmts []query.Statement) []query.Statement {
	query.ClearPositions(stmts)
	query.Walk(stmts, func(e query.Expr) {
		if o, ok := e.(*query.Op); ok {
			o.Kind = query.OpOther
		}
	})
	return stmts
}

// One wraps a single expected statement.
func One(s query.Statement) []query.Statement { return []query.Statement{s} }

// Param is the anonymous parameter with ordinal n.
func Param(n int) *query.Param { return &query.Param{Ordinal: n} }

// Named is the parameter with ordinal n that the server names name.
func Named(n int, name string) *query.Param { return &query.Param{Ordinal: n, Name: name} }

// Col builds a column reference from 1 to 3 dotted parts.
func Col(parts ...string) *query.ColRef {
	switch len(parts) {
	case 1:
		return &query.ColRef{Name: parts[0]}
	case 2:
		return &query.ColRef{Qualifier: parts[0], Name: parts[1]}
	default:
		return &query.ColRef{Schema: parts[0], Qualifier: parts[1], Name: parts[2]}
	}
}

// Tbl is the table name without a schema.
func Tbl(name string) query.Table { return query.Table{Name: name} }

// Tref is a FROM entry for table name, with alias if it is not "".
func Tref(name, alias string) *query.TableRef {
	return &query.TableRef{Table: Tbl(name), Alias: alias}
}

// Op is an Op of no particular kind (see WithoutKinds).
func Op(name string, args ...query.Expr) *query.Op { return &query.Op{Name: name, Args: args} }

// Item is a result column without an alias.
func Item(e query.Expr) query.Item { return query.Item{Expr: e} }

// Items is a list of result columns without aliases.
func Items(es ...query.Expr) []query.Item {
	out := make([]query.Item, len(es))
	for i, e := range es {
		out[i] = Item(e)
	}
	return out
}

// Star is the result list *.
func Star() []query.Item { return []query.Item{{Star: true}} }

// Exprs is a list of expressions.
func Exprs(es ...query.Expr) []query.Expr { return es }

// StrLit is the string literal whose token is the first occurrence of
// token in sql.
func StrLit(sql, token, value string) *query.Literal {
	i := strings.Index(sql, token)
	return &query.Literal{Value: value, Start: i, End: i + len(token), String: true}
}

// NumLit is the number or boolean literal token that follows the first
// occurrence of prefix in sql; its value is the token.
func NumLit(sql, prefix, token string) *query.Literal {
	i := strings.Index(sql, prefix+token) + len(prefix)
	return &query.Literal{Value: token, Start: i, End: i + len(token)}
}

// FuzzParser adds seeds to f and fuzzes p.Parse with it. Parse must not
// panic, and every string literal of the statements it returns must be a
// non-empty span of the text whose token p.LiteralValue decodes to the
// literal's value, or refuses (plans keep positions, not values: a token
// that decodes otherwise would be sealed as another value). check, if not
// nil, makes the front-end's own checks of what Parse returned.
func FuzzParser(f *testing.F, p query.Parser, seeds []string, check func(t *testing.T, sql string, stmts []query.Statement, err error)) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		stmts, err := p.Parse(sql)
		if err == nil {
			query.Walk(stmts, func(e query.Expr) {
				if l, ok := e.(*query.Literal); ok && l.String {
					checkStringLiteral(t, p, sql, l)
				}
			})
		}
		if check != nil {
			check(t, sql, stmts, err)
		}
	})
}

// checkStringLiteral fails t unless l is a non-empty span of sql that
// p.LiteralValue decodes to l.Value or refuses.
func checkStringLiteral(t *testing.T, p query.Parser, sql string, l *query.Literal) {
	t.Helper()
	if l.Start < 0 || l.Start >= l.End || l.End > len(sql) {
		t.Fatalf("string literal span %d:%d outside the text of %d bytes", l.Start, l.End, len(sql))
	}
	if v, err := p.LiteralValue(sql[l.Start:l.End]); err == nil && v != l.Value {
		t.Fatalf("literal %q decodes to %q, the parser read %q", sql[l.Start:l.End], v, l.Value)
	}
}

// CheckMapping checks that f maps every key of cases to its value, as
// FoldIdent maps a configured name to the name the parser reports.
func CheckMapping(t *testing.T, f func(string) string, cases map[string]string) {
	t.Helper()
	for in, want := range cases {
		assert.Equal(t, want, f(in), in)
	}
}
