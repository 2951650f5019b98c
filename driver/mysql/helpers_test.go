package mysql_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/driver/mysql"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

const (
	testKey  = "mysql-test-key-0123456789abcdef"
	oldKey   = "mysql-old-key-0123456789abcdefgh"
	otherKey = "mysql-other-key-0123456789abcdef"

	secretJSON = `{"host":"db.internal","user":"metabase","password":"hunter2"}`
)

// env is one test's protected table with a sealed and a raw connection.
// <table>.details is protected with testKey.
type env struct {
	t      *testing.T
	ctx    context.Context
	dsn    string
	table  string
	binary bool    // details is a BINARY/VARBINARY/BLOB column
	sealed *sql.DB // through sqlseal-mysql
	raw    *sql.DB // plain go-sql-driver/mysql: what is at rest
}

// newEnv creates a fresh table with an AUTO_INCREMENT id and columnsDDL,
// and opens a sealed connection that protects its details column. With
// columnsDDL empty the table is not created.
func newEnv(t *testing.T, columnsDDL string) *env {
	t.Helper()
	dsn := testdb.MySQL(t)
	raw, err := sql.Open("mysql", dsn)
	require.NoError(t, err)
	e := &env{t: t, ctx: context.Background(), dsn: dsn, raw: raw}
	t.Cleanup(func() { raw.Close() })
	e.table = e.name("mb")
	if columnsDDL != "" {
		e.rawExec("CREATE TABLE `" + e.table + "` (id INT AUTO_INCREMENT PRIMARY KEY, " + columnsDDL + ")")
		e.binary = isBinaryDDL(columnsDDL)
	}
	e.sealed = e.open(e.config())
	return e
}

// isBinaryDDL reports whether the details column of columnsDDL has a
// binary type.
func isBinaryDDL(columnsDDL string) bool {
	for _, def := range strings.Split(columnsDDL, ",") {
		f := strings.Fields(strings.ToUpper(def))
		if len(f) >= 2 && strings.Trim(f[0], "`") == "DETAILS" {
			return strings.Contains(f[1], "BLOB") || strings.Contains(f[1], "BINARY")
		}
	}
	return false
}

// name returns a fresh table name that is dropped when the test ends.
func (e *env) name(prefix string) string {
	n := testdb.Name(e.t, prefix)
	e.t.Cleanup(func() { e.raw.Exec("DROP TABLE IF EXISTS `" + n + "`") })
	return n
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
	mc, err := gomysql.ParseDSN(e.dsn)
	require.NoError(e.t, err)
	c, err := mysql.NewConnector(cfg, mc)
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

// rawValue returns what is stored in column col of row id of table.
func (e *env) rawValue(table, col string, id int) []byte {
	e.t.Helper()
	var v []byte
	require.NoError(e.t, e.raw.QueryRow("SELECT `"+col+"` FROM `"+table+"` WHERE id = ?", id).Scan(&v))
	return v
}

// rawDetails returns what is stored in details for row id.
func (e *env) rawDetails(id int) []byte { return e.rawValue(e.table, "details", id) }

// requireSealed proves that the stored details of row id is ciphertext
// that opens with testKey to want: base64 text in a text column, raw bytes
// in a binary one.
func (e *env) requireSealed(id int, want string) {
	e.t.Helper()
	requireSealedValue(e.t, e.rawDetails(id), e.binary, want)
}

func requireSealedValue(t testing.TB, stored []byte, binary bool, want string) {
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
	require.NoError(e.t, e.sealed.QueryRow("SELECT details FROM `"+e.table+"` WHERE id = ?", id).Scan(&s))
	return s
}

func (e *env) count(table string) int {
	e.t.Helper()
	var n int
	require.NoError(e.t, e.raw.QueryRow("SELECT COUNT(*) FROM `"+table+"`").Scan(&n))
	return n
}
