package sqlite

import (
	"errors"
	"fmt"

	"github.com/sqlseal/sqlseal/internal/dialect/postgres"
	"github.com/sqlseal/sqlseal/internal/query"
)

// Parser lowers SQLite SQL text into query statements. The zero value is
// ready to use. Safe for concurrent use.
type Parser struct{}

var _ query.Parser = Parser{}

// Parse parses sql, which may hold several statements separated by
// semicolons, and returns one query.Statement per statement that is not
// empty. Literal offsets refer to sql; parameters are those
// modernc.org/sqlite binds (see query.Param: Name is set exactly for the
// parameters it binds by name). Text SQLite would reject, and text this
// front-end cannot translate, yield an error wrapping ErrSyntax that does
// not quote the text.
func (Parser) Parse(sql string) ([]query.Statement, error) {
	toks, err := lex(sql)
	if err != nil {
		return nil, err
	}
	var out []query.Statement
	for n, part := range splitStatements(toks) {
		st, err := parseStatement(newStmt(sql, part))
		if err != nil {
			return nil, fmt.Errorf("statement %d: %w", n+1, err)
		}
		out = append(out, st)
	}
	return out, nil
}

// parseStatement lowers one statement: utility statements and triggers
// directly, the others by translation to PostgreSQL.
func parseStatement(s *stmt) (query.Statement, error) {
	if st, err := classify(s); st != nil || err != nil {
		return st, err
	}
	tr, err := translate(s)
	if err != nil {
		return nil, err
	}
	stmts, err := postgres.Parser{}.Parse(tr.pg)
	if err != nil {
		var se *postgres.SyntaxError
		if errors.As(err, &se) {
			// Its position and token are those of the translation, not of
			// this text: keep only the parser's message.
			return nil, fmt.Errorf("%w: %s (in sqlseal's translation of the statement)", ErrSyntax, se.Reason)
		}
		return nil, fmt.Errorf("%w: %w", ErrSyntax, err)
	}
	if len(stmts) != 1 {
		return nil, fmt.Errorf("%w: translated into %d statements", ErrSyntax, len(stmts))
	}
	if err := tr.remap(stmts); err != nil {
		return nil, err
	}
	return stmts[0], nil
}
