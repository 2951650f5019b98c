package testdb

import (
	"database/sql"
	"fmt"
	"net/url"
	"testing"

	"github.com/go-sql-driver/mysql"
)

// IsolatedPostgres returns the DSN of a fresh database of the test
// PostgreSQL server, dropped when the test ends. Tests that create the key
// table (sqlseal_keys) use it: the table applies to every protected column
// its connections see, keys retire looks at the database's open
// transactions, and tests of other packages run at the same time.
func IsolatedPostgres(t testing.TB) string {
	t.Helper()
	return isolated(t, NewPostgresDatabase, Postgres(t))
}

// IsolatedMySQL returns the DSN (go-sql-driver form) of a fresh database of
// the test MySQL/MariaDB server, dropped when the test ends; see
// IsolatedPostgres.
func IsolatedMySQL(t testing.TB) string {
	t.Helper()
	return isolated(t, NewMySQLDatabase, MySQL(t))
}

// isolated makes a fresh database with create on the server of dsn, drops
// it when the test ends, and returns its DSN.
func isolated(t testing.TB, create func(dsn, name string) (string, func(), error), dsn string) string {
	t.Helper()
	iso, drop, err := create(dsn, Name(t, "iso"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	return iso
}

// NewPostgresDatabase creates database name on the server of dsn and
// returns a DSN that uses it, and a function that drops it.
func NewPostgresDatabase(dsn, name string) (string, func(), error) {
	drop, err := admin("pgx", dsn, "CREATE DATABASE "+name, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	if err != nil {
		return "", nil, err
	}
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path = "/" + name
		return u.String(), drop, nil
	}
	return dsn + " dbname=" + name, drop, nil
}

// NewPostgresSchema creates schema on the server of dsn and returns a DSN
// whose search path is that schema, and a function that drops it.
func NewPostgresSchema(dsn, schema string) (string, func(), error) {
	drop, err := admin("pgx", dsn, "CREATE SCHEMA "+schema, "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
	if err != nil {
		return "", nil, err
	}
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String(), drop, nil
	}
	return dsn + " search_path=" + schema, drop, nil
}

// NewMySQLDatabase creates database name on the server of dsn and returns
// a DSN that uses it, and a function that drops it.
func NewMySQLDatabase(dsn, name string) (string, func(), error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return "", nil, err
	}
	drop, err := admin("mysql", dsn, "CREATE DATABASE "+name, "DROP DATABASE IF EXISTS "+name)
	if err != nil {
		return "", nil, err
	}
	cfg.DBName = name
	return cfg.FormatDSN(), drop, nil
}

// admin runs create now and returns a function that runs drop.
func admin(driverName, dsn, create, drop string) (func(), error) {
	db, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if _, err := db.Exec(create); err != nil {
		return nil, fmt.Errorf("testdb: %w", err)
	}
	return func() {
		if db, err := sql.Open(driverName, dsn); err == nil {
			db.Exec(drop)
			db.Close()
		}
	}, nil
}
