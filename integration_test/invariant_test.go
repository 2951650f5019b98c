package integration_test

import (
	"context"
	"database/sql"
	sqldriver "database/sql/driver"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/driver"
	sealmysql "github.com/sqlseal/sqlseal/driver/mysql"
	sealsqlite "github.com/sqlseal/sqlseal/driver/sqlite"
	"github.com/sqlseal/sqlseal/internal/invariant"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// The invariant fuzzers run sequences of hostile statements (see package
// invariant) through sqlseal against the real PostgreSQL, MariaDB and
// SQLite, and after each statement the driver lets through scan the
// protected column with the plain driver: every value must be sealed with
// the key and none may be a planted ciphertext moved in unsealed, and no
// value read through sqlseal may be the plaintext of a ciphertext planted
// in an unprotected column. `go test` runs the committed seeds
// (testdata/fuzz); `go test -run=^$ -fuzz=FuzzInvariantPostgres` explores.

const invariantKey = "invariant-key-0123456789abcdef"

// invariantSeeds are inputs that start with each kind of step (the first
// byte chooses it), followed by the same step with other choices.
func invariantSeeds() [][]byte {
	var out [][]byte
	for kind := byte(0); kind < 14; kind++ {
		out = append(out,
			[]byte{kind},
			[]byte{kind, 1, 2, 3, 4, 5, 6, 7, kind, 3, 1, 4, 1, 5, 9, 2},
			[]byte{kind, 9, 7, 5, 3, 1, 8, 6, 4, 2, 0, 255, 128, 64, 32, 16, 8, 4, 2, 1})
	}
	return out
}

// fuzzInvariant runs the fuzz target for one backend.
func fuzzInvariant(f *testing.F, h *invariant.Harness) {
	for _, s := range invariantSeeds() {
		f.Add(s)
	}
	f.Cleanup(func() {
		f.Logf("%s: %d statements, %d let through by sqlseal", h.Dialect.Name, h.Statements, h.Passed)
	})
	// SQLSEAL_INVARIANT_STATS names a directory where each fuzzing process
	// keeps its counts, for reports of long runs.
	stats := os.Getenv("SQLSEAL_INVARIANT_STATS")
	inputs := 0
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := h.Run(invariant.Steps(h.Dialect, data, h.Names)); err != nil {
			t.Fatal(err)
		}
		if inputs++; stats != "" && inputs%50 == 0 {
			line := fmt.Sprintf("%s inputs=%d statements=%d passed=%d\n", h.Dialect.Name, inputs, h.Statements, h.Passed)
			os.WriteFile(filepath.Join(stats, fmt.Sprintf("%s-%d", h.Dialect.Name, os.Getpid())), []byte(line), 0o644)
		}
	})
}

func invariantKeyOf(f *testing.F) *codec.Key {
	k, err := invariantKeyOfT(f)
	if err != nil {
		f.Fatal(err)
	}
	return k
}

// invariantKeyOfT derives the key of the invariant tests.
func invariantKeyOfT(testing.TB) (*codec.Key, error) { return codec.DeriveKey(invariantKey) }

