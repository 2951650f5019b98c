package main

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"strings"

	gomysql "github.com/go-sql-driver/mysql" // also registers "mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // "pgx"
	_ "modernc.org/sqlite"             // "sqlite"

	"github.com/sqlseal/sqlseal/config"
	sealpg "github.com/sqlseal/sqlseal/driver"
	sealmysql "github.com/sqlseal/sqlseal/driver/mysql"
	sealsqlite "github.com/sqlseal/sqlseal/driver/sqlite"
	"github.com/sqlseal/sqlseal/internal/rotate"
)

// envDSN names the variable that supplies the database when --dsn is not
// given.
const envDSN = "SQLSEAL_DSN"

// dsnHelp documents the DSN forms for the commands' --help.
const dsnHelp = `The database is given by --dsn or SQLSEAL_DSN; its form picks the driver:
  postgres://user:pass@host:5432/db?sslmode=disable   PostgreSQL (pgx); also
  postgresql://...  or libpq key=value: "host=... user=... dbname=..."
  mysql://user:pass@host:3306/db                      MySQL or MariaDB; also
  mysql://user:pass@tcp(host:3306)/db, or go-sql-driver's own form:
  user:pass@tcp(host:3306)/db, user@unix(/path)/db
  sqlite:/path/app.db, file:app.db?mode=rw,            SQLite (modernc.org/sqlite)
  or a path ending in .db, .sqlite or .sqlite3
The connection uses the database's own driver, never sqlseal's: values are
read and written exactly as stored.
`

// libpqKeyValue matches the start of a libpq key=value connection string.
var libpqKeyValue = regexp.MustCompile(`^\s*[A-Za-z_]+\s*=`)

// dataSource is a parsed --dsn: the driver to open it with and what to
// pass to sql.Open.
type dataSource struct {
	driver string
	dsn    string
	family rotate.Family
}

// parseDSN picks the driver for dsn from its form. Errors never repeat the
// DSN, which may hold a password.
func parseDSN(dsn string) (dataSource, error) {
	lower := strings.ToLower(dsn)
	path := lower
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	switch {
	case dsn == "":
		return dataSource{}, fmt.Errorf("no database: give --dsn or set %s", envDSN)
	case strings.HasPrefix(lower, "postgres://"), strings.HasPrefix(lower, "postgresql://"):
		return dataSource{"pgx", dsn, rotate.Postgres}, nil
	case strings.HasPrefix(lower, "mysql://"):
		d, err := mysqlURL(dsn[len("mysql://"):])
		if err != nil {
			return dataSource{}, err
		}
		return dataSource{"mysql", d, rotate.MySQL}, nil
	case strings.HasPrefix(lower, "sqlite://"):
		return dataSource{"sqlite", dsn[len("sqlite://"):], rotate.SQLite}, nil
	case strings.HasPrefix(lower, "sqlite:"):
		return dataSource{"sqlite", dsn[len("sqlite:"):], rotate.SQLite}, nil
	case strings.HasPrefix(lower, "file:"):
		return dataSource{"sqlite", dsn, rotate.SQLite}, nil
	case strings.Contains(dsn, "@tcp("), strings.Contains(dsn, "@unix("):
		return dataSource{"mysql", dsn, rotate.MySQL}, nil
	case strings.HasSuffix(path, ".db"), strings.HasSuffix(path, ".sqlite"), strings.HasSuffix(path, ".sqlite3"):
		return dataSource{"sqlite", dsn, rotate.SQLite}, nil
	case libpqKeyValue.MatchString(dsn):
		return dataSource{"pgx", dsn, rotate.Postgres}, nil
	}
	return dataSource{}, fmt.Errorf("cannot tell the database from the DSN's form: use postgres://..., host=..., mysql://..., user@tcp(host)/db, sqlite:PATH or a path ending in .db")
}

