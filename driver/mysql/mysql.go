// Package mysql is sqlseal's database/sql driver for MySQL and MariaDB. It
// wraps github.com/go-sql-driver/mysql and behaves like package driver does
// for PostgreSQL: values written to protected columns are sealed, protected
// result columns are opened, and statements that cannot be proven safe are
// refused.
//
//	import _ "github.com/sqlseal/sqlseal/driver/mysql"
//
//	db, err := sql.Open("sqlseal-mysql", "app:pw@tcp(db:3306)/app") // was sql.Open("mysql", ...)
//
// Configuration comes from the environment (package config) when sql.Open's
// connector is created, or in code through NewConnector. Statements are
// analysed with TiDB's MySQL parser; `?` placeholders, backtick names,
// INSERT ... SET, ON DUPLICATE KEY UPDATE col = VALUES(col), REPLACE and
// multi-table UPDATE are understood. Protected columns may be CHAR, VARCHAR
// or TEXT types (base64) or BINARY, VARBINARY or BLOB types (raw bytes).
// The session must read SQL as MySQL's default mode does: connections whose
// sql_mode includes ANSI_QUOTES, NO_BACKSLASH_ESCAPES, IGNORE_SPACE or a
// combination mode that includes one (ANSI, ORACLE, MSSQL, ...), or whose
// character set is not utf8mb4, utf8mb3, latin1, ascii or binary, fail
// with sqlseal.ErrSQLMode; a statement that changes the session so is
// refused, or, if sqlseal cannot read what it sets, the connection fails
// every later statement and database/sql discards it. Errors are those of
// package sqlseal.
package mysql

import (
	"database/sql"
	"database/sql/driver"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/sqlseal/sqlseal/config"
	backend "github.com/sqlseal/sqlseal/internal/backend/mysql"
	"github.com/sqlseal/sqlseal/internal/engine"
)

// DriverName is the name the package registers with database/sql.
const DriverName = "sqlseal-mysql"

func init() {
	sql.Register(DriverName, &Driver{})
}

// Driver is the database/sql driver registered as "sqlseal-mysql". Each
// connector it opens reads its configuration from the environment.
type Driver struct{}

// Open opens one connection; database/sql uses OpenConnector instead.
func (d *Driver) Open(dsn string) (driver.Conn, error) { return engine.Open(d, dsn) }

// OpenConnector parses dsn as go-sql-driver/mysql does
// (user:password@tcp(host:port)/dbname?params) and reads the configuration
// from the environment.
func (d *Driver) OpenConnector(dsn string) (driver.Connector, error) {
	return engine.FromEnv(dsn, gomysql.ParseDSN, NewConnector)
}

// NewConnector returns a connector for sql.OpenDB that protects the columns
// of cfg on the database of mysqlConfig. Warnings go to cfg.Logger
// (slog.Default() when nil).
func NewConnector(cfg config.Config, mysqlConfig *gomysql.Config) (driver.Connector, error) {
	base, err := gomysql.NewConnector(mysqlConfig)
	return engine.Connector(backend.Backend(mysqlConfig.InterpolateParams), cfg, base, err)
}
