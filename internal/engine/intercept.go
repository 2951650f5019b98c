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
// wraps, which do the work; the calls that run a statement also report
// its refusal to the engine's observer and logger.
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

// The methods through which every statement reaches the engine report the
// refusals they return (Engine.noteRefusal); the others are
// sqlmw.NullInterceptor's.

// ConnPrepareContext prepares on the conn and reports a refusal.
func (i interceptor) ConnPrepareContext(ctx context.Context, conn driver.ConnPrepareContext, query string) (context.Context, driver.Stmt, error) {
	s, err := conn.PrepareContext(ctx, query)
	if err != nil {
		i.e.noteRefusal(err)
	}
	return ctx, s, err
}

// ConnExecContext executes on the conn and reports a refusal.
func (i interceptor) ConnExecContext(ctx context.Context, conn driver.ExecerContext, query string, args []driver.NamedValue) (driver.Result, error) {
	r, err := conn.ExecContext(ctx, query, args)
	if err != nil {
		i.e.noteRefusal(err)
	}
	return r, err
}

// ConnQueryContext queries on the conn and reports a refusal.
func (i interceptor) ConnQueryContext(ctx context.Context, conn driver.QueryerContext, query string, args []driver.NamedValue) (context.Context, driver.Rows, error) {
	r, err := conn.QueryContext(ctx, query, args)
	if err != nil {
		i.e.noteRefusal(err)
	}
	return ctx, r, err
}

// StmtExecContext executes the statement and reports a refusal.
func (i interceptor) StmtExecContext(ctx context.Context, stmt driver.StmtExecContext, _ string, args []driver.NamedValue) (driver.Result, error) {
	r, err := stmt.ExecContext(ctx, args)
	if err != nil {
		i.e.noteRefusal(err)
	}
	return r, err
}

// StmtQueryContext queries with the statement and reports a refusal.
func (i interceptor) StmtQueryContext(ctx context.Context, stmt driver.StmtQueryContext, _ string, args []driver.NamedValue) (context.Context, driver.Rows, error) {
	r, err := stmt.QueryContext(ctx, args)
	if err != nil {
		i.e.noteRefusal(err)
	}
	return ctx, r, err
}