// mysqlURL converts what follows "mysql://" to go-sql-driver's DSN: a URL,
// user:pass@host:port/db?params, becomes user:pass@tcp(host:port)/db?params
// (port 3306 by default); go-sql-driver's own form, with tcp(...) or
// unix(...), is kept as it is. Errors never repeat the DSN.
func mysqlURL(rest string) (string, error) {
	at := strings.LastIndexByte(rest, '@')
	addr := rest[at+1:]
	if strings.HasPrefix(addr, "tcp(") || strings.HasPrefix(addr, "unix(") || strings.HasPrefix(addr, "/") {
		return rest, nil
	}
	bad := errors.New("cannot read the mysql:// DSN: write mysql://user:pass@host:3306/db, or go-sql-driver's user:pass@tcp(host:3306)/db")
	u, err := url.Parse("mysql://" + rest)
	if err != nil || u.Host == "" || u.Opaque != "" || strings.Count(u.Path, "/") > 1 {
		return "", bad
	}
	c := gomysql.NewConfig()
	c.Net, c.Addr, c.DBName = "tcp", u.Host, strings.TrimPrefix(u.Path, "/")
	if u.Port() == "" {
		c.Addr = net.JoinHostPort(u.Hostname(), "3306")
	}
	if u.User != nil {
		c.User = u.User.Username()
		c.Passwd, _ = u.User.Password()
	}
	d := c.FormatDSN()
	if u.RawQuery != "" {
		sep := "?"
		if strings.Contains(d, "?") {
			sep = "&"
		}
		d += sep + u.RawQuery
	}
	if _, err := gomysql.ParseDSN(d); err != nil {
		return "", bad
	}
	return d, nil
}

// openForCommand reads the configuration from the command's environment
// and opens the database of its --dsn flag. Unless create is set, an SQLite
// database must exist already: the SQLite driver would otherwise create an
// empty file, and a mistyped path would pass for an empty database. When
// ok is false the command has failed (1) or had a usage error (2) and
// returns code.
func openForCommand(ctx context.Context, cmd *command, fs *flag.FlagSet, std stdio, create bool) (cfg config.Config, db *sql.DB, ds dataSource, code int, ok bool) {
	cfg, err := config.FromLookup(std.lookupEnv)
	if err != nil {
		return cfg, nil, ds, cmd.fail(std, "%v", err), false
	}
	dsn := flagValue[string](fs, "dsn")
	if dsn == "" {
		dsn, _ = std.lookupEnv(envDSN)
	}
	ds, err = parseDSN(dsn)
	if err != nil {
		return cfg, nil, ds, cmd.usageError(std, "%v", err), false
	}
	if path, ok := sqliteFile(ds); ok && !create {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return cfg, nil, ds, cmd.fail(std, "there is no SQLite database at %s (%s never creates one); check --dsn or %s", path, cmd.name, envDSN), false
		}
	}
	db, err = sql.Open(ds.driver, ds.dsn)
	if err == nil {
		err = db.PingContext(ctx)
	}
	if err != nil {
		if db != nil {
			db.Close()
		}
		return cfg, nil, ds, cmd.fail(std, "%v", connectError(ds, err)), false
	}
	return cfg, db, ds, exitOK, true
}

// connectError describes a failure to reach the database of ds. pgx's
// own prefix, "failed to connect to `user=... database=...`:", is dropped
// for the attempts it lists.
func connectError(ds dataSource, err error) error {
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		if inner := ce.Unwrap(); inner != nil {
			err = inner
		}
	}
	return fmt.Errorf("cannot connect to the %s database: %w", ds.family, err)
}

// sqliteFile returns the file of an SQLite data source, and false when ds
// is not SQLite or names no file (an in-memory database).
func sqliteFile(ds dataSource) (string, bool) {
	if ds.family != rotate.SQLite {
		return "", false
	}
	path, query, _ := strings.Cut(ds.dsn, "?")
	if rest, ok := strings.CutPrefix(path, "file:"); ok {
		path = rest
		// file://HOST/path: the authority is empty or localhost.
		if rest, ok := strings.CutPrefix(path, "//"); ok {
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				path = rest[i:]
			}
		}
		if p, err := url.PathUnescape(path); err == nil {
			path = p
		}
	}
	if path == "" || path == ":memory:" || strings.Contains(query, "mode=memory") {
		return "", false
	}
	return path, true
}

// openSealed opens the database of ds through sqlseal's driver for its
// family, configured by cfg.
func openSealed(ds dataSource, cfg config.Config) (*sql.DB, error) {
	var c driver.Connector
	var err error
	switch ds.family {
	case rotate.Postgres:
		var pc *pgx.ConnConfig
		if pc, err = pgx.ParseConfig(ds.dsn); err == nil {
			c, err = sealpg.NewConnector(cfg, pc)
		}
	case rotate.MySQL:
		var mc *gomysql.Config
		if mc, err = gomysql.ParseDSN(ds.dsn); err == nil {
			c, err = sealmysql.NewConnector(cfg, mc)
		}
	default:
		c, err = sealsqlite.NewConnector(cfg, ds.dsn)
	}
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(c), nil
}
