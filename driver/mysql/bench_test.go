package mysql_test

import (
	"database/sql"
	"strings"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/driver/mysql"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// The benchmarks compare database/sql over plain go-sql-driver/mysql with
// database/sql over sqlseal-mysql, one connection each, on the same table
// in the same run. The plain side reads the same rows (ciphertext) and
// writes plaintext.

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
	dsn := testdb.MySQL(b)
	plain, err := sql.Open("mysql", dsn)
	require.NoError(b, err)
	plain.SetMaxOpenConns(1)
	plain.SetMaxIdleConns(1)
	table := testdb.Name(b, "bench")
	b.Cleanup(func() {
		plain.Exec("DROP TABLE IF EXISTS `" + table + "`")
		plain.Close()
	})
	_, err = plain.Exec("CREATE TABLE `" + table + "` (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100), details TEXT)")
	require.NoError(b, err)
	mc, err := gomysql.ParseDSN(dsn)
	require.NoError(b, err)
	c, err := mysql.NewConnector(config.Config{SecretKey: testKey, Columns: []string{table + ".details"}}, mc)
	require.NoError(b, err)
	sealed := sql.OpenDB(c)
	sealed.SetMaxOpenConns(1)
	sealed.SetMaxIdleConns(1)
	b.Cleanup(func() { sealed.Close() })
	_, err = sealed.Exec("INSERT INTO `"+table+"` (name, details) VALUES (?, ?)", "bench", benchDetails)
	require.NoError(b, err)
	return &benchEnv{table: table, plain: plain, sealed: sealed}
}

// benchOp is one operation of a benchmark against db.
type benchOp = testdb.BenchOp

func (e *benchEnv) unprotectedSelect() benchOp {
	q := "SELECT id, name FROM `" + e.table + "` WHERE id = ?"
	return func(b *testing.B, db *sql.DB, _ bool) {
		var id int
		var name string
		if err := db.QueryRow(q, 1).Scan(&id, &name); err != nil || name != "bench" {
			b.Fatal(err, name)
		}
	}
}

func (e *benchEnv) protectedSelect() benchOp {
	q := "SELECT details FROM `" + e.table + "` WHERE id = ?"
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
	q := "INSERT INTO `" + e.table + "` (name, details) VALUES (?, ?)"
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
// case (targets: 1.03x unprotected, 1.10x protected).
func BenchmarkRatio(b *testing.B) {
	e := newBenchEnv(b)
	b.Run("UnprotectedSelect", func(b *testing.B) { testdb.BenchRatio(b, "plain", e.plain, e.sealed, e.unprotectedSelect()) })
	b.Run("ProtectedSelect", func(b *testing.B) { testdb.BenchRatio(b, "plain", e.plain, e.sealed, e.protectedSelect()) })
	b.Run("ProtectedInsert", func(b *testing.B) { testdb.BenchRatio(b, "plain", e.plain, e.sealed, e.protectedInsert()) })
}
