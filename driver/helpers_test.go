package driver_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/driver"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

const (
	testKey  = "driver-test-key-0123456789abcdef"
	otherKey = "another-test-key-0123456789abcdef"
)

// env is one test's table with a sealed and a raw connection.
type env struct {
	t      *testing.T
	table  string
	dsn    string
	sealed *sql.DB // through sqlseal
	raw    *sql.DB // plain pgx: what is at rest
	ctx    context.Context
}

// newEnv creates a fresh table (columnsDDL after the id column) whose
// details column is protected with testKey.
func newEnv(t *testing.T, columnsDDL string) *env {
	t.Helper()
	dsn := testdb.Postgres(t)
	e := &env{t: t, table: testdb.Name(t, "mb"), dsn: dsn, ctx: context.Background()}
	var err error
	e.raw, err = sql.Open("pgx", dsn)
	require.NoError(t, err)
	t.Cleanup(func() {
		e.raw.Exec(`DROP TABLE IF EXISTS ` + e.table)
		e.raw.Close()
	})
	if columnsDDL != "" {
		e.rawExec(`CREATE TABLE ` + e.table + ` (id serial PRIMARY KEY, ` + columnsDDL + `)`)
	}
	e.sealed = e.open(config.Config{SecretKey: testKey, Columns: []string{e.table + ".details"}})
	return e
}

func (e *env) open(cfg config.Config) *sql.DB {
	e.t.Helper()
	db, err := e.openErr(cfg)
	require.NoError(e.t, err)
	return db
}

func (e *env) openErr(cfg config.Config) (*sql.DB, error) {
	connConfig, err := pgx.ParseConfig(e.dsn)
	require.NoError(e.t, err)
	c, err := driver.NewConnector(cfg, connConfig)
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
	require.NoError(e.t, err)
}

// rawDetails returns what is stored in details for row id.
func (e *env) rawDetails(id int) any {
	e.t.Helper()
	var v any
	require.NoError(e.t, e.raw.QueryRow(`SELECT details FROM `+e.table+` WHERE id = $1`, id).Scan(&v))
	return v
}

// requireSealed proves that the stored value of row id is ciphertext that
// opens with testKey to want.
func (e *env) requireSealed(id int, want string) {
	e.t.Helper()
	stored := e.rawDetails(id)
	_, binary := stored.([]byte)
	require.Equal(e.t, want, testdb.OpenStored(e.t, testKey, stored, binary))
}

func (e *env) readDetails(id int) string {
	e.t.Helper()
	var s string
	require.NoError(e.t, e.sealed.QueryRow(`SELECT details FROM `+e.table+` WHERE id = $1`, id).Scan(&s))
	return s
}

func (e *env) count() int {
	e.t.Helper()
	var n int
	require.NoError(e.t, e.raw.QueryRow(`SELECT count(*) FROM `+e.table).Scan(&n))
	return n
}

type configT = config.Config
