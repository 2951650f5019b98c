package sqlite

import (
	"errors"
	"strings"
)

// errLiteral is returned by LiteralValue for a text that is not one string
// token.
var errLiteral = errors.New("sqlite: not a string literal sqlseal can decode")

// LiteralValue decodes one string token as SQLite reads it: '...' with ”
// for a quote, or a "double-quoted" token where SQLite reads it as a string
// (with "" for a quote).
func (Parser) LiteralValue(token string) (string, error) {
	if len(token) < 2 {
		return "", errLiteral
	}
	q := token[0]
	if (q != '\'' && q != '"') || token[len(token)-1] != q {
		return "", errLiteral
	}
	body := token[1 : len(token)-1]
	pair := string([]byte{q, q})
	if strings.Count(body, string(q)) != 2*strings.Count(body, pair) {
		return "", errLiteral // a lone quote: not one token
	}
	return strings.ReplaceAll(body, pair, string(q)), nil
}
