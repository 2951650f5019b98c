package conformance

import (
	"database/sql"
	"database/sql/driver"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"

	sqlsealpg "github.com/sqlseal/sqlseal/driver"
	"github.com/sqlseal/sqlseal/driver/mysql"
)

// Backend-specific tests open sqlseal with settings of the wrapped driver
// that a DSN does not give with these.

// OpenPostgres opens a pool through sqlseal on e's database with e's
// configuration, after edit changed pgx's connection configuration, and
// pings it: for settings a test needs that the DSN does not give.
func OpenPostgres(e *Env, edit func(*pgx.ConnConfig)) (*sql.DB, error) {
	e.T.Helper()
	return openParsed(e.T, e.B.DSN, pgx.ParseConfig, edit, func(c *pgx.ConnConfig) (driver.Connector, error) {
		return sqlsealpg.NewConnector(e.Config(), c)
	})
}

// OpenMySQL opens a pool through sqlseal on e's database with e's
// configuration, after edit changed go-sql-driver's configuration, and
// pings it: for settings a test needs that the DSN does not give.
func OpenMySQL(e *Env, edit func(*gomysql.Config)) (*sql.DB, error) {
	e.T.Helper()
	return openParsed(e.T, e.B.DSN, gomysql.ParseDSN, edit, func(mc *gomysql.Config) (driver.Connector, error) {
		return mysql.NewConnector(e.Config(), mc)
	})
}
