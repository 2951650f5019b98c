package integration_test

// Regression tests of the envelope keys' review: each failed before the
// fix it names.

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"

	"github.com/sqlseal/sqlseal/internal/keytable"
	"github.com/sqlseal/sqlseal/internal/rotate"
	"github.com/sqlseal/sqlseal/internal/testdb"
	"github.com/sqlseal/sqlseal/kms"
)

func forBackends(t *testing.T, backends []string, fn func(t *testing.T, f *envFix)) {
	for _, b := range backends {
		t.Run(b, func(t *testing.T) { fn(t, newEnvFix(t, b)) })
	}
}

// A key table the application cannot read (here: wrapped by another master
// key) fails every connection, not only the first: no later connection
// writes in the Metabase format while the database has a key table.
func TestEnvelopeUnreadableKeyTableFailsEveryConnection(t *testing.T) {
	forBackends(t, []string{"sqlite", "postgres"}, func(t *testing.T, f *envFix) {
		other, err := kms.Open(context.Background(), localKEK())
		require.NoError(t, err)
		f.initKeys(other)
		db, err := f.open(f.config())
		require.Error(t, err, "first connection")
		err = db.PingContext(f.ctx)
		_, ierr := db.ExecContext(f.ctx, `INSERT INTO `+f.table+` (id, a) VALUES (1, `+f.ph(1)+`)`, "secret value")
		stored := ""
		if ierr == nil {
			stored = f.stored("a", 1)
		}
		require.Error(t, err, "second connection should fail like the first (stored a=%.12q..., insert err %v)", stored, ierr)
	})
}

// The key table is read over a connection of its own: a refresh that a
// statement inside a REPEATABLE READ transaction causes does not read the
// transaction's old snapshot and take the engine back to a key that is no
// longer active.
func TestEnvelopeRefreshIgnoresTheApplicationsSnapshot(t *testing.T) {
	forBackends(t, []string{"mysql", "postgres"}, func(t *testing.T, f *envFix) {
		const refresh = 300 * time.Millisecond
		master, app := f.withKeys(refresh)
		app.SetMaxOpenConns(2)
		ins := func(ex interface {
			ExecContext(context.Context, string, ...any) (sql.Result, error)
		}, id int) {
			t.Helper()
			_, err := ex.ExecContext(f.ctx, `INSERT INTO `+f.table+` (id, a) VALUES (`+f.ph(1)+`, `+f.ph(2)+`)`, id, "v")
			require.NoError(t, err)
		}
		ins(app, 1)
		tx, err := app.BeginTx(f.ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead})
		require.NoError(t, err)
		defer tx.Rollback()
		var n int
		require.NoError(t, tx.QueryRowContext(f.ctx, `SELECT count(*) FROM `+f.table).Scan(&n)) // snapshot
		require.Equal(t, uint32(2), f.newKey(master))
		time.Sleep(refresh + 50*time.Millisecond)
		ins(app, 2) // outside the tx: reads key 2
		f.requireEnvelope(master, "a", 2, 2, "v")
		time.Sleep(refresh + 50*time.Millisecond)
		ins(tx, 3) // the refresh runs in the tx's snapshot
		require.NoError(t, tx.Commit())
		ins(app, 4)                               // outside any tx, right after
		f.requireEnvelope(master, "a", 4, 2, "v") // another connection, outside any tx
		f.requireEnvelope(master, "a", 3, 2, "v")
	})
}

