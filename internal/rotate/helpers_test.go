package rotate

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite" // "sqlite"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// Test secrets (16+ characters).
const (
	secretOld   = "rotate-test-old-secret-0001"
	secretNew   = "rotate-test-new-secret-0002"
	secretPrev  = "rotate-test-previous-secret-3"
	secretOther = "rotate-test-unknown-secret-44"
)

func mustKey(t testing.TB, secret string) *codec.Key {
	t.Helper()
	k, err := codec.DeriveKey(secret)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// mustRotate runs Rotate and fails the test on an error.
func mustRotate(t testing.TB, db *sql.DB, opts Options) *Summary {
	t.Helper()
	sum, err := Rotate(bg, db, opts)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// backend is one database the tests run against.
type backend struct {
	dialect Family
	driver  string
	dsn     func(t testing.TB) string
	// columns is the column list of the standard test table: a key, a
	// text column and a binary column.
	columns string
}

var backends = []backend{
	{Postgres, "pgx", testdb.Postgres, "id bigint PRIMARY KEY, details text, payload bytea"},
	{MySQL, "mysql", testdb.MySQL, "id bigint PRIMARY KEY, details longtext, payload longblob"},
	{SQLite, "sqlite", sqliteDSN, "id integer PRIMARY KEY, details text, payload blob"},
}

// sqliteDSN returns a fresh database file in the test's temporary
// directory.
func sqliteDSN(t testing.TB) string {
	return "file:" + filepath.Join(t.TempDir(), "test.db") + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)"
}

// forEachBackend runs fn as a subtest per dialect. A dialect whose catalog
// does not exist in this build is skipped loudly.
func forEachBackend(t *testing.T, fn func(t *testing.T, b backend, db *sql.DB)) {
	for _, b := range backends {
		t.Run(string(b.dialect), func(t *testing.T) {
			if _, err := catalogFor(b.dialect); err != nil {
				t.Skipf("*** no catalog for %s in this build: %v ***", b.dialect, err)
			}
			fn(t, b, openDB(t, b))
		})
	}
}

// openDB opens b's test database.
func openDB(t testing.TB, b backend) *sql.DB {
	t.Helper()
	db, err := sql.Open(b.driver, b.dsn(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// createTable creates a fresh table with b's standard columns (or cols)
// and drops it at the end of the test.
func createTable(t testing.TB, db *sql.DB, b backend, prefix, cols string) string {
	t.Helper()
	if cols == "" {
		cols = b.columns
	}
	name := testdb.Name(t, prefix)
	mustExec(t, db, fmt.Sprintf("CREATE TABLE %s (%s)", name, cols))
	t.Cleanup(func() { db.Exec("DROP TABLE " + name) })
	return name
}

func mustExec(t testing.TB, db *sql.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// placeholders returns n placeholders for b, numbered from first.
func placeholders(b backend, first, n int) []string {
	cat, _ := catalogFor(b.dialect)
	ph := make([]string, n)
	for i := range ph {
		if cat != nil {
			ph[i] = cat.Placeholder(first + i)
		} else {
			ph[i] = fmt.Sprintf("$%d", first+i)
		}
	}
	return ph
}

// testRow is one row of the standard table: its id and the raw stored
// values of details (text) and payload (binary); nil is NULL.
type testRow struct {
	id      int64
	details any // nil or string
	payload any // nil or []byte
}

// insertRows inserts rows into table in multi-row statements.
func insertRows(t testing.TB, db *sql.DB, b backend, table string, rows []testRow) {
	t.Helper()
	const per = 200
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		var tuples []string
		var args []any
		for i, r := range chunk {
			ph := placeholders(b, 3*i+1, 3)
			tuples = append(tuples, "("+strings.Join(ph, ", ")+")")
			args = append(args, r.id, r.details, r.payload)
		}
		mustExec(t, db, "INSERT INTO "+table+" (id, details, payload) VALUES "+strings.Join(tuples, ", "), args...)
	}
}

// readRows returns every row of table by id, values as stored.
func readRows(t testing.TB, db *sql.DB, table string) map[int64]testRow {
	t.Helper()
	rows, err := db.Query("SELECT id, details, payload FROM " + table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]testRow{}
	for rows.Next() {
		var r testRow
		var d, p value
		if err := rows.Scan(&r.id, &d, &p); err != nil {
			t.Fatal(err)
		}
		if !d.null {
			r.details = d.text()
		}
		if !p.null {
			r.payload = append([]byte{}, p.bytes()...)
		}
		out[r.id] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// cfgFor is a configuration protecting table's details and payload.
func cfgFor(table, current string, previous ...string) config.Config {
	return config.Config{
		SecretKey:          current,
		PreviousSecretKeys: previous,
		Columns:            []string{table + ".details", table + ".payload"},
	}
}

// openText opens a stored text value with key and returns the plaintext,
// failing the test if it does not open.
func openText(t testing.TB, key *codec.Key, stored any, what string) string {
	t.Helper()
	return openStored(t, stored, what, "a string", key.OpenText)
}

// openRaw is openText for a binary value.
func openRaw(t testing.TB, key *codec.Key, stored any, what string) string {
	t.Helper()
	return openStored(t, stored, what, "bytes", key.Open)
}

// openStored opens stored, which must be a T (kind says which), with open.
func openStored[T any](t testing.TB, stored any, what, kind string, open func(T) ([]byte, error)) string {
	t.Helper()
	v, ok := stored.(T)
	if !ok {
		t.Fatalf("%s: stored %T, want %s", what, stored, kind)
	}
	pt, err := open(v)
	if err != nil {
		t.Fatalf("%s: does not open with the expected key: %v", what, err)
	}
	return string(pt)
}

var bg = context.Background()
