package integration_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // "pgx": the raw connection
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/driver"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

const (
	pgKey    = "integration-key-0123456789abcdef"
	pgOldKey = "integration-old-key-0123456789ab"
	pgBadKey = "integration-bad-key-0123456789ab"

	pgDetails = `{"host":"db.internal","port":5432,"user":"metabase","password":"hunter2"}`
)

// pg is one test's PostgreSQL fixture: a fresh table name, a plain pgx
// connection that shows what is at rest, and helpers to open sealed
// connections.
type pg struct {
	t     *testing.T
	ctx   context.Context
	dsn   string
	table string  // the protected table: <table>.details is sealed
	raw   *sql.DB // plain pgx
}

// newPG returns a fixture whose table name is fresh; the table is not
// created (see create). Every table named with p.name is dropped at the
// end of the test.
func newPG(t *testing.T) *pg {
	t.Helper()
	dsn := testdb.Postgres(t)
	raw, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	p := &pg{t: t, ctx: context.Background(), dsn: dsn, raw: raw}
	p.table = p.name("conn")
	t.Cleanup(func() { raw.Close() })
	return p
}

// name returns a fresh table name that is dropped when the test ends.
func (p *pg) name(prefix string) string {
	n := testdb.Name(p.t, prefix)
	p.t.Cleanup(func() { p.raw.Exec(`DROP TABLE IF EXISTS ` + n + ` CASCADE`) })
	return n
}

// create creates the protected table with the plain connection.
func (p *pg) create(columnsDDL string) *pg {
	p.t.Helper()
	p.rawExec(`CREATE TABLE ` + p.table + ` (id serial PRIMARY KEY, ` + columnsDDL + `)`)
	return p
}

// config protects <table>.details with pgKey.
func (p *pg) config() config.Config {
	return config.Config{SecretKey: pgKey, Columns: []string{p.table + ".details"}}
}

// sealed opens a sealed *sql.DB with the default config and pings it.
func (p *pg) sealed() *sql.DB {
	p.t.Helper()
	db, err := p.openErr(p.config())
	require.NoError(p.t, err)
	return db
}

// open opens a sealed *sql.DB with cfg and pings it.
func (p *pg) open(cfg config.Config) *sql.DB {
	p.t.Helper()
	db, err := p.openErr(cfg)
	require.NoError(p.t, err)
	return db
}

// openErr opens a sealed *sql.DB with cfg and returns Ping's error.
func (p *pg) openErr(cfg config.Config) (*sql.DB, error) {
	p.t.Helper()
	connConfig, err := pgx.ParseConfig(p.dsn)
	require.NoError(p.t, err)
	c, err := driver.NewConnector(cfg, connConfig)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(c)
	p.t.Cleanup(func() { db.Close() })
	return db, db.PingContext(p.ctx)
}

func (p *pg) rawExec(q string, args ...any) {
	p.t.Helper()
	_, err := p.raw.ExecContext(p.ctx, q, args...)
	require.NoError(p.t, err, q)
}

// rawValue returns what column col of table holds for row id.
func (p *pg) rawValue(table, col string, id int64) any {
	p.t.Helper()
	var v any
	require.NoError(p.t, p.raw.QueryRowContext(p.ctx, `SELECT `+col+` FROM `+table+` WHERE id = $1`, id).Scan(&v))
	return v
}

// requireSealed proves that details of row id in the protected table is
// ciphertext at rest that opens with pgKey to want.
func (p *pg) requireSealed(id int64, want string) {
	p.t.Helper()
	p.requireSealedIn(p.table, "details", pgKey, id, want)
}

// requireSealedIn proves that col of row id in table is ciphertext sealed
// with secret that opens to want.
func (p *pg) requireSealedIn(table, col, secret string, id int64, want string) {
	p.t.Helper()
	require.Equal(p.t, want, pgOpenStored(p.t, secret, p.rawValue(table, col, id)), "%s.%s of row %d", table, col, id)
}

// pgOpenStored opens a stored value (base64 text or raw bytea) with secret,
// failing the test if it is not ciphertext.
func pgOpenStored(t *testing.T, secret string, stored any) string {
	t.Helper()
	_, binary := stored.([]byte)
	return testdb.OpenStored(t, secret, stored, binary)
}

// pgSealText seals plaintext with secret as text, as a column of type text
// stores it.
func pgSealText(t *testing.T, secret, plaintext string) string {
	t.Helper()
	k, err := codec.DeriveKey(secret)
	require.NoError(t, err)
	return k.SealText([]byte(plaintext))
}

// readDetails reads details of row id through db.
func (p *pg) readDetails(db *sql.DB, id int64) string {
	p.t.Helper()
	var s string
	require.NoError(p.t, db.QueryRowContext(p.ctx, `SELECT details FROM `+p.table+` WHERE id = $1`, id).Scan(&s))
	return s
}

func (p *pg) count(table string) int {
	p.t.Helper()
	var n int
	require.NoError(p.t, p.raw.QueryRowContext(p.ctx, `SELECT count(*) FROM `+table).Scan(&n))
	return n
}
