package postgres

import (
	"errors"
	"strings"
	"unicode/utf8"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// locate fills in the kind of token at the position a *SyntaxError
// reports; other errors are returned as they are.
func locate(err error, sql string) error {
	var se *SyntaxError
	if !errors.As(err, &se) || se.Position <= 0 {
		return err
	}
	res, scanErr := pgScan(sql)
	if scanErr != nil {
		return err
	}
	se.Near = nearKind(res.GetTokens(), sql, byteOffset(sql, se.Position))
	return err
}

// byteOffset returns the byte offset of the 1-based character position
// pos in sql, which is how PostgreSQL counts positions.
func byteOffset(sql string, pos int) int {
	off := 0
	for i := 1; i < pos && off < len(sql); i++ {
		_, n := utf8.DecodeRuneInString(sql[off:])
		off += n
	}
	return off
}

// nearKind describes the token that starts at or covers byte off.
func nearKind(toks []*pg_query.ScanToken, sql string, off int) string {
	for _, t := range toks {
		start, end := int(t.GetStart()), int(t.GetEnd())
		if off < start || off >= end {
			continue
		}
		return tokenKind(t, sql[start:end])
	}
	if off >= len(strings.TrimRight(sql, " \t\r\n;")) {
		return "the end of the text"
	}
	return ""
}

// tokenKind describes a token without its text, except for operators,
// punctuation and keywords, which hold no data: a name or a constant may be
// a secret.
func tokenKind(t *pg_query.ScanToken, text string) string {
	switch t.GetToken() {
	case pg_query.Token_SCONST, pg_query.Token_USCONST, pg_query.Token_BCONST, pg_query.Token_XCONST:
		return "a string constant"
	case pg_query.Token_ICONST, pg_query.Token_FCONST:
		return "a number"
	case pg_query.Token_IDENT, pg_query.Token_UIDENT:
		return "a name"
	case pg_query.Token_PARAM:
		return "a parameter"
	case pg_query.Token_Op:
		if isOperatorText(text) {
			return `the operator "` + text + `"`
		}
		return "an operator"
	}
	if t.GetKeywordKind() != pg_query.KeywordKind_NO_KEYWORD {
		return `the keyword "` + strings.ToUpper(text) + `"`
	}
	if isOperatorText(text) {
		return `the punctuation "` + text + `"`
	}
	return "a token"
}

// isOperatorText reports whether text is made only of the characters of
// PostgreSQL operators and punctuation.
func isOperatorText(text string) bool {
	return text != "" && strings.Trim(text, "+-*/<>=~!@#%^&|`?(),;:[].") == ""
}
