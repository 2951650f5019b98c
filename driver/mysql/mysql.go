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
// The session must use MySQL's default quoting: connections whose sql_mode
// includes ANSI_QUOTES or NO_BACKSLASH_ESCAPES fail with ErrSQLMode.
package mysql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"fmt"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/catalog"
	dialect "github.com/sqlseal/sqlseal/internal/dialect/mysql"
	"github.com/sqlseal/sqlseal/internal/engine"
)

// ErrSQLMode is returned when a connection's sql_mode includes ANSI_QUOTES
// or NO_BACKSLASH_ESCAPES, under which the server would read some statements
// differently from how sqlseal analyses them; a statement that sets such a
// mode is refused with driver.ErrRefused.
var ErrSQLMode = engine.ErrSQLMode

// DriverName is the name the package registers with database/sql.
const DriverName = "sqlseal-mysql"

func init() {
	sql.Register(DriverName, &Driver{})
}

var mysqlDialect = &engine.Dialect{
	Name:            "mysql",
	Parser:          &dialect.Parser{},
	FoldIdent:       dialect.FoldIdent,
	CaseInsensitive: true,
	Catalog:         catalog.MySQL{},
	BinaryLiteral:   func(raw []byte) string { return "X'" + hex.EncodeToString(raw) + "'" },
}

// Driver is the database/sql driver registered as "sqlseal-mysql". Each
// connector it opens reads its configuration from the environment.
type Driver struct{}

// Open opens one connection; database/sql uses OpenConnector instead.
func (d *Driver) Open(dsn string) (driver.Conn, error) {
	c, err := d.OpenConnector(dsn)
	if err != nil {
		return nil, err
	}
	return c.Connect(context.Background())
}

// OpenConnector parses dsn as go-sql-driver/mysql does
// (user:password@tcp(host:port)/dbname?params) and reads the configuration
// from the environment.
func (d *Driver) OpenConnector(dsn string) (driver.Connector, error) {
	cfg, err := config.FromEnv()
	if err != nil {
		return nil, err
	}
	mc, err := gomysql.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlseal: %w", err)
	}
	return NewConnector(cfg, mc)
}

// NewConnector returns a connector for sql.OpenDB that protects the columns
// of cfg on the database of mysqlConfig. Warnings go to slog.Default().
func NewConnector(cfg config.Config, mysqlConfig *gomysql.Config) (driver.Connector, error) {
	base, err := gomysql.NewConnector(mysqlConfig)
	if err != nil {
		return nil, fmt.Errorf("sqlseal: %w", err)
	}
	d := *mysqlDialect
	d.ArgsNeedPrepare = !mysqlConfig.InterpolateParams
	e, err := engine.New(&d, cfg, nil)
	if err != nil {
		return nil, err
	}
	return e.WrapConnector(base), nil
}