// A key table dropped and made again within the same second is a new
// table: a running application does not keep the old key 1 and seal under
// a key no other process has.
func TestEnvelopeKeyTableRecreatedWithinASecond(t *testing.T) {
	forBackends(t, []string{"sqlite", "mysql"}, func(t *testing.T, f *envFix) {
		master := f.secretMaster()
		// start at the beginning of a second
		time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second)))
		f.initKeys(master)
		cfg := f.config()
		cfg.KeyRefresh = 50 * time.Millisecond
		db := f.sealed(cfg)
		f.exec(`DROP TABLE ` + keytable.Table)
		f.initKeys(master)
		time.Sleep(100 * time.Millisecond)
		_, err := db.ExecContext(f.ctx, `INSERT INTO `+f.table+` (id, a) VALUES (1, `+f.ph(1)+`)`, "v")
		require.NoError(t, err)
		text := f.stored("a", 1)
		require.True(t, strings.HasPrefix(text, "U1FTA"))
		f.requireEnvelope(master, "a", 1, 1, "v")
	})
}

// A value sealed under the old key inside a transaction that commits
// later is invisible to retire's check of the committed values: retire
// waits for transactions that began while the key was active.
func TestRetireWaitsForOpenTransactions(t *testing.T) {
	forBackends(t, []string{"postgres", "mysql"}, func(t *testing.T, f *envFix) {
		const refresh = 100 * time.Millisecond
		master, app := f.withKeys(refresh)
		tx, err := app.BeginTx(f.ctx, nil)
		require.NoError(t, err)
		defer tx.Rollback()
		_, err = tx.ExecContext(f.ctx, `INSERT INTO `+f.table+` (id, a) VALUES (1, `+f.ph(1)+`)`, "long tx")
		require.NoError(t, err)

		require.Equal(t, uint32(2), f.newKey(master))
		time.Sleep(3 * refresh)
		// what sqlseal keys retire 1 does
		keys := f.dataKeys(master)
		rep, err := rotate.Status(f.ctx, f.raw, rotate.StatusOptions{Family: rotate.Family(f.backend), Config: f.config(), DataKeys: keys})
		require.NoError(t, err)
		for _, c := range rep.Columns {
			require.Zero(t, c.Envelope[1], "the check sees no value under key 1")
		}
		rtx, err := f.raw.BeginTx(f.ctx, nil)
		require.NoError(t, err)
		err = keytable.Retire(f.ctx, rtx, f.flavor, 1, 2*refresh)
		require.NoError(t, rtx.Rollback())
		require.ErrorIs(t, err, keytable.ErrInUse, "retired while a transaction that sealed under the key is open")

		require.NoError(t, tx.Commit())
		rep, err = rotate.Status(f.ctx, f.raw, rotate.StatusOptions{Family: rotate.Family(f.backend), Config: f.config(), DataKeys: f.dataKeys(master)})
		require.NoError(t, err)
		require.Equal(t, int64(1), rep.Columns[0].Envelope[1], "once committed, the value under key 1 is what the check sees")
	})
}

// Right after a new key, readers that know only the old key meet values
// under the new one, all at once: one reads the key table, the others wait
// for its read, and none fails.
func TestEnvelopeConcurrentReadersOfANewKey(t *testing.T) {
	forBackends(t, []string{"postgres"}, func(t *testing.T, f *envFix) {
		master := f.secretMaster()
		f.initKeys(master)
		rcfg := f.config()
		rcfg.KeyRefresh = time.Hour
		reader := f.sealed(rcfg)
		reader.SetMaxOpenConns(8)
		f.newKey(master)
		writer := f.sealed(f.config())
		_, err := writer.ExecContext(f.ctx, `INSERT INTO `+f.table+` (id, a) VALUES (1, `+f.ph(1)+`)`, "under key 2")
		require.NoError(t, err)
		f.requireEnvelope(master, "a", 1, 2, "under key 2")
		// warm the reader's pool
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() { defer wg.Done(); reader.PingContext(f.ctx) }()
		}
		wg.Wait()
		errs := make(chan error, 8)
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.read(reader, "a", 1)
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		failed := 0
		var last error
		for err := range errs {
			if err != nil {
				failed++
				last = err
			}
		}
		require.Zero(t, failed, "readers failed: %v", last)
	})
}

