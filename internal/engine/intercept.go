package engine

// This file is the only one that knows about github.com/ngrok/sqlmw, the
// library that wraps a driver.Connector into what database/sql sees. The
// engine plugs in at the connector: every connection sqlmw hands out wraps
// a conn of this package, whose methods seal, open and refuse, and whose
// statements and result sets are this package's stmt and rows. sqlmw is
// unmaintained; replacing it means giving database/sql a wrapper that
// forwards to conn, stmt and rows, which already implement every optional
// driver interface consistently.

import (
	"context"
	"database/sql/driver"

	"github.com/ngrok/sqlmw"
)

// WrapConnector returns a connector whose connections seal and open
// protected columns. Every connection it opens shares this engine.
func (e *Engine) WrapConnector(c driver.Connector) driver.Connector {
	e.keys.connect = c.Connect
	wrapped := sqlmw.Driver(connectorDriver{c}, interceptor{e: e})
	conn, err := wrapped.(driver.DriverContext).OpenConnector("")
	if err != nil {
		// connectorDriver.OpenConnector never fails.
		panic(err)
	}
	return conn
}

// connectorDriver presents a connector as a driver so sqlmw can wrap it.
type connectorDriver struct{ c driver.Connector }

// Open connects with the connector.
func (d connectorDriver) Open(string) (driver.Conn, error) {
	return d.c.Connect(context.Background())
}

// OpenConnector returns the connector.
func (d connectorDriver) OpenConnector(string) (driver.Connector, error) { return d.c, nil }

// interceptor connects sqlmw to the engine: a new connection is checked
// and wrapped in a conn. Every other call sqlmw intercepts is passed on
// (sqlmw.NullInterceptor) to the conn, stmt or rows of this package that it
// wraps, which do the work.
type interceptor struct {
	sqlmw.NullInterceptor
	e *Engine
}

// ConnectorConnect connects, checks the connection and wraps it.
func (i interceptor) ConnectorConnect(ctx context.Context, c driver.Connector) (driver.Conn, error) {
	inner, err := c.Connect(ctx)
	if err != nil {
		return nil, err
	}
	conn, err := i.e.newConn(ctx, inner)
	if err != nil {
		inner.Close()
		return nil, err
	}
	return conn, nil
}
