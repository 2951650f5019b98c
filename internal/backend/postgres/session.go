package postgres

import (
	"context"
	"database/sql/driver"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/sqlseal/sqlseal"
)

// session checks the two settings that decide how PostgreSQL reads a
// string literal: standard_conforming_strings must be on (with it off, a
// backslash escapes in '...') and client_encoding UTF8 (the server
// converts text in another client encoding before reading it, and in
// SJIS, BIG5, GBK, UHC and GB18030 a quote or backslash byte can be part of
// a character). The server reports both to the client whenever they
// change, however they change (SET, set_config, an UPDATE of pg_settings,
// a function, the end of a transaction), and pgx keeps the last report:
// the check asks the server nothing and runs before every statement. A
// simple-query text is read whole before any of its statements runs, so a
// change made inside a text affects the texts after it, which the check
// sees.
type session struct {
	conn *pgx.Conn
}

// newSession returns the check of a pgx stdlib connection.
func newSession(c driver.Conn) (*session, error) {
	pc, ok := c.(interface{ Conn() *pgx.Conn })
	if !ok {
		return nil, fmt.Errorf("sqlseal: the wrapped connection is a %T, not pgx's: its session settings cannot be checked", c)
	}
	return &session{conn: pc.Conn()}, nil
}

// Check returns an error wrapping sqlseal.ErrSQLMode when a setting is not
// as the parser reads.
func (s *session) Check(context.Context) error {
	pg := s.conn.PgConn()
	if v := pg.ParameterStatus("standard_conforming_strings"); v != "on" {
		return fmt.Errorf("sqlseal: the session's standard_conforming_strings is %q, not on: %w; turn it on", v, sqlseal.ErrSQLMode)
	}
	if v := pg.ParameterStatus("client_encoding"); v != "UTF8" {
		return fmt.Errorf("sqlseal: the session's client_encoding is %q, not UTF8: %w; connect with client_encoding=UTF8", v, sqlseal.ErrSQLMode)
	}
	return nil
}

// Reported is true: the server reports every change of both settings.
func (s *session) Reported() bool { return true }