func FuzzInvariantPostgres(f *testing.F) {
	dsn := testdb.Postgres(f)
	fast, err := pgx.ParseConfig(dsn)
	if err != nil {
		f.Fatal(err)
	}
	fast.RuntimeParams["synchronous_commit"] = "off" // resets need no durability
	raw := stdlib.OpenDB(*fast)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { raw.Close() })
	n := invariant.Names{Table: testdb.Name(f, "inv"), Other: testdb.Name(f, "inv_o"), Schema: testdb.Name(f, "inv_evil"), Home: "public"}
	pgRows := func(seal func(string) string) []stmtArgs {
		return []stmtArgs{
			{`INSERT INTO ` + n.Table + ` VALUES (1, 'n1', $1), (2, 'n2', NULL), (3, 'n3', $2)`, []any{seal("REAL:1"), seal("REAL:3")}},
			{`INSERT INTO ` + n.Other + ` VALUES (1, $1), (2, $2), (3, 'plain note')`, []any{seal("STOLEN:1"), seal("STOLEN:2")}},
			{`INSERT INTO ` + n.Schema + `.` + n.Table + ` VALUES (1, 'e', $1)`, []any{seal("STOLEN:3")}},
		}
	}
	drop := func(ctx context.Context) {
		raw.ExecContext(ctx, `DROP TABLE IF EXISTS `+n.Table+`, `+n.Table+`_away, `+n.Other+` CASCADE`)
		raw.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+n.Schema+` CASCADE`)
	}
	connConfig, err := pgx.ParseConfig(dsn)
	if err != nil {
		f.Fatal(err)
	}
	fuzzServer(f, invariant.Postgres, n, raw, drop, []string{
		`CREATE SCHEMA ` + n.Schema,
		`CREATE TABLE ` + n.Table + ` (id int PRIMARY KEY, name text, details text)`,
		`CREATE TABLE ` + n.Other + ` (id int, note text)`,
		`CREATE TABLE ` + n.Schema + `.` + n.Table + ` (id int, name text, details text)`,
	}, []string{n.Table, n.Other, n.Schema + `.` + n.Table}, pgRows,
		`SELECT details FROM `+n.Home+`.`+n.Table+` WHERE details IS NOT NULL`,
		func(cfg config.Config) (*sql.DB, error) { return onePool(driver.NewConnector(cfg, connConfig.Copy())) })
}

func FuzzInvariantMySQL(f *testing.F) {
	dsn := testdb.MySQL(f)
	raw, err := sql.Open("mysql", dsn)
	if err != nil {
		f.Fatal(err)
	}
	raw.SetMaxOpenConns(1)
	f.Cleanup(func() { raw.Close() })
	n := invariant.Names{Table: testdb.Name(f, "inv"), Other: testdb.Name(f, "inv_o"), Schema: testdb.Name(f, "inv_evil")}
	if err := raw.QueryRow(`SELECT DATABASE()`).Scan(&n.Home); err != nil {
		f.Fatal(err)
	}
	drop := func(ctx context.Context) {
		raw.ExecContext(ctx, "DROP TABLE IF EXISTS `"+n.Table+"`, `"+n.Table+"_away`, `"+n.Other+"`")
		raw.ExecContext(ctx, "DROP DATABASE IF EXISTS `"+n.Schema+"`")
	}
	myRows := func(seal func(string) string) []stmtArgs {
		return []stmtArgs{
			{"INSERT INTO `" + n.Table + "` VALUES (1, 'n1', ?), (2, 'n2', NULL), (3, 'n3', ?)", []any{seal("REAL:1"), seal("REAL:3")}},
			{"INSERT INTO `" + n.Other + "` VALUES (1, ?), (2, ?), (3, 'plain note')", []any{seal("STOLEN:1"), seal("STOLEN:2")}},
			{"INSERT INTO `" + n.Schema + "`.`" + n.Table + "` VALUES (1, 'e', ?)", []any{seal("STOLEN:3")}},
		}
	}
	mc, err := gomysql.ParseDSN(dsn)
	if err != nil {
		f.Fatal(err)
	}
	mc.MultiStatements = true
	fuzzServer(f, invariant.MySQL, n, raw, drop, []string{
		"CREATE DATABASE `" + n.Schema + "`",
		"CREATE TABLE `" + n.Table + "` (id INT PRIMARY KEY, name TEXT, details TEXT)",
		"CREATE TABLE `" + n.Other + "` (id INT, note TEXT)",
		"CREATE TABLE `" + n.Schema + "`.`" + n.Table + "` (id INT, name TEXT, details TEXT)",
	}, []string{"`" + n.Table + "`", "`" + n.Other + "`", "`" + n.Schema + "`.`" + n.Table + "`"}, myRows,
		"SELECT details FROM `"+n.Home+"`.`"+n.Table+"` WHERE details IS NOT NULL",
		func(cfg config.Config) (*sql.DB, error) { return onePool(sealmysql.NewConnector(cfg, mc.Clone())) })
}

