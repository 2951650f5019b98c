package mysql

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// ErrSyntax is wrapped by the error Parse returns for text the MySQL
// parser rejects.
var ErrSyntax = errors.New("mysql: syntax error")

// ErrUnsupported is wrapped by the error Parse returns for SQL that parses
// but that the front-end refuses to model.
var ErrUnsupported = errors.New("mysql: unsupported SQL")

// SyntaxError reports text the MySQL parser rejects. It never contains the
// SQL text or any part of it, which may hold secrets: the parser's message
// quotes the text from the offending token on, and only that token's kind
// is kept.
type SyntaxError struct {
	// Line and Column are where the parser stopped, 1-based; 0 when it
	// did not say.
	Line, Column int
	// Near is the kind of token there, such as "a string constant" or
	// `the character "?"` (see nearKind); empty when unknown.
	Near string
}

// Error describes the rejection without quoting the SQL text.
func (e *SyntaxError) Error() string {
	return "mysql: " + e.Cause()
}

// Unwrap returns ErrSyntax.
func (e *SyntaxError) Unwrap() error { return ErrSyntax }

// Cause says where the parser stopped and the kind of token there, without
// any text of the statement (query.SyntaxError).
func (e *SyntaxError) Cause() string {
	msg := "syntax error"
	if e.Line > 0 {
		msg += fmt.Sprintf(" at line %d column %d", e.Line, e.Column)
	}
	if e.Near != "" {
		msg += ", at " + e.Near
	}
	return msg
}

// errPosition finds the position, and the first character of the text
// quoted after it, in a TiDB parse error: `line 1 column 40 near "?, ?)"`.
var errPosition = regexp.MustCompile(`^line (\d+) column (\d+)(?: near "(.?))?`)

// syntaxError turns a TiDB parse error into one that does not quote the
// SQL text, which may hold secrets.
func syntaxError(err error) error {
	msg := err.Error()
	m := errPosition.FindStringSubmatch(msg)
	if m == nil {
		return &SyntaxError{}
	}
	first := m[3]
	if strings.HasSuffix(strings.TrimSpace(msg), ` near ""`) {
		first = "" // nothing follows the position
	}
	se := &SyntaxError{Near: nearKind(first, strings.Contains(m[0], " near "))}
	fmt.Sscan(m[1], &se.Line)
	fmt.Sscan(m[2], &se.Column)
	return se
}

// nearKind describes the token whose first character is first, without
// its text; quoted reports that the parser quoted the text after the
// position (empty then means the end of the text).
func nearKind(first string, quoted bool) string {
	if !quoted {
		return ""
	}
	if first == "" {
		return "the end of the text"
	}
	c := first[0]
	switch {
	case c == '\'' || c == '"':
		return "a string constant"
	case c == '`':
		return "a quoted name"
	case c >= '0' && c <= '9':
		return "a number"
	case isWordChar(c):
		return "a word (a keyword or a name)"
	case strings.IndexByte("+-*/<>=~!@#%^&|?(),;:[].{}", c) >= 0:
		return `the character "` + first + `"`
	}
	return "a token"
}
