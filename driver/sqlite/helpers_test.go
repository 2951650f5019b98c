package sqlite_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	msqlite "modernc.org/sqlite"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/driver/sqlite"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

const (
	testKey  = "sqlite-test-key-0123456789abcdef"
	oldKey   = "sqlite-old-key-0123456789abcdefg"
	otherKey = "sqlite-other-key-0123456789abcde"

	secretJSON = `{"host":"db.internal","user":"metabase","password":"hunter2"}`
)

// probeCalls counts calls of the SQL function sqlseal_probe(), which
// returns 1: a statement that calls it and was refused never ran.
var probeCalls atomic.Int64

func init() {
	msqlite.MustRegisterScalarFunction("sqlseal_probe", 0, func(*msqlite.FunctionContext, []driver.Value) (driver.Value, error) {
		probeCalls.Add(1)
		return int64(1), nil
	})
}

// env is one test's database file with a protected table, a sealed and a
// raw connection. <table>.details is protected with testKey.
type env struct {
	t      *testing.T
	ctx    context.Context
	dsn    string
	table  string
	binary bool    // details is declared BLOB
	sealed *sql.DB // through sqlseal-sqlite
	raw    *sql.DB // plain modernc.org/sqlite: what is at rest
}

// newEnv creates a database file with a table (id INTEGER PRIMARY KEY,
// columnsDDL) and opens a sealed connection that protects its details
// column. With columnsDDL empty the table is not created.
func newEnv(t *testing.T, columnsDDL string) *env {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	dsn := "file:" + path + "?_pragma=busy_timeout(5000)"
	raw, err := sql.Open("sqlite", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { raw.Close() })
	e := &env{t: t, ctx: context.Background(), dsn: dsn, raw: raw, table: testdb.Name(t, "mb")}
	if columnsDDL != "" {
		e.rawExec(`CREATE TABLE ` + e.table + ` (id INTEGER PRIMARY KEY, ` + columnsDDL + `)`)
		e.binary = isBinaryDDL(columnsDDL)
	}
	e.sealed = e.open(e.config())
	return e
}

// isBinaryDDL reports whether the details column of columnsDDL is
// declared BLOB.
func isBinaryDDL(columnsDDL string) bool {
	for _, def := range strings.Split(columnsDDL, ",") {
		f := strings.Fields(strings.ToUpper(def))
		if len(f) >= 2 && strings.Trim(f[0], `"`) == "DETAILS" {
			return strings.Contains(f[1], "BLOB")
		}
	}
	return false
}

func (e *env) config() config.Config {
	return config.Config{SecretKey: testKey, Columns: []string{e.table + ".details"}}
}

func (e *env) open(cfg config.Config) *sql.DB {
	e.t.Helper()
	db, err := e.openErr(cfg)
	require.NoError(e.t, err)
	return db
}

// openErr opens a sealed pool with cfg and pings it, which connects and
// runs the connect-time checks.
func (e *env) openErr(cfg config.Config) (*sql.DB, error) {
	e.t.Helper()
	c, err := sqlite.NewConnector(cfg, e.dsn)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(c)
	e.t.Cleanup(func() { db.Close() })
	return db, db.Ping()
}

func (e *env) rawExec(q string, args ...any) {
	e.t.Helper()
	_, err := e.raw.Exec(q, args...)
	require.NoError(e.t, err, q)
}

func (e *env) exec(q string, args ...any) {
	e.t.Helper()
	_, err := e.sealed.Exec(q, args...)
	require.NoError(e.t, err, q)
}

// rawValue returns what is stored in column col of row id of table, as
// SQLite stores it (string for TEXT, []byte for BLOB, nil for NULL).
func (e *env) rawValue(table, col string, id int) any {
	e.t.Helper()
	var v any
	require.NoError(e.t, e.raw.QueryRow(`SELECT "`+col+`" FROM "`+table+`" WHERE id = ?`, id).Scan(&v))
	return v
}

func (e *env) rawDetails(id int) any { return e.rawValue(e.table, "details", id) }

// requireSealed proves that the stored details of row id is ciphertext
// that opens with testKey to want: base64 TEXT in a text column, a BLOB of
// raw bytes in a BLOB column.
func (e *env) requireSealed(id int, want string) {
	e.t.Helper()
	requireSealedValue(e.t, e.rawDetails(id), e.binary, want)
}

func requireSealedValue(t testing.TB, stored any, binary bool, want string) {
	t.Helper()
	require.Equal(t, want, testdb.OpenStored(t, testKey, stored, binary))
}

// sealText returns v sealed with key as a text column stores it.
func sealText(t testing.TB, key, v string) string {
	t.Helper()
	k, err := codec.DeriveKey(key)
	require.NoError(t, err)
	return k.SealText([]byte(v))
}

// readDetails reads details of row id through sqlseal.
func (e *env) readDetails(id int) string {
	e.t.Helper()
	var s string
	require.NoError(e.t, e.sealed.QueryRow(`SELECT details FROM `+e.table+` WHERE id = ?`, id).Scan(&s))
	return s
}

func (e *env) count(table string) int {
	e.t.Helper()
	var n int
	require.NoError(e.t, e.raw.QueryRow(`SELECT count(*) FROM "`+table+`"`).Scan(&n))
	return n
}
