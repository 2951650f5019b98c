package postgres

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/sqlseal/sqlseal/internal/query"
)

// Parser lowers PostgreSQL SQL text into query statements. The zero value is
// ready to use. Safe for concurrent use.
type Parser struct{}

var _ query.Parser = Parser{}

// Parse parses sql, which may hold several statements separated by
// semicolons, and returns one query.Statement per statement. Text the
// PostgreSQL parser rejects yields an error wrapping ErrSyntax that does not
// quote the text.
func (Parser) Parse(sql string) ([]query.Statement, error) {
	if strings.IndexByte(sql, 0) >= 0 {
		return nil, errNUL
	}
	if err := checkChains(sql); err != nil {
		return nil, err
	}
	tree, err := pgParse(sql)
	if err != nil {
		return nil, locate(syntaxError(err), sql)
	}
	l := &lowerer{sql: sql}
	out := make([]query.Statement, 0, len(tree.GetStmts()))
	for _, raw := range tree.GetStmts() {
		out = append(out, l.topStatement(raw.GetStmt()))
	}
	if l.err != nil {
		return nil, l.err
	}
	return out, nil
}

// lowerer holds the state of lowering the statements of one SQL text.
type lowerer struct {
	sql string

	// tokens is the scanned text, filled on the first constant that needs
	// its span; scanned records that the scan was attempted.
	tokens  []*pg_query.ScanToken
	scanned bool
	// err is the first error met; Parse returns it.
	err error

	// opaque, when not empty, names a construct of the current top-level
	// statement that cannot be lowered (for debugging): the statement
	// becomes an Opaque of kind opaqueKind.
	opaque     string
	opaqueKind query.OpaqueKind
	// inConflict is set while lowering ON CONFLICT DO UPDATE, where
	// EXCLUDED.col is the value the INSERT proposed.
	inConflict bool
}

// unsupported records that the current statement holds a construct the
// model cannot express; the statement is then lowered to an Opaque.
func (l *lowerer) unsupported(what string) {
	l.unsupportedAs(what, query.OpaqueOther)
}

// unsupportedAs is unsupported for a construct that makes the statement an
// Opaque of a known kind.
func (l *lowerer) unsupportedAs(what string, kind query.OpaqueKind) {
	if l.opaque == "" {
		l.opaque, l.opaqueKind = what, kind
	}
}