// Once the key table is gone, writes are refused, and stay refused when a
// later read fails (the table made again under another master key, or a
// statement inside an aborted PostgreSQL transaction): nothing is sealed
// under the dropped table's active key, which no key table holds.
func TestEnvelopeLostKeyTableStaysLostAfterAFailedRead(t *testing.T) {
	for _, how := range []string{"reinit-other-master", "aborted-tx"} {
		backends := []string{"sqlite", "postgres"}
		if how == "aborted-tx" {
			backends = []string{"postgres"}
		}
		t.Run(how, func(t *testing.T) {
			forBackends(t, backends, func(t *testing.T, f *envFix) {
				const refresh = time.Second
				_, db := f.withKeys(refresh)
				db.SetMaxOpenConns(1)
				q := `INSERT INTO ` + f.table + ` (id, a) VALUES (` + f.ph(1) + `, ` + f.ph(2) + `)`
				insert := func(id int) error { return f.insertA(db, id, "secret value") }
				require.NoError(t, insert(1))
				f.exec(`DROP TABLE ` + keytable.Table)
				time.Sleep(refresh + 100*time.Millisecond)
				require.ErrorIs(t, insert(2), sqlseal.ErrNoKey, "the key table was dropped")
				time.Sleep(refresh + 100*time.Millisecond)
				switch how {
				case "reinit-other-master":
					other, err := kms.Open(f.ctx, localKEK())
					require.NoError(t, err)
					f.initKeys(other)
				case "aborted-tx":
					tx, err := db.BeginTx(f.ctx, nil)
					require.NoError(t, err)
					_, err = tx.ExecContext(f.ctx, `SELECT 1/0`)
					require.Error(t, err)
					_, err = tx.ExecContext(f.ctx, q, 3, "x")
					require.Error(t, err)
					require.NoError(t, tx.Rollback())
				}
				err := insert(4)
				require.ErrorIs(t, err, sqlseal.ErrNoKey, "written: %q", f.storedOr("a", 4))
			})
		})
	}
}

func (f *envFix) storedOr(col string, id int) string {
	var v sql.NullString
	f.raw.QueryRowContext(f.ctx, `SELECT `+col+` FROM `+f.table+` WHERE id = `+f.ph(1), id).Scan(&v)
	if len(v.String) > 16 {
		return v.String[:16] + "..."
	}
	return v.String
}

// The key table is the one the connector's own settings name: a session
// that changes its search_path (schema-per-tenant) does not make the
// engine read, and seal with, another schema's key table.
func TestEnvelopeKeyTableIgnoresTheSessionSearchPath(t *testing.T) {
	forBackends(t, []string{"postgres"}, func(t *testing.T, f *envFix) {
		master := f.secretMaster()
		f.initKeys(master)
		other := testdb.Name(t, "iso2")
		dsn2, drop, err := testdb.NewPostgresSchema(f.dsn, other)
		require.NoError(t, err)
		t.Cleanup(drop)
		raw2, err := sql.Open("pgx", dsn2)
		require.NoError(t, err)
		defer raw2.Close()
		_, err = keytable.Init(f.ctx, raw2, f.flavor, master) // the other schema's own key 1
		require.NoError(t, err)

		var s1 string
		require.NoError(t, f.raw.QueryRowContext(f.ctx, `SELECT current_schema()`).Scan(&s1))
		cfg := f.config()
		cfg.KeyRefresh = 100 * time.Millisecond
		app := f.sealed(cfg)
		conn, err := app.Conn(f.ctx)
		require.NoError(t, err)
		defer conn.Close()
		_, err = conn.ExecContext(f.ctx, `SET search_path TO `+other+`, `+s1)
		require.NoError(t, err)
		time.Sleep(150 * time.Millisecond)
		_, err = conn.ExecContext(f.ctx, `INSERT INTO `+f.table+` (id, a) VALUES (1, $1)`, "tenant value")
		require.NoError(t, err)
		f.requireEnvelope(master, "a", 1, 1, "tenant value")
	})
}
