package postgres

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/query"
)

// Every form of string constant PostgreSQL has decodes back from its text
// to the value the parser read, so that a plan can keep its position.
func TestLiteralValueAgreesWithTheParser(t *testing.T) {
	for _, tok := range []string{
		`'plain'`, `''`, `'it''s'`, `'a\b'`, `'{"host":"h"}'`,
		`E'a\nb\tc\\d\'e'`, `e'\x41\101\u00e9\U0001F600'`, `E'\uD83D\uDE00'`, `E'it''s'`,
		`U&'d\0061ta'`, `U&'d!0061ta' UESCAPE '!'`, `u&'\+01F600 \\'`,
		`$$it's $ \ raw$$`, `$tag$ $$ nested $tag$`,
		"'a'\n'b'", "'a'  \n\t  'b'", "E'\\n'\n'\\n'",
		`'é 日本'`,
	} {
		sql := "SELECT " + tok
		stmts, err := Parser{}.Parse(sql)
		require.NoError(t, err, tok)
		lit, ok := stmts[0].(*query.Select).Items[0].Expr.(*query.Literal)
		require.True(t, ok, tok)
		require.Equal(t, tok, sql[lit.Start:lit.End])
		got, err := Parser{}.LiteralValue(tok)
		require.NoError(t, err, tok)
		require.Equal(t, lit.Value, got, tok)
	}
}

// Text that is not one string constant does not decode.
func TestLiteralValueRejects(t *testing.T) {
	for _, tok := range []string{`'open`, `plain`, `'a' 'b'`, `E'\u12'`, `U&'\00'`, `$a$ $b$`, `'a'||'b'`, `E'\uDE00'`, "'a' -- c\n'b'"} {
		_, err := Parser{}.LiteralValue(tok)
		require.Error(t, err, tok)
	}
}
