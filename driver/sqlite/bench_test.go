package sqlite_test

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/driver/sqlite"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// The benchmarks compare database/sql over plain modernc.org/sqlite with
// database/sql over sqlseal-sqlite, one connection each, on the same
// database file (WAL, synchronous=NORMAL) in the same run. The plain side
// reads the same rows (ciphertext) and writes plaintext. SQLite runs in
// the process, so a "round trip" costs microseconds and sqlseal's fixed
// per-statement work weighs more than against a network server.

// benchDetails is 1 KiB of connection details.
var benchDetails = func() string {
	const head, tail = `{"host":"db.internal","user":"metabase","password":"`, `"}`
	return head + strings.Repeat("p", 1024-len(head)-len(tail)) + tail
}()

type benchEnv struct {
	table  string
	plain  *sql.DB
	sealed *sql.DB
}

func newBenchEnv(b *testing.B) *benchEnv {
	b.Helper()
	dsn := "file:" + filepath.Join(b.TempDir(), "bench.db") +
		"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	plain, err := sql.Open("sqlite", dsn)
	require.NoError(b, err)
	plain.SetMaxOpenConns(1)
	plain.SetMaxIdleConns(1)
	b.Cleanup(func() { plain.Close() })
	table := testdb.Name(b, "bench")
	_, err = plain.Exec(`CREATE TABLE ` + table + ` (id INTEGER PRIMARY KEY, name TEXT, details TEXT)`)
	require.NoError(b, err)
	c, err := sqlite.NewConnector(config.Config{SecretKey: testKey, Columns: []string{table + ".details"}}, dsn)
	require.NoError(b, err)
	sealed := sql.OpenDB(c)
	sealed.SetMaxOpenConns(1)
	sealed.SetMaxIdleConns(1)
	b.Cleanup(func() { sealed.Close() })
	_, err = sealed.Exec(`INSERT INTO `+table+` (name, details) VALUES (?, ?)`, "bench", benchDetails)
	require.NoError(b, err)
	return &benchEnv{table: table, plain: plain, sealed: sealed}
}

// benchOp is one operation of a benchmark against db.
type benchOp = testdb.BenchOp

func (e *benchEnv) unprotectedSelect() benchOp {
	q := `SELECT id, name FROM ` + e.table + ` WHERE id = ?`
	return func(b *testing.B, db *sql.DB, _ bool) {
		var id int
		var name string
		if err := db.QueryRow(q, 1).Scan(&id, &name); err != nil || name != "bench" {
			b.Fatal(err, name)
		}
	}
}

func (e *benchEnv) protectedSelect() benchOp {
	q := `SELECT details FROM ` + e.table + ` WHERE id = ?`
	return func(b *testing.B, db *sql.DB, sealed bool) {
		var s sql.RawBytes
		rows, err := db.Query(q, 1)
		if err != nil {
			b.Fatal(err)
		}
		if !rows.Next() {
			b.Fatal("no row")
		}
		if err := rows.Scan(&s); err != nil {
			b.Fatal(err)
		}
		if sealed && len(s) != len(benchDetails) {
			b.Fatalf("read %d bytes", len(s))
		}
		rows.Close()
	}
}

func (e *benchEnv) protectedInsert() benchOp {
	q := `INSERT INTO ` + e.table + ` (name, details) VALUES (?, ?)`
	return func(b *testing.B, db *sql.DB, _ bool) {
		if _, err := db.Exec(q, "insert", benchDetails); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnprotectedSelect(b *testing.B) {
	e := newBenchEnv(b)
	testdb.BenchSides(b, "plain", e.plain, e.sealed, e.unprotectedSelect())
}

func BenchmarkProtectedSelect(b *testing.B) {
	e := newBenchEnv(b)
	testdb.BenchSides(b, "plain", e.plain, e.sealed, e.protectedSelect())
}

func BenchmarkProtectedInsert(b *testing.B) {
	e := newBenchEnv(b)
	testdb.BenchSides(b, "plain", e.plain, e.sealed, e.protectedInsert())
}

// BenchmarkRatio reports sqlseal's time over the plain driver's for each
// case (targets: 1.03x unprotected, 1.10x protected; see the note at the
// top of this file).
func BenchmarkRatio(b *testing.B) {
	e := newBenchEnv(b)
	b.Run("UnprotectedSelect", func(b *testing.B) { testdb.BenchRatio(b, "plain", e.plain, e.sealed, e.unprotectedSelect()) })
	b.Run("ProtectedSelect", func(b *testing.B) { testdb.BenchRatio(b, "plain", e.plain, e.sealed, e.protectedSelect()) })
	b.Run("ProtectedInsert", func(b *testing.B) { testdb.BenchRatio(b, "plain", e.plain, e.sealed, e.protectedInsert()) })
}
