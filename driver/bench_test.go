package driver_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/config"
	sqlseal "github.com/sqlseal/sqlseal/driver"
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
	b.Helper()
	if len(benchPayload) != 1024 {
		b.Fatalf("payload is %d bytes", len(benchPayload))
	}
	connConfig, err := pgx.ParseConfig(testdb.Postgres(b))
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
	c, err := sqlseal.NewConnector(config.Config{SecretKey: testKey, Columns: []string{f.prot + ".details"}}, connConfig)
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

const benchWarmup = 200

func (f *benchFixture) side(side string) *sql.DB {
	if side == "pgx" {
		return f.pgx
	}
	return f.sealed
}

// benchSides runs one case as two sub-benchmarks, pgx then sqlseal.
func benchSides(b *testing.B, name string) {
	var c benchCase
	for _, bc := range benchCases {
		if bc.name == name {
			c = bc
		}
	}
	f := newBenchFixture(b)
	for _, side := range []string{"pgx", "sqlseal"} {
		b.Run(side, func(b *testing.B) {
			db, op := f.side(side), c.op(f, side)
			for i := range benchWarmup {
				require.NoError(b, op(db, i))
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if err := op(db, i); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func BenchmarkUnprotectedSelect(b *testing.B) { benchSides(b, "UnprotectedSelect") }
func BenchmarkProtectedSelect(b *testing.B)   { benchSides(b, "ProtectedSelect") }
func BenchmarkProtectedInsert(b *testing.B)   { benchSides(b, "ProtectedInsert") }

// BenchmarkRatio runs each case through both sides in alternating batches
// (pgx first in even batches, sqlseal first in odd ones) and reports the
// time per operation of each side and their ratio, x-pgx = sqlseal/pgx.
// ns/op counts one operation of each side.
func BenchmarkRatio(b *testing.B) {
	f := newBenchFixture(b)
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			ops := map[string]benchOp{"pgx": c.op(f, "pgx"), "sqlseal": c.op(f, "sqlseal")}
			for side, op := range ops {
				for i := range benchWarmup {
					require.NoError(b, op(f.side(side), i))
				}
			}
			const batch = 50
			spent := map[string]time.Duration{}
			run := func(side string, from, n int) {
				db, op := f.side(side), ops[side]
				start := time.Now()
				for i := from; i < from+n; i++ {
					if err := op(db, i); err != nil {
						b.Fatal(err)
					}
				}
				spent[side] += time.Since(start)
			}
			b.ResetTimer()
			for done, k := 0, 0; done < b.N; k++ {
				n := min(batch, b.N-done)
				order := []string{"pgx", "sqlseal"}
				if k%2 == 1 {
					order[0], order[1] = order[1], order[0]
				}
				for _, side := range order {
					run(side, done, n)
				}
				done += n
			}
			b.StopTimer()
			b.ReportMetric(float64(spent["pgx"].Nanoseconds())/float64(b.N), "pgx-ns/op")
			b.ReportMetric(float64(spent["sqlseal"].Nanoseconds())/float64(b.N), "sqlseal-ns/op")
			b.ReportMetric(float64(spent["sqlseal"])/float64(spent["pgx"]), "x-pgx")
		})
	}
}
