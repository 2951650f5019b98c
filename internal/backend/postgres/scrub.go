package postgres

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sqlseal/sqlseal/internal/engine"
)

// Withheld replaces the Detail or Where of a PostgreSQL error that may
// quote a protected column's stored value or blind index term.
const Withheld = "sqlseal: withheld (it may quote a protected column's stored value or blind index term)"

// scrubError implements engine.Backend.ScrubError for pgx: a *PgError's
// Detail ("Key (api_token_bidx)=(\x01...) already exists.", "Failing row
// contains (...)") and Where are replaced by Withheld when they name a
// protected or blind index column or the error concerns a table holding
// one. The SQLSTATE code, message, constraint, table and column names
// stay, so that applications still detect a unique_violation.
func scrubError(err error, s engine.Sensitive) error {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		return err
	}
	table := s.Table(pg.TableName)
	if pg.Detail != "" && (table || s.Mentions(pg.Detail)) {
		pg.Detail = Withheld
	}
	if pg.Where != "" && (table || s.Mentions(pg.Where)) {
		pg.Where = Withheld
	}
	return err
}
