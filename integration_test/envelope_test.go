package integration_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	_ "gocloud.dev/secrets/hashivault"
	_ "gocloud.dev/secrets/localsecrets"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/keytable"
	"github.com/sqlseal/sqlseal/internal/kmstest"
	"github.com/sqlseal/sqlseal/internal/testdb"
	"github.com/sqlseal/sqlseal/kms"
)

// With a key table, new values are written in the envelope format under
// the active data key and bound to their column, by arguments and by
// literals alike; values written before in the Metabase format still read.
func TestEnvelopeWritesUnderTheActiveKey(t *testing.T) {
	forEachEnv(t, func(t *testing.T, f *envFix) {
		k, err := codec.DeriveKey(envKey)
		require.NoError(t, err)
		f.exec(`INSERT INTO `+f.table+` (id, a) VALUES (1, `+f.ph(1)+`)`, k.SealText([]byte("metabase-era")))
		master := f.secretMaster()
		f.initKeys(master)

		db := f.sealed(f.config())
		_, err = db.ExecContext(f.ctx, `INSERT INTO `+f.table+` (id, a, b) VALUES (2, `+f.ph(1)+`, 'literal-beta')`, "param-alpha")
		require.NoError(t, err)

		f.requireEnvelope(master, "a", 2, 1, "param-alpha")
		f.requireEnvelope(master, "b", 2, 1, "literal-beta")
		for id, want := range map[int]string{1: "metabase-era", 2: "param-alpha"} {
			got, err := f.read(db, "a", id)
			require.NoError(t, err)
			require.Equal(t, want, got)
		}
		got, err := f.read(db, "b", 2)
		require.NoError(t, err)
		require.Equal(t, "literal-beta", got)
	})
}

// A value copied, by someone with access to the database, from one
// protected column into another does not open there, and the error names
// both columns.
func TestEnvelopeCopiedValueDoesNotOpen(t *testing.T) {
	forEachEnv(t, func(t *testing.T, f *envFix) {
		f.initKeys(f.secretMaster())
		db := f.sealed(f.config())
		_, err := db.ExecContext(f.ctx, `INSERT INTO `+f.table+` (id, a, b) VALUES (1, `+f.ph(1)+`, NULL)`, "token-of-a")
		require.NoError(t, err)
		f.exec(`UPDATE ` + f.table + ` SET b = a WHERE id = 1`)

		_, err = f.read(db, "b", 1)
		require.Error(t, err)
		require.ErrorIs(t, err, sqlseal.ErrCannotOpen)
		msg := err.Error()
		require.Contains(t, msg, f.table+".b")
		require.Contains(t, msg, f.table+".a")
		require.NotContains(t, msg, "token-of-a")
	})
}

// A running application picks up a new active key without a restart:
// writers within the refresh interval, readers at once when a value names
// a key they have not seen.
func TestEnvelopeNewKeyReachesRunningApps(t *testing.T) {
	forEachEnv(t, func(t *testing.T, f *envFix) {
		master := f.secretMaster()
		f.initKeys(master)
		const refresh = 200 * time.Millisecond
		wcfg := f.config()
		wcfg.KeyRefresh = refresh
		writer := f.sealed(wcfg)
		rcfg := f.config()
		rcfg.KeyRefresh = time.Hour
		reader := f.sealed(rcfg)

		insert := func(id int, v string) { t.Helper(); require.NoError(t, f.insertA(writer, id, v)) }
		insert(1, "before")
		f.requireEnvelope(master, "a", 1, 1, "before")
		_, err := f.read(reader, "a", 1)
		require.NoError(t, err)

		require.Equal(t, uint32(2), f.newKey(master))
		time.Sleep(refresh + 50*time.Millisecond)
		insert(2, "after")
		f.requireEnvelope(master, "a", 2, 2, "after")

		got, err := f.read(reader, "a", 2)
		require.NoError(t, err, "a reader that knew only key 1 reads a value under key 2")
		require.Equal(t, "after", got)
	})
}

