package postgres

import (
	"errors"
	"fmt"
	"strings"
)

// ErrSyntax is wrapped by every error Parse returns for text that
// PostgreSQL's parser rejects.
var ErrSyntax = errors.New("postgres: SQL text rejected by the parser")

// SyntaxError reports SQL text that PostgreSQL's parser rejects. It never
// contains the SQL text or any part of it, which may hold secrets: the
// parser's message is cut before the text it quotes.
type SyntaxError struct {
	// Reason is the parser's message without the quoted SQL text, such as
	// "syntax error" or "unterminated quoted string".
	Reason string
	// Position is the 1-based character position the parser reported, 0
	// when it reported none.
	Position int
	// Near is the kind of token at Position, such as "a string constant"
	// or `the operator "?"` (see tokenKind): never the text of a name or a
	// constant. Empty when unknown; "the end of the text" past the last
	// token.
	Near string
}

// Error describes the rejection without quoting the SQL text.
func (e *SyntaxError) Error() string {
	if e.Position > 0 {
		return fmt.Sprintf("postgres: cannot parse SQL: %s (at character %d)", e.Reason, e.Position)
	}
	return "postgres: cannot parse SQL: " + e.Reason
}

// Unwrap returns ErrSyntax.
func (e *SyntaxError) Unwrap() error { return ErrSyntax }

// Cause says what the parser rejected, where, and the kind of token there,
// without any text of the statement (query.SyntaxError).
func (e *SyntaxError) Cause() string {
	msg := e.Reason
	if e.Position > 0 {
		msg += fmt.Sprintf(" at character %d", e.Position)
	}
	if e.Near != "" {
		msg += ", at " + e.Near
	}
	return msg
}

// errNUL is returned for text with a NUL byte: the C parser would stop at it
// and analyse less than the server may receive.
var errNUL = fmt.Errorf("postgres: cannot parse SQL: the text contains a NUL byte: %w", ErrSyntax)

// syntaxError turns an error from pg_query into one that quotes no SQL.
func syntaxError(err error) error {
	var pe *parserError
	if !errors.As(err, &pe) {
		// Not a parser message (for example a protobuf decoding failure):
		// such errors do not contain the SQL text.
		return fmt.Errorf("postgres: cannot parse SQL: %w", err)
	}
	return &SyntaxError{Reason: redactReason(pe.Message), Position: pe.Cursorpos}
}

// redactReason keeps the part of a parser message before any quoted SQL:
// messages end in `at or near "<token>"`, and a few quote a name or value
// elsewhere.
func redactReason(msg string) string {
	if i := strings.Index(msg, " at or near"); i >= 0 {
		msg = msg[:i]
	}
	if i := strings.IndexAny(msg, `"'$`); i >= 0 {
		msg = msg[:i]
	}
	msg = strings.TrimSpace(msg)
	if msg == "" {
		return "syntax error"
	}
	return msg
}
