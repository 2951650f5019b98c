package integration_test

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/conformance"
	"github.com/sqlseal/sqlseal/internal/keytable"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// envKey is the secret of the envelope tests; its derived master key wraps
// their key tables unless a test uses a KMS.
const envKey = "envelope-test-secret-000000000001"

// envFix is a database of its own (a PostgreSQL or MariaDB database, an
// SQLite file), so that its key table applies to nothing else, with a
// protected table t(id, a, b) whose a and b are sealed.
type envFix struct {
	t       *testing.T
	ctx     context.Context
	backend string // "postgres", "mysql", "sqlite": the database family
	b       *conformance.Backend
	dsn     string
	raw     *sql.DB // the database's own driver
	table   string
	flavor  keytable.Flavor
}

// forEachEnv runs fn on each backend, each on a fresh database.
func forEachEnv(t *testing.T, fn func(t *testing.T, f *envFix)) {
	for _, backend := range []string{"postgres", "mysql", "sqlite"} {
		t.Run(backend, func(t *testing.T) {
			fn(t, newEnvFix(t, backend))
		})
	}
}

// newEnvFix makes the database and the protected table.
func newEnvFix(t *testing.T, backend string) *envFix {
	t.Helper()
	f := &envFix{t: t, ctx: context.Background(), backend: backend, table: testdb.Name(t, "env")}
	switch backend {
	case "postgres":
		f.b = conformance.Postgres(t, conformance.OnItsOwnDatabase())
	case "mysql":
		f.b = conformance.MariaDB(t, conformance.OnItsOwnDatabase())
	case "sqlite":
		f.b = conformance.SQLite(t)
	}
	f.dsn, f.raw = f.b.DSN, f.b.Raw
	var err error
	f.flavor, err = keytable.FlavorOf(backend)
	require.NoError(t, err)
	f.exec(`CREATE TABLE ` + f.table + ` (id INTEGER PRIMARY KEY, a TEXT, b TEXT)`)
	return f
}

// ph is the n-th placeholder of the backend.
func (f *envFix) ph(n int) string { return f.flavor.Placeholder(n) }

// exec runs q on the plain connection.
func (f *envFix) exec(q string, args ...any) {
	f.t.Helper()
	_, err := f.raw.ExecContext(f.ctx, q, args...)
	require.NoError(f.t, err, q)
}

// config protects t.a and t.b with envKey.
func (f *envFix) config() config.Config {
	return config.Config{SecretKey: envKey, Columns: []string{f.table + ".a", f.table + ".b"}}
}

// open opens a sealed *sql.DB with cfg and returns Ping's error.
func (f *envFix) open(cfg config.Config) (*sql.DB, error) {
	f.t.Helper()
	return f.b.Open(f.t, cfg)
}

// sealed opens a sealed *sql.DB with cfg.
func (f *envFix) sealed(cfg config.Config) *sql.DB {
	f.t.Helper()
	db, err := f.open(cfg)
	require.NoError(f.t, err)
	return db
}

// secretMaster is the master key derived from envKey.
func (f *envFix) secretMaster() codec.Wrapper {
	f.t.Helper()
	m, err := config.Config{SecretKey: envKey}.MasterKey(f.ctx)
	require.NoError(f.t, err)
	return m
}

// initKeys creates the key table with master.
func (f *envFix) initKeys(master codec.Wrapper) {
	f.t.Helper()
	_, err := keytable.Init(f.ctx, f.raw, f.flavor, master)
	require.NoError(f.t, err)
}

// newKey makes a new active data key with master and returns its id.
func (f *envFix) newKey(master codec.Wrapper) uint32 {
	f.t.Helper()
	tx, err := f.raw.BeginTx(f.ctx, nil)
	require.NoError(f.t, err)
	defer tx.Rollback()
	e, err := keytable.NewKey(f.ctx, tx, f.flavor, master, keytable.PurposeData)
	require.NoError(f.t, err)
	require.NoError(f.t, tx.Commit())
	return e.ID
}

// dataKeys reads and unwraps the key table with master, as an independent
// reader of the stored values.
func (f *envFix) dataKeys(master codec.Wrapper) *codec.DataKeySet {
	f.t.Helper()
	entries, err := keytable.LoadIfExists(f.ctx, f.raw, f.flavor)
	require.NoError(f.t, err)
	keys, err := keytable.DataKeys(f.ctx, master, entries, nil)
	require.NoError(f.t, err)
	return keys.Set
}

// stored returns column col of row id as stored; "" for NULL.
func (f *envFix) stored(col string, id int) string {
	f.t.Helper()
	var v sql.NullString
	require.NoError(f.t, f.raw.QueryRowContext(f.ctx, `SELECT `+col+` FROM `+f.table+` WHERE id = `+fmt.Sprint(id)).Scan(&v))
	return v.String
}

// requireEnvelope checks that column col of row id is stored in the
// envelope format under data key wantID, bound to the column, and opens
// to want with the keys master unwraps: ciphertext at rest, read with the
// plain driver.
func (f *envFix) requireEnvelope(master codec.Wrapper, col string, id int, wantID uint32, want string) {
	f.t.Helper()
	text := f.stored(col, id)
	require.True(f.t, strings.HasPrefix(text, "U1FTA"), "row %d %s is not an envelope value", id, col)
	raw, err := base64.StdEncoding.DecodeString(text)
	require.NoError(f.t, err)
	require.Equal(f.t, "SQS\x02", string(raw[:4]))
	require.Equal(f.t, wantID, binary.BigEndian.Uint32(raw[4:8]), "row %d %s: key id", id, col)
	k, ok := f.dataKeys(master).Lookup(wantID)
	require.True(f.t, ok, "no data key %d", wantID)
	pt, err := k.OpenText(text, strings.ToLower(f.table+"."+col))
	require.NoError(f.t, err)
	require.Equal(f.t, want, string(pt))
}

// read returns column col of row id through db.
func (f *envFix) read(db *sql.DB, col string, id int) (string, error) {
	var v sql.NullString
	err := db.QueryRowContext(f.ctx, `SELECT `+col+` FROM `+f.table+` WHERE id = `+f.ph(1), id).Scan(&v)
	return v.String, err
}

// count returns the number of rows of table.
func (f *envFix) count(table string) int {
	f.t.Helper()
	var n int
	require.NoError(f.t, f.raw.QueryRowContext(f.ctx, `SELECT count(*) FROM `+table).Scan(&n))
	return n
}

// withKeys makes the key table with envKey's master key and opens a sealed
// pool that reads it again every refresh; it returns both.
func (f *envFix) withKeys(refresh time.Duration) (codec.Wrapper, *sql.DB) {
	f.t.Helper()
	master := f.secretMaster()
	f.initKeys(master)
	cfg := f.config()
	cfg.KeyRefresh = refresh
	return master, f.sealed(cfg)
}

// insertA inserts row id with a = v through db.
func (f *envFix) insertA(db *sql.DB, id int, v string) error {
	_, err := db.ExecContext(f.ctx, `INSERT INTO `+f.table+` (id, a) VALUES (`+f.ph(1)+`, `+f.ph(2)+`)`, id, v)
	return err
}
