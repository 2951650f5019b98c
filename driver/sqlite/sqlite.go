// Package sqlite is sqlseal's database/sql driver for SQLite. It wraps
// modernc.org/sqlite (pure Go, no cgo) and behaves like package driver does
// for PostgreSQL: values written to protected columns are sealed, protected
// result columns are opened, and statements that cannot be proven safe are
// refused.
//
//	import _ "github.com/sqlseal/sqlseal/driver/sqlite"
//
//	db, err := sql.Open("sqlseal-sqlite", "file:app.db") // was sql.Open("sqlite", ...)
//
// Configuration comes from the environment (package config) when sql.Open's
// connector is created, or in code through NewConnector. Statements are
// translated token by token into PostgreSQL syntax and analysed with
// PostgreSQL's parser (see internal/dialect/sqlite for the covered syntax):
// `?`, `?NNN`, `:name`, `@name` and `$name` parameters, INSERT OR REPLACE,
// REPLACE, ON CONFLICT DO UPDATE and RETURNING are understood. Protected
// columns may have TEXT affinity (base64) or BLOB type (raw bytes).
package sqlite

import (
	"database/sql"
	"database/sql/driver"

	msqlite "modernc.org/sqlite"

	"github.com/sqlseal/sqlseal/config"
	backend "github.com/sqlseal/sqlseal/internal/backend/sqlite"
	"github.com/sqlseal/sqlseal/internal/engine"
)

// DriverName is the name the package registers with database/sql.
const DriverName = "sqlseal-sqlite"

func init() {
	sql.Register(DriverName, &Driver{})
}

// Driver is the database/sql driver registered as "sqlseal-sqlite". Each
// connector it opens reads its configuration from the environment.
type Driver struct{}

// Open opens one connection; database/sql uses OpenConnector instead.
func (d *Driver) Open(dsn string) (driver.Conn, error) { return engine.Open(d, dsn) }

// OpenConnector takes modernc.org/sqlite's DSN (a file name or file: URI
// with its parameters) and reads the configuration from the environment.
func (d *Driver) OpenConnector(dsn string) (driver.Connector, error) {
	return engine.FromEnv(dsn, engine.DSN, NewConnector)
}

// NewConnector returns a connector for sql.OpenDB that protects the columns
// of cfg on the SQLite database of dsn. Warnings go to cfg.Logger
// (slog.Default() when nil).
func NewConnector(cfg config.Config, dsn string) (driver.Connector, error) {
	base, err := msqlite.NewConnector(dsn)
	return engine.Connector(backend.Backend, cfg, base, err)
}