// A prepared statement whose text holds a sealed literal is prepared again
// when another key becomes active, a new one or that of a key table made
// again: no value is written under a key that no longer seals.
func TestEnvelopePreparedLiteralFollowsTheActiveKey(t *testing.T) {
	forEachEnv(t, func(t *testing.T, f *envFix) {
		master, db := f.withKeys(100 * time.Millisecond)
		db.SetMaxOpenConns(1)
		stmt, err := db.PrepareContext(f.ctx, `INSERT INTO `+f.table+` (id, a) VALUES (`+f.ph(1)+`, 'in the text')`)
		require.NoError(t, err)
		defer stmt.Close()
		_, err = stmt.ExecContext(f.ctx, 1)
		require.NoError(t, err)
		f.requireEnvelope(master, "a", 1, 1, "in the text")

		f.newKey(master)
		time.Sleep(150 * time.Millisecond)
		_, err = stmt.ExecContext(f.ctx, 2)
		require.NoError(t, err)
		f.requireEnvelope(master, "a", 2, 2, "in the text")

		// The key table made again from scratch: its key 1 is another
		// key than the old key 1, which no key table holds any more.
		f.exec(`DROP TABLE ` + keytable.Table)
		f.initKeys(master)
		time.Sleep(150 * time.Millisecond)
		_, err = stmt.ExecContext(f.ctx, 3)
		require.NoError(t, err)
		f.requireEnvelope(master, "a", 3, 1, "in the text")
	})
}

// Data keys are unwrapped once per process, however many connections and
// connectors use them, and again only for a key id not seen before. The
// emulated Vault counts the calls.
func TestEnvelopeUnwrapsOncePerProcess(t *testing.T) {
	vault := kmstest.Vault()
	forEachEnv(t, func(t *testing.T, f *envFix) {
		name := testdb.Name(t, "vault")
		url := "hashivault://" + name
		master, err := kms.Open(f.ctx, url)
		require.NoError(t, err)
		f.initKeys(master)
		f.newKey(master)
		f.newKey(master) // keys 1 and 2 decrypt, 3 is active
		before := vault.Decrypts(name)

		cfg := f.config()
		cfg.SecretKey = ""
		cfg.KEKURL = url
		var wg sync.WaitGroup
		for c := range 2 {
			db := f.sealed(cfg)
			db.SetMaxOpenConns(3)
			for g := range 3 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range 10 {
						id := 1000*c + 100*g + i
						if _, err := db.ExecContext(f.ctx, `INSERT INTO `+f.table+` (id, a) VALUES (`+f.ph(1)+`, `+f.ph(2)+`)`, id, "v"); err != nil {
							t.Error(err)
							return
						}
						if _, err := f.read(db, "a", id); err != nil {
							t.Error(err)
							return
						}
					}
				}()
			}
		}
		wg.Wait()
		require.Equal(t, 3, vault.Decrypts(name)-before, "one unwrap per data key for the whole process")

		reader := f.sealed(cfg)
		f.newKey(master) // key 4; making it unwraps it once, to check it
		before = vault.Decrypts(name)
		writer := f.sealed(cfg) // reads the table: only key 4 is new
		_, err = writer.ExecContext(f.ctx, `INSERT INTO `+f.table+` (id, a) VALUES (9999, `+f.ph(1)+`)`, "under key 4")
		require.NoError(t, err)
		f.requireEnvelope(master, "a", 9999, 4, "under key 4")
		got, err := f.read(reader, "a", 9999)
		require.NoError(t, err)
		require.Equal(t, "under key 4", got)
		require.Equal(t, 1, vault.Decrypts(name)-before, "key 4 is unwrapped once, not again for the reader")
	})
}

// localKEK returns a fresh base64key:// master key URL.
func localKEK() string {
	b := make([]byte, 32)
	rand.Read(b)
	return "base64key://" + base64.URLEncoding.EncodeToString(b)
}

