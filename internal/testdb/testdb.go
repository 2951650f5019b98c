// Package testdb finds the database servers that tests run against. A test
// that needs a server calls Postgres or MySQL; when the server cannot be
// reached the test fails if CI is set and is skipped with a loud message
// otherwise:
//
//	dsn := testdb.Postgres(t)
//	table := testdb.Name(t, "mb") // a fresh table name for this test
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql" // "mysql", for the reachability check
	_ "github.com/jackc/pgx/v5/stdlib" // "pgx", for the reachability check
)

// Default addresses, overridden by SQLSEAL_TEST_POSTGRES_DSN and
// SQLSEAL_TEST_MYSQL_DSN.
const (
	DefaultPostgresDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	DefaultMySQLDSN    = "root@tcp(127.0.0.1:3306)/test"
)

// Postgres returns the DSN of the test PostgreSQL server.
func Postgres(t testing.TB) string {
	return reach(t, "pgx", "SQLSEAL_TEST_POSTGRES_DSN", DefaultPostgresDSN)
}

// MySQL returns the DSN of the test MySQL/MariaDB server (go-sql-driver
// form).
func MySQL(t testing.TB) string {
	return reach(t, "mysql", "SQLSEAL_TEST_MYSQL_DSN", DefaultMySQLDSN)
}

func reach(t testing.TB, driverName, env, def string) string {
	t.Helper()
	dsn := os.Getenv(env)
	if dsn == "" {
		dsn = def
	}
	db, err := sql.Open(driverName, dsn)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = db.PingContext(ctx)
		cancel()
		db.Close()
	}
	if err != nil {
		msg := "\n\n*** " + driverName + " test server unreachable (" + env + "): " + err.Error() + " ***\n*** start it (see docker-compose.yml) or set " + env + " ***\n"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return dsn
}

// Name returns a table name unique to this run, starting with prefix, so
// tests in parallel packages never share a table.
func Name(t testing.TB, prefix string) string {
	b := make([]byte, 5)
	rand.Read(b)
	return strings.ToLower(prefix + "_" + hex.EncodeToString(b))
}