// fuzzServer runs the fuzz target on a server backend whose names are n.
// Reset drops every table and schema of n (drop, also run when the fuzz
// test ends), creates them (ddl) and fills them (rows); Refill empties
// tables and fills them again; AtRest reads the protected column with
// atRest; open opens sqlseal on the server with a configuration.
func fuzzServer(f *testing.F, d *invariant.Dialect, n invariant.Names, raw *sql.DB, drop func(context.Context),
	ddl, tables []string, rows func(seal func(string) string) []stmtArgs, atRest string, open func(config.Config) (*sql.DB, error)) {
	f.Cleanup(func() { drop(context.Background()) })
	deletes := make([]string, len(tables))
	for i, tb := range tables {
		deletes[i] = `DELETE FROM ` + tb
	}
	cfg := config.Config{SecretKey: invariantKey, Columns: []string{n.Home + "." + n.Table + ".details"}}
	fuzzInvariant(f, &invariant.Harness{
		Dialect: d,
		Names:   n,
		Key:     invariantKeyOf(f),
		Reset: func(ctx context.Context, seal func(string) string) error {
			drop(ctx)
			return execAll(ctx, raw, ddl, rows(seal))
		},
		Refill: func(ctx context.Context, seal func(string) string) error {
			return execAll(ctx, raw, deletes, rows(seal))
		},
		Open:   func() (*sql.DB, error) { return open(cfg) },
		AtRest: func(ctx context.Context) ([]any, error) { return column(ctx, raw, atRest) },
	})
}

func FuzzInvariantSQLite(f *testing.F) {
	dsn := "file:" + filepath.Join(f.TempDir(), "inv.db") + "?_pragma=busy_timeout(5000)"
	raw, err := sql.Open("sqlite", dsn)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { raw.Close() })
	n := invariant.Names{Table: "inv", Other: "inv_o", Schema: "temp", Home: "main"}
	cfg := config.Config{SecretKey: invariantKey, Columns: []string{"main." + n.Table + ".details"}}
	fuzzInvariant(f, &invariant.Harness{
		Dialect: invariant.SQLite,
		Names:   n,
		Key:     invariantKeyOf(f),
		Reset: func(ctx context.Context, seal func(string) string) error {
			return execAll(ctx, raw, []string{
				`DROP TABLE IF EXISTS inv`, `DROP TABLE IF EXISTS inv_away`, `DROP TABLE IF EXISTS inv_o`,
				`CREATE TABLE inv (id INTEGER PRIMARY KEY, name TEXT, details TEXT)`,
				`CREATE TABLE inv_o (id INTEGER, note TEXT)`,
			}, []stmtArgs{
				{`INSERT INTO inv VALUES (1, 'n1', ?), (2, 'n2', NULL), (3, 'n3', ?)`, []any{seal("REAL:1"), seal("REAL:3")}},
				{`INSERT INTO inv_o VALUES (1, ?), (2, ?), (3, 'plain note')`, []any{seal("STOLEN:1"), seal("STOLEN:2")}},
			})
		},
		Open: func() (*sql.DB, error) {
			return onePool(sealsqlite.NewConnector(cfg, dsn))
		},
		AtRest: func(ctx context.Context) ([]any, error) {
			return column(ctx, raw, `SELECT details FROM main.inv WHERE details IS NOT NULL`)
		},
	})
}

// stmtArgs is one statement with its arguments.
type stmtArgs struct {
	sql  string
	args []any
}

// execAll runs ddl, then each of rows, stopping at the first error.
func execAll(ctx context.Context, db *sql.DB, ddl []string, rows []stmtArgs) error {
	for _, q := range ddl {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	for _, r := range rows {
		if _, err := db.ExecContext(ctx, r.sql, r.args...); err != nil {
			return err
		}
	}
	return nil
}

// onePool opens a pool of one connection of c, a connector made with
// error err.
func onePool(c sqldriver.Connector, err error) (*sql.DB, error) {
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(1)
	return db, nil
}

// column returns the values of the first column of a query.
func column(ctx context.Context, db *sql.DB, q string) ([]any, error) {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []any
	for rows.Next() {
		var v any
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
