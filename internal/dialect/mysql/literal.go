package mysql

import (
	"errors"
	"strings"
)

// errLiteral is returned by LiteralValue for a text that is not a run of
// string or hexadecimal literals.
var errLiteral = errors.New("mysql: not a string literal sqlseal can decode")

// LiteralValue decodes the text of a string literal as the server reads it
// with the default SQL mode: one or more adjacent string or hexadecimal
// literals (with a charset introducer or N), separated by white space,
// which MySQL concatenates. It reads the text with the same scanner that
// located the literal.
func (*Parser) LiteralValue(token string) (string, error) {
	sc := scan(token)
	if len(sc.tokens) == 0 || sc.params > 0 || sc.conditional {
		return "", errLiteral
	}
	var b strings.Builder
	prev := 0
	for _, t := range sc.tokens {
		if strings.TrimSpace(token[prev:t.Start]) != "" {
			return "", errLiteral
		}
		b.WriteString(t.Value)
		prev = t.End
	}
	if prev != len(token) {
		return "", errLiteral
	}
	return b.String(), nil
}