// auditTriggers makes every INSERT, UPDATE and DELETE on table add a row
// to audit.
func (f *envFix) auditTriggers(audit string) {
	f.exec(`CREATE TABLE ` + audit + ` (n INTEGER)`)
	switch f.backend {
	case "postgres":
		f.exec(`CREATE FUNCTION ` + audit + `_fn() RETURNS trigger AS $$ BEGIN INSERT INTO ` + audit + ` VALUES (1); RETURN NULL; END $$ LANGUAGE plpgsql`)
		f.exec(`CREATE TRIGGER ` + audit + `_tr AFTER INSERT OR UPDATE OR DELETE ON ` + f.table + ` FOR EACH ROW EXECUTE FUNCTION ` + audit + `_fn()`)
	case "mysql":
		for _, ev := range []string{"INSERT", "UPDATE", "DELETE"} {
			f.exec(`CREATE TRIGGER ` + audit + `_` + strings.ToLower(ev) + ` AFTER ` + ev + ` ON ` + f.table + ` FOR EACH ROW INSERT INTO ` + audit + ` VALUES (1)`)
		}
	case "sqlite":
		for _, ev := range []string{"INSERT", "UPDATE", "DELETE"} {
			f.exec(`CREATE TRIGGER ` + audit + `_` + strings.ToLower(ev) + ` AFTER ` + ev + ` ON ` + f.table + ` BEGIN INSERT INTO ` + audit + ` VALUES (1); END`)
		}
	}
}

// snapshot returns every row of the protected table as stored, and on
// PostgreSQL each row's version (xmin), which any write changes.
func (f *envFix) snapshot() []string {
	f.t.Helper()
	q := `SELECT id, a, b FROM ` + f.table + ` ORDER BY id`
	if f.backend == "postgres" {
		q = `SELECT id, a, b, xmin::text FROM ` + f.table + ` ORDER BY id`
	}
	rows, err := f.raw.QueryContext(f.ctx, q)
	require.NoError(f.t, err)
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(f.t, rows.Scan(ptrs...))
		out = append(out, fmt.Sprint(vals))
	}
	require.NoError(f.t, rows.Err())
	return out
}

// Rotating the master key rewraps the data keys and touches no row of
// data: a trigger on the protected table records no write, and every row
// is as it was, down to its row version on PostgreSQL. Applications that
// run with the old master key keep working; new ones need the new one.
func TestRewrapTouchesNoDataRow(t *testing.T) {
	forEachEnv(t, func(t *testing.T, f *envFix) {
		from := f.secretMaster()
		f.initKeys(from)
		f.newKey(from)
		cfg := f.config()
		cfg.KeyRefresh = 100 * time.Millisecond
		running := f.sealed(cfg)
		for id := range 20 {
			_, err := running.ExecContext(f.ctx, `INSERT INTO `+f.table+` (id, a, b) VALUES (`+f.ph(1)+`, `+f.ph(2)+`, 'lit')`, id, fmt.Sprint("value-", id))
			require.NoError(t, err)
		}
		audit := testdb.Name(t, "audit")
		f.auditTriggers(audit)
		before := f.snapshot()

		toURL := localKEK()
		to, err := kms.Open(f.ctx, toURL)
		require.NoError(t, err)
		tx, err := f.raw.BeginTx(f.ctx, nil)
		require.NoError(t, err)
		n, err := keytable.Rewrap(f.ctx, tx, f.flavor, from, to)
		require.NoError(t, err)
		require.NoError(t, tx.Commit())
		require.Equal(t, 2, n)

		require.Equal(t, 0, f.count(audit), "a data row was written")
		require.Equal(t, before, f.snapshot())
		entries, err := keytable.LoadIfExists(f.ctx, f.raw, f.flavor)
		require.NoError(t, err)
		for _, e := range entries {
			require.Equal(t, to.ID(), e.KEK)
		}

		// The running application read the table before; it keeps its
		// keys after reading the rewrapped table.
		time.Sleep(150 * time.Millisecond)
		_, err = running.ExecContext(f.ctx, `INSERT INTO `+f.table+` (id, a) VALUES (100, `+f.ph(1)+`)`, "after rewrap")
		require.NoError(t, err)
		got, err := f.read(running, "a", 5)
		require.NoError(t, err)
		require.Equal(t, "value-5", got)

		kmsCfg := f.config()
		kmsCfg.KEKURL = toURL
		fresh := f.sealed(kmsCfg)
		for _, id := range []int{0, 19, 100} {
			_, err := f.read(fresh, "a", id)
			require.NoError(t, err)
		}
		_, err = f.open(f.config())
		require.Error(t, err, "a new application with the old master key")
		require.ErrorIs(t, err, codec.ErrUnwrap)
		require.Contains(t, err.Error(), to.ID())
	})
}

