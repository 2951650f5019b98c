package engine

import (
	"context"
	"database/sql/driver"
	"fmt"

	"github.com/sqlseal/sqlseal/config"
)

// Connector returns a connector that protects the columns of cfg with
// backend b around base, the wrapped driver's connector. baseErr is the
// error making base returned, if any: it is reported first, as the
// wrapped driver's.
func Connector(b *Backend, cfg config.Config, base driver.Connector, baseErr error) (driver.Connector, error) {
	if baseErr != nil {
		return nil, fmt.Errorf("sqlseal: %w", baseErr)
	}
	e, err := New(b, cfg, nil)
	if err != nil {
		return nil, err
	}
	return e.WrapConnector(base), nil
}

// Open opens one connection of the connector d makes for dsn: the
// Driver.Open of a driver whose connectors database/sql uses instead.
func Open(d driver.DriverContext, dsn string) (driver.Conn, error) {
	c, err := d.OpenConnector(dsn)
	if err != nil {
		return nil, err
	}
	return c.Connect(context.Background())
}

// FromEnv is the OpenConnector of a driver registered with database/sql:
// it reads the configuration from the environment (config.FromEnv),
// parses dsn with the wrapped driver's parse, and returns the connector
// connect makes of both.
func FromEnv[C any](dsn string, parse func(dsn string) (C, error), connect func(config.Config, C) (driver.Connector, error)) (driver.Connector, error) {
	cfg, err := config.FromEnv()
	if err != nil {
		return nil, err
	}
	c, err := parse(dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlseal: %w", err)
	}
	return connect(cfg, c)
}

// DSN is FromEnv's parse for a wrapped driver that takes the DSN as it
// is.
func DSN(dsn string) (string, error) { return dsn, nil }
