package engine

// This file is the only one that knows about github.com/ngrok/sqlmw, the
// library that wraps a driver.Connector and hands every call to an
// interceptor. sqlmw is unmaintained; replacing it means reimplementing
// what this file uses: a wrapped Conn/Stmt/Rows that calls the methods
// below and forwards the optional driver interfaces.

import (
	"context"
	"database/sql/driver"
	"errors"
	"reflect"

	"github.com/ngrok/sqlmw"
)

// WrapConnector returns a connector whose connections seal and open
// protected columns. Every connection it opens shares this engine.
func (e *Engine) WrapConnector(c driver.Connector) driver.Connector {
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

func (d connectorDriver) Open(string) (driver.Conn, error) {
	return d.c.Connect(context.Background())
}

func (d connectorDriver) OpenConnector(string) (driver.Connector, error) { return d.c, nil }

type readerKey struct{}

// interceptor connects sqlmw's hooks to the engine.
type interceptor struct {
	sqlmw.NullInterceptor
	e *Engine
}

var errNoQueryer = errors.New("sqlseal: the wrapped driver's connection cannot run catalog queries")

func (i interceptor) ConnectorConnect(ctx context.Context, c driver.Connector) (driver.Conn, error) {
	conn, err := c.Connect(ctx)
	if err != nil {
		return nil, err
	}
	if err := i.e.checkConnection(ctx, conn); err != nil {
		conn.Close()
		return nil, err
	}
	if sc, ok := i.e.d.Catalog.(SessionChecker); ok {
		q, ok := conn.(driver.QueryerContext)
		if !ok {
			conn.Close()
			return nil, errNoQueryer
		}
		if err := sc.CheckSession(ctx, q); err != nil {
			conn.Close()
			return nil, err
		}
	}
	return conn, nil
}

func (i interceptor) ConnExecContext(ctx context.Context, conn driver.ExecerContext, query string, args []driver.NamedValue) (driver.Result, error) {
	if i.e.d.ArgsNeedPrepare && len(args) > 0 {
		return nil, driver.ErrSkip
	}
	q, _ := conn.(driver.QueryerContext)
	query, args, _, err := i.e.bind(ctx, q, query, args, false, nil)
	if err != nil {
		return nil, err
	}
	return conn.ExecContext(ctx, query, args)
}

func (i interceptor) ConnQueryContext(ctx context.Context, conn driver.QueryerContext, query string, args []driver.NamedValue) (context.Context, driver.Rows, error) {
	if i.e.d.ArgsNeedPrepare && len(args) > 0 {
		return ctx, nil, driver.ErrSkip
	}
	query, args, rd, err := i.e.bind(ctx, conn, query, args, false, nil)
	if err != nil {
		return ctx, nil, err
	}
	rows, err := conn.QueryContext(ctx, query, args)
	if rd != nil {
		ctx = context.WithValue(ctx, readerKey{}, rd)
	}
	return ctx, rows, err
}

func (i interceptor) ConnPrepareContext(ctx context.Context, conn driver.ConnPrepareContext, query string) (context.Context, driver.Stmt, error) {
	q, ok := conn.(driver.QueryerContext)
	if !ok {
		return ctx, nil, errNoQueryer
	}
	prepared, rd, err := i.e.prepareSQL(ctx, q, query)
	if err != nil {
		return ctx, nil, err
	}
	stmt, err := conn.PrepareContext(ctx, prepared)
	if err == nil && rd != nil {
		i.e.stmtReaders.Store(stmt, rd)
	}
	return ctx, stmt, err
}

func (i interceptor) StmtClose(ctx context.Context, stmt driver.Stmt) error {
	i.e.stmtReaders.Delete(stmt)
	return stmt.Close()
}

// stmtReader returns the reader made when the statement was prepared.
// sqlmw hands the interceptor the driver's statement wrapped in a struct
// whose only field is that statement.
func (i interceptor) stmtReader(stmt any) *reader {
	v := reflect.ValueOf(stmt)
	if v.Kind() == reflect.Struct && v.NumField() == 1 && v.Field(0).Kind() == reflect.Interface && v.Field(0).CanInterface() {
		stmt = v.Field(0).Interface()
	}
	if rd, ok := i.e.stmtReaders.Load(stmt); ok {
		return rd.(*reader)
	}
	return nil
}

func (i interceptor) StmtExecContext(ctx context.Context, stmt driver.StmtExecContext, query string, args []driver.NamedValue) (driver.Result, error) {
	_, args, _, err := i.e.bind(ctx, nil, query, args, true, nil)
	if err != nil {
		return nil, err
	}
	return stmt.ExecContext(ctx, args)
}

func (i interceptor) StmtQueryContext(ctx context.Context, stmt driver.StmtQueryContext, query string, args []driver.NamedValue) (context.Context, driver.Rows, error) {
	_, args, rd, err := i.e.bind(ctx, nil, query, args, true, i.stmtReader(stmt))
	if err != nil {
		return ctx, nil, err
	}
	rows, err := stmt.QueryContext(ctx, args)
	if rd != nil {
		ctx = context.WithValue(ctx, readerKey{}, rd)
	}
	return ctx, rows, err
}

func (i interceptor) RowsNext(ctx context.Context, rows driver.Rows, dest []driver.Value) error {
	if err := rows.Next(dest); err != nil {
		return err
	}
	if rd, ok := ctx.Value(readerKey{}).(*reader); ok {
		return rd.open(rows, dest)
	}
	return nil
}