// The driver never falls back to weaker sealing: a configured master key
// without a key table, or a key table that lost its active key, refuses
// writes to protected columns before anything is stored.
func TestEnvelopeFailsClosed(t *testing.T) {
	forEachEnv(t, func(t *testing.T, f *envFix) {
		insert := func(db *sql.DB, id int) error { return f.insertA(db, id, "secret value") }

		kmsOnly := config.Config{KEKURL: localKEK(), Columns: f.config().Columns}
		db := f.sealed(kmsOnly)
		err := insert(db, 1)
		require.ErrorIs(t, err, sqlseal.ErrNoKey, "a master key and no key table")
		require.Equal(t, 0, f.count(f.table))

		f.initKeys(f.secretMaster())
		cfg := f.config()
		cfg.KeyRefresh = 100 * time.Millisecond
		db = f.sealed(cfg)
		require.NoError(t, insert(db, 2))
		f.exec(`DROP TABLE ` + keytable.Table)
		time.Sleep(150 * time.Millisecond)
		err = insert(db, 3)
		require.ErrorIs(t, err, sqlseal.ErrNoKey, "the key table was dropped")
		require.Equal(t, 1, f.count(f.table))
		got, err := f.read(db, "a", 2)
		require.NoError(t, err, "values already written still open")
		require.Equal(t, "secret value", got)
	})
}

// A key table wrapped by another master key than the configured one fails
// at connect time, naming the master key it needs.
func TestEnvelopeWrongMasterKey(t *testing.T) {
	forEachEnv(t, func(t *testing.T, f *envFix) {
		other, err := kms.Open(context.Background(), localKEK())
		require.NoError(t, err)
		f.initKeys(other)
		_, err = f.open(f.config())
		require.Error(t, err)
		require.True(t, errors.Is(err, codec.ErrUnwrap), "%v", err)
		require.Contains(t, err.Error(), other.ID())
	})
}

// A key table that becomes unreadable (here: a column renamed) is
// tolerated for twice the refresh interval, with the keys read before;
// after that, writes to protected columns are refused until it can be read
// again.
func TestEnvelopeUnreadableKeyTableRefusesWritesAfterTwoIntervals(t *testing.T) {
	forEachEnv(t, func(t *testing.T, f *envFix) {
		f.initKeys(f.secretMaster())
		cfg := f.config()
		const refresh = 300 * time.Millisecond
		cfg.KeyRefresh = refresh
		db := f.sealed(cfg)
		insert := func(id int) error { return f.insertA(db, id, "secret value") }
		require.NoError(t, insert(1))
		f.exec(`ALTER TABLE ` + keytable.Table + ` RENAME COLUMN wrapped TO wrapped_away`)
		time.Sleep(2*refresh + 100*time.Millisecond)
		err := insert(2)
		require.ErrorIs(t, err, sqlseal.ErrNoKey)
		require.Contains(t, err.Error(), "could not be read")
		require.Equal(t, 1, f.count(f.table))
		got, err := f.read(db, "a", 1)
		require.NoError(t, err, "values keep opening")
		require.Equal(t, "secret value", got)

		f.exec(`ALTER TABLE ` + keytable.Table + ` RENAME COLUMN wrapped_away TO wrapped`)
		time.Sleep(1100 * time.Millisecond) // a failed read is retried after a second
		require.NoError(t, insert(3))
	})
}
