package mysql

import (
	"context"
	"database/sql/driver"
	"fmt"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/internal/catalog"
	dialect "github.com/sqlseal/sqlseal/internal/dialect/mysql"
)

// session reads @@sql_mode and @@character_set_client, which decide how
// MySQL and MariaDB read SQL text: the mode must include no quoting mode
// (dialect.ReadingMode) and the client character set must be one a
// byte-wise reader reads as the server does (dialect.ReadingCharset). The
// server does not tell the client of changes to them (go-sql-driver/mysql
// keeps the NO_BACKSLASH_ESCAPES status flag to itself), so the check asks
// the server: at connect, and before the first statement after one that may
// have changed them (a SET, a CALL, text with executable comments or that
// the parser rejects).
type session struct {
	q driver.QueryerContext
}

// newSession returns the check of a go-sql-driver/mysql connection.
func newSession(c driver.Conn) (*session, error) {
	q, ok := c.(driver.QueryerContext)
	if !ok {
		return nil, fmt.Errorf("sqlseal: the wrapped connection is a %T and cannot run queries: its session settings cannot be checked", c)
	}
	return &session{q: q}, nil
}

// Check returns an error wrapping sqlseal.ErrSQLMode when a setting is not
// as the parser reads.
func (s *session) Check(ctx context.Context) error {
	rows, err := catalog.Query(ctx, s.q, `SELECT @@SESSION.sql_mode, @@SESSION.character_set_client`)
	if err != nil {
		return fmt.Errorf("sqlseal: reading the session's sql_mode: %w", err)
	}
	if len(rows) != 1 || len(rows[0]) != 2 {
		return fmt.Errorf("sqlseal: reading the session's sql_mode: no answer: %w", sqlseal.ErrSQLMode)
	}
	if m, bad := dialect.ReadingMode(catalog.String(rows[0][0])); bad {
		return fmt.Errorf("sqlseal: the session's sql_mode includes %s: %w; remove it from the server's or the DSN's sql_mode", m, sqlseal.ErrSQLMode)
	}
	if cs := catalog.String(rows[0][1]); !dialect.ReadingCharset(cs) {
		return fmt.Errorf("sqlseal: the session's character set is %s: %w; connect with charset=utf8mb4", cs, sqlseal.ErrSQLMode)
	}
	return nil
}

// Reported is false: the check asks the server.
func (s *session) Reported() bool { return false }
