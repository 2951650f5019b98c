package driver_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/config"
	sqlsealpg "github.com/sqlseal/sqlseal/driver"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// The benchmarks compare sqlseal with plain pgx, both through database/sql
// with one connection each, so every operation is one round trip to the
// local server. Sub-benchmarks pgx and sqlseal give each side's ns/op and
// allocations; BenchmarkRatio runs both sides in alternating batches within
// one benchmark and reports sqlseal's time over pgx's as x-pgx, which is
// less sensitive to the machine's drift than two separate runs.
//
// Commits are asynchronous (synchronous_commit=off for these sessions), so
// that INSERT measures the drivers and the server rather than the disk's
// fsync latency. SQLSEAL_BENCH_SYNCHRONOUS_COMMIT=on measures with the
// server's durable commits instead.

// benchPayload is the 1 KiB details value.
var benchPayload = `{"host":"db.internal","user":"metabase","password":"hunter2","pad":"` +
	strings.Repeat("x", 1024-70) + `"}`

// benchFixture holds a protected and an unprotected table of the same
// shape, each with benchRows rows, and a plain pgx and a sealed *sql.DB.
type benchFixture struct {
	ctx    context.Context
	pgx    *sql.DB
	sealed *sql.DB
	prot   string // details is protected
	plain  string // nothing is protected
}

const benchRows = 100

func newBenchFixture(b *testing.B) *benchFixture {
	return newBenchFixtureAt(b, testdb.Postgres(b), nil)
}

// newBenchFixtureAt makes the fixture on the database of dsn; prepare, if
// set, runs on the plain connection before sqlseal connects.
func newBenchFixtureAt(b *testing.B, dsn string, prepare func(raw *sql.DB)) *benchFixture {
	b.Helper()
	if len(benchPayload) != 1024 {
		b.Fatalf("payload is %d bytes", len(benchPayload))
	}
	connConfig, err := pgx.ParseConfig(dsn)
	require.NoError(b, err)
	syncCommit := "off"
	if v := os.Getenv("SQLSEAL_BENCH_SYNCHRONOUS_COMMIT"); v != "" {
		syncCommit = v
	}
	connConfig.RuntimeParams["synchronous_commit"] = syncCommit
	f := &benchFixture{ctx: context.Background(), prot: testdb.Name(b, "bench_prot"), plain: testdb.Name(b, "bench_plain")}
	f.pgx = stdlib.OpenDB(*connConfig)
	b.Cleanup(func() {
		f.pgx.Exec(`DROP TABLE IF EXISTS ` + f.prot + `, ` + f.plain)
		f.pgx.Close()
	})
	for _, tb := range []string{f.prot, f.plain} {
		_, err = f.pgx.Exec(`CREATE TABLE ` + tb + ` (id serial PRIMARY KEY, name text NOT NULL, details text)`)
		require.NoError(b, err)
	}
	if prepare != nil {
		prepare(f.pgx)
	}
	c, err := sqlsealpg.NewConnector(config.Config{SecretKey: testKey, Columns: []string{f.prot + ".details"}}, connConfig)
	require.NoError(b, err)
	f.sealed = sql.OpenDB(c)
	b.Cleanup(func() { f.sealed.Close() })
	for _, db := range []*sql.DB{f.pgx, f.sealed} {
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		var sc string
		require.NoError(b, db.QueryRow(`SHOW synchronous_commit`).Scan(&sc))
		require.Equal(b, syncCommit, sc)
	}
	for range benchRows {
		_, err = f.sealed.Exec(`INSERT INTO `+f.prot+` (name, details) VALUES ($1, $2)`, "conn", benchPayload)
		require.NoError(b, err)
		_, err = f.pgx.Exec(`INSERT INTO `+f.plain+` (name, details) VALUES ($1, $2)`, "conn", benchPayload)
		require.NoError(b, err)
	}
	return f
}

// benchOp is one operation, run through db; i counts the operations.
type benchOp func(db *sql.DB, i int) error

// selectOp reads a row of table by primary key and checks what the
// application receives: the payload when wantPlain, else anything but it.
func (f *benchFixture) selectOp(table string, wantPlain bool) benchOp {
	q := `SELECT id, name, details FROM ` + table + ` WHERE id = $1`
	return func(db *sql.DB, i int) error {
		var id int64
		var name, details string
		if err := db.QueryRowContext(f.ctx, q, i%benchRows+1).Scan(&id, &name, &details); err != nil {
			return err
		}
		if (details == benchPayload) != wantPlain {
			return errUnexpected
		}
		return nil
	}
}

func (f *benchFixture) insertOp() benchOp {
	q := `INSERT INTO ` + f.prot + ` (name, details) VALUES ($1, $2)`
	return func(db *sql.DB, _ int) error {
		_, err := db.ExecContext(f.ctx, q, "bench", benchPayload)
		return err
	}
}

var errUnexpected = errors.New("the value read is not what this side should see")

// benchCase is one measured operation; op returns it for side "pgx" or
// "sqlseal".
type benchCase struct {
	name string
	op   func(f *benchFixture, side string) benchOp
}

var benchCases = []benchCase{
	{"UnprotectedSelect", func(f *benchFixture, _ string) benchOp { return f.selectOp(f.plain, true) }},
	// pgx reads the stored ciphertext, sqlseal opens it.
	{"ProtectedSelect", func(f *benchFixture, side string) benchOp { return f.selectOp(f.prot, side == "sqlseal") }},
	// pgx inserts the plaintext, sqlseal seals it.
	{"ProtectedInsert", func(f *benchFixture, _ string) benchOp { return f.insertOp() }},
}

// testdbOp adapts a case to testdb's benchmark runners; each side counts
// its own operations.
func (f *benchFixture) testdbOp(c benchCase) testdb.BenchOp {
	ops := map[bool]benchOp{false: c.op(f, "pgx"), true: c.op(f, "sqlseal")}
	done := map[bool]int{}
	return func(b *testing.B, db *sql.DB, sealed bool) {
		if err := ops[sealed](db, done[sealed]); err != nil {
			b.Fatal(err)
		}
		done[sealed]++
	}
}

func benchCaseNamed(name string) benchCase {
	for _, c := range benchCases {
		if c.name == name {
			return c
		}
	}
	panic("no bench case " + name)
}

// benchSides runs one case as two sub-benchmarks, pgx then sqlsealpg.
func benchSides(b *testing.B, name string) {
	f := newBenchFixture(b)
	testdb.BenchSides(b, "pgx", f.pgx, f.sealed, f.testdbOp(benchCaseNamed(name)))
}

func BenchmarkUnprotectedSelect(b *testing.B) { benchSides(b, "UnprotectedSelect") }
func BenchmarkProtectedSelect(b *testing.B)   { benchSides(b, "ProtectedSelect") }
func BenchmarkProtectedInsert(b *testing.B)   { benchSides(b, "ProtectedInsert") }

// BenchmarkRatio runs each case through both sides in alternating batches
// and reports each side's time per operation and x-pgx = sqlseal / pgx.
func BenchmarkRatio(b *testing.B) {
	f := newBenchFixture(b)
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			testdb.BenchRatio(b, "pgx", f.pgx, f.sealed, f.testdbOp(c))
		})
	}
}
