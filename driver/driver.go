package driver

import (
	"database/sql"
	"database/sql/driver"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/backend/postgres"
	"github.com/sqlseal/sqlseal/internal/engine"
)

// DriverName is the name the package registers with database/sql.
const DriverName = "sqlseal"

func init() {
	sql.Register(DriverName, &Driver{})
}

// Driver is the database/sql driver registered as "sqlseal". Each connector
// it opens reads its configuration from the environment.
type Driver struct{}

// Open opens one connection; database/sql uses OpenConnector instead.
func (d *Driver) Open(dsn string) (driver.Conn, error) { return engine.Open(d, dsn) }

// OpenConnector parses dsn as pgx does and reads the configuration from the
// environment (config.FromEnv).
func (d *Driver) OpenConnector(dsn string) (driver.Connector, error) {
	return engine.FromEnv(dsn, pgx.ParseConfig, func(cfg config.Config, c *pgx.ConnConfig) (driver.Connector, error) {
		return NewConnector(cfg, c)
	})
}

// NewConnector returns a connector for sql.OpenDB that protects the columns
// of cfg on the PostgreSQL database of connConfig. opts are pgx's stdlib
// options (OptionAfterConnect and the others) and keep their meaning.
// Warnings go to cfg.Logger (slog.Default() when nil).
func NewConnector(cfg config.Config, connConfig *pgx.ConnConfig, opts ...stdlib.OptionOpenDB) (driver.Connector, error) {
	return engine.Connector(postgres.Backend, cfg, stdlib.GetConnector(*connConfig, opts...), nil)
}
