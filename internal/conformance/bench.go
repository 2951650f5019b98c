package conformance

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/testdb"
)

// The benchmarks compare database/sql over the plain driver with
// database/sql over sqlseal, one connection each, on the same database in
// the same run. Sub-benchmarks plain and sqlseal give each side's ns/op
// and allocations; Ratio runs both sides in alternating batches within
// one benchmark and reports sqlseal's time over the plain driver's as
// x-plain, which is less sensitive to the machine's drift than two
// separate runs (targets: 1.03x unprotected, 1.10x protected; SQLite runs
// in the process, where a round trip costs microseconds, so sqlseal's
// fixed work per statement weighs more there).

// benchPayload is the 1 KiB details value.
var benchPayload = `{"host":"db.internal","user":"metabase","password":"hunter2","pad":"` +
	strings.Repeat("x", 1024-70) + `"}`

// benchRows is how many rows each table holds.
const benchRows = 100

// benchFixture holds a protected and an unprotected table of the same
// shape, each with benchRows rows, and a plain and a sealed pool of one
// connection each.
type benchFixture struct {
	b             *Backend
	plain, sealed *sql.DB
	prot, open    string // details is protected in prot, nothing in open
	protBin       string // details, a binary column, is protected
}

// benchOp is one operation, run through db; i counts the operations.
type benchOp func(db *sql.DB, i int) error

var errUnexpected = errors.New("the value read is not what this side should see")

// benchCases are the measured operations; op returns one for the plain
// side (sealed false) or sqlseal's.
var benchCases = []struct {
	name string
	op   func(f *benchFixture, sealed bool) benchOp
}{
	{"UnprotectedSelect", func(f *benchFixture, _ bool) benchOp { return f.selectOp(f.open, true) }},
	// The plain driver reads the stored ciphertext, sqlseal opens it.
	{"ProtectedSelect", func(f *benchFixture, sealed bool) benchOp { return f.selectOp(f.prot, sealed) }},
	// The plain driver inserts the plaintext, sqlseal seals it: the
	// server stores base64, a third more bytes.
	{"ProtectedInsert", func(f *benchFixture, _ bool) benchOp { return f.insertOp(f.prot) }},
	// The same in a binary column, which stores the raw ciphertext.
	{"ProtectedSelectBinary", func(f *benchFixture, sealed bool) benchOp { return f.selectOp(f.protBin, sealed) }},
	{"ProtectedInsertBinary", func(f *benchFixture, _ bool) benchOp { return f.insertOp(f.protBin) }},
}

// Benchmark runs the benchmarks against be: each case as two
// sub-benchmarks (plain, then sqlseal), and Ratio. setup runs first on
// each pool's connection (session settings such as PostgreSQL's
// synchronous_commit).
func Benchmark(b *testing.B, be *Backend, setup ...string) {
	f := newBenchFixture(b, be, setup)
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			testdb.BenchSides(b, "plain", f.plain, f.sealed, f.testdbOp(c.op))
		})
	}
	b.Run("Ratio", func(b *testing.B) {
		for _, c := range benchCases {
			b.Run(c.name, func(b *testing.B) {
				testdb.BenchRatio(b, "plain", f.plain, f.sealed, f.testdbOp(c.op))
			})
		}
	})
}

func newBenchFixture(b *testing.B, be *Backend, setup []string) *benchFixture {
	b.Helper()
	e := &Env{T: b, B: be, Ctx: context.Background(), Raw: be.Raw}
	f := &benchFixture{b: be, prot: e.Name("bench_prot"), open: e.Name("bench_plain"), protBin: e.Name("bench_bin")}
	f.plain = be.Raw
	e.Create(f.protBin, "name VARCHAR(100) NOT NULL, details "+be.BinaryTypes[0])
	var err error
	f.sealed, err = be.Open(b, e.ConfigFor(f.prot+".details", f.protBin+".details"))
	require.NoError(b, err)
	for _, db := range []*sql.DB{f.plain, f.sealed} {
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		for _, q := range setup {
			_, err := db.Exec(q)
			require.NoError(b, err, q)
		}
	}
	for _, tb := range []string{f.prot, f.open} {
		e.Create(tb, "name VARCHAR(100) NOT NULL, details TEXT")
	}
	ins := be.Q(`INSERT INTO ` + f.prot + ` (name, details) VALUES (?, ?)`)
	insBin := be.Q(`INSERT INTO ` + f.protBin + ` (name, details) VALUES (?, ?)`)
	insPlain := be.Q(`INSERT INTO ` + f.open + ` (name, details) VALUES (?, ?)`)
	for range benchRows {
		_, err = f.sealed.Exec(ins, "conn", benchPayload)
		require.NoError(b, err)
		_, err = f.sealed.Exec(insBin, "conn", []byte(benchPayload))
		require.NoError(b, err)
		_, err = f.plain.Exec(insPlain, "conn", benchPayload)
		require.NoError(b, err)
	}
	return f
}

// selectOp reads a row of table by primary key and checks what the
// application receives: the payload when wantPlain, else anything but it.
func (f *benchFixture) selectOp(table string, wantPlain bool) benchOp {
	q := f.b.Q(`SELECT id, name, details FROM ` + table + ` WHERE id = ?`)
	return func(db *sql.DB, i int) error {
		var id int64
		var name, details string
		if err := db.QueryRow(q, i%benchRows+1).Scan(&id, &name, &details); err != nil {
			return err
		}
		if (details == benchPayload) != wantPlain {
			return errUnexpected
		}
		return nil
	}
}

// insertOp inserts the payload into table, as a string into a text column
// and as bytes into a binary one.
func (f *benchFixture) insertOp(table string) benchOp {
	q := f.b.Q(`INSERT INTO ` + table + ` (name, details) VALUES (?, ?)`)
	var v any = benchPayload
	if table == f.protBin {
		v = []byte(benchPayload)
	}
	return func(db *sql.DB, _ int) error {
		_, err := db.Exec(q, "bench", v)
		return err
	}
}

// testdbOp adapts a case to testdb's benchmark runners; each side counts
// its own operations.
func (f *benchFixture) testdbOp(op func(*benchFixture, bool) benchOp) testdb.BenchOp {
	ops := map[bool]benchOp{false: op(f, false), true: op(f, true)}
	done := map[bool]int{}
	return func(b *testing.B, db *sql.DB, sealed bool) {
		if err := ops[sealed](db, done[sealed]); err != nil {
			b.Fatal(err)
		}
		done[sealed]++
	}
}
