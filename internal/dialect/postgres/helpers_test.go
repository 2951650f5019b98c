package postgres

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/query"
)

// stmtCase is one SQL text and the statements it must lower to.
type stmtCase struct {
	name string
	sql  string
	want []query.Statement
}

// runCases parses every case and compares the lowered statements.
func runCases(t *testing.T, cases []stmtCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parser{}.Parse(tc.sql)
			require.NoError(t, err)
			require.Equal(t, tc.want, withoutKinds(got))
		})
	}
}

// one wraps a single expected statement.
func one(s query.Statement) []query.Statement { return []query.Statement{s} }

func param(n int) *query.Param { return &query.Param{Ordinal: n} }

// col builds a column reference from 1 to 3 dotted parts.
func col(parts ...string) *query.ColRef {
	switch len(parts) {
	case 1:
		return &query.ColRef{Name: parts[0]}
	case 2:
		return &query.ColRef{Qualifier: parts[0], Name: parts[1]}
	default:
		return &query.ColRef{Schema: parts[0], Qualifier: parts[1], Name: parts[2]}
	}
}

func tbl(name string) query.Table { return query.Table{Name: name} }

func tref(name, alias string) *query.TableRef {
	return &query.TableRef{Table: tbl(name), Alias: alias}
}

func op(name string, args ...query.Expr) *query.Op { return &query.Op{Name: name, Args: args} }

func item(e query.Expr) query.Item { return query.Item{Expr: e} }

func items(es ...query.Expr) []query.Item {
	out := make([]query.Item, len(es))
	for i, e := range es {
		out[i] = item(e)
	}
	return out
}

func exprs(es ...query.Expr) []query.Expr { return es }

// strLit is the string literal whose token is the first occurrence of token
// in sql.
func strLit(sql, token, value string) *query.Literal {
	i := strings.Index(sql, token)
	return &query.Literal{Value: value, Start: i, End: i + len(token), String: true}
}

// numLit is the number or boolean literal token that follows the first
// occurrence of prefix in sql; its value is the token.
func numLit(sql, prefix, token string) *query.Literal {
	i := strings.Index(sql, prefix+token) + len(prefix)
	return &query.Literal{Value: token, Start: i, End: i + len(token)}
}

// withoutKinds clears the Kind of every Op in stmts, so that cases can be
// written with op(name, ...); TestOpKinds checks the kinds.
func withoutKinds(stmts []query.Statement) []query.Statement {
	query.Walk(stmts, func(e query.Expr) {
		if o, ok := e.(*query.Op); ok {
			o.Kind = query.OpOther
		}
	})
	return stmts
}
