package keytable_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/internal/keytable"
)

var ctx = context.Background()

// sqliteFlavor is the flavor of the tests' databases.
var sqliteFlavor, _ = keytable.FlavorOf("sqlite")

// newDB opens a fresh SQLite database.
func newDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "keys.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// secretMaster returns the master key of a secret.
func secretMaster(t *testing.T, secret string) codec.Wrapper {
	t.Helper()
	k, err := codec.DeriveKey(secret)
	if err != nil {
		t.Fatal(err)
	}
	w, err := codec.NewSecretKEK(k)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// load reads and unwraps the key table of db.
func load(t *testing.T, db *sql.DB, master codec.Wrapper, prev *keytable.Keys) (*keytable.Keys, error) {
	t.Helper()
	entries, err := keytable.LoadIfExists(ctx, db, sqliteFlavor)
	if err != nil {
		t.Fatal(err)
	}
	return keytable.DataKeys(ctx, master, entries, prev)
}

func mustInit(t *testing.T, db *sql.DB, master codec.Wrapper) {
	t.Helper()
	if _, err := keytable.Init(ctx, db, sqliteFlavor, master); err != nil {
		t.Fatal(err)
	}
}

// Two databases whose key tables one master key wraps both have a key 1,
// with different bytes. A process that uses both must keep them apart: a
// value sealed under one database's key 1 must not be sealed with the
// other's.
func TestTwoTablesOneMasterKeepTheirOwnKeys(t *testing.T) {
	master := secretMaster(t, "two-tables-one-master-0001")
	a, b := newDB(t), newDB(t)
	mustInit(t, a, master)
	mustInit(t, b, master)
	ka, err := load(t, a, master, nil)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := load(t, b, master, nil)
	if err != nil {
		t.Fatal(err)
	}
	sealed := ka.Set.Active().SealText([]byte("x"), "t.c")
	if _, err := kb.Set.Active().OpenText(sealed, "t.c"); err == nil {
		t.Fatal("database b's key 1 opens database a's value: the keys were mixed up")
	}
}

// countingWrapper counts unwraps and can be made to return another key.
type countingWrapper struct {
	codec.Wrapper
	unwraps int
	corrupt bool
	fail    bool
}

func (w *countingWrapper) Unwrap(ctx context.Context, id uint32, wrapped []byte) ([]byte, error) {
	w.unwraps++
	if w.fail {
		return nil, errors.New("permission denied")
	}
	k, err := w.Wrapper.Unwrap(ctx, id, wrapped)
	if err == nil && w.corrupt {
		k[0] ^= 1
	}
	return k, err
}

// A rewrap under a master key that wraps but does not unwrap what it
// wrapped (a KMS key without decrypt permission) or unwraps another key is
// refused, and the table keeps its old wrapping.
func TestRewrapChecksTheNewMasterKey(t *testing.T) {
	from := secretMaster(t, "rewrap-from-secret-000001")
	for _, bad := range []*countingWrapper{
		{Wrapper: secretMaster(t, "rewrap-to-secret-00000001"), fail: true},
		{Wrapper: secretMaster(t, "rewrap-to-secret-00000001"), corrupt: true},
	} {
		db := newDB(t)
		mustInit(t, db, from)
		if _, err := keytable.Rewrap(ctx, db, sqliteFlavor, from, bad); err == nil {
			t.Fatal("rewrap under a master key that does not give the key back succeeded")
		}
		if _, err := load(t, db, from, nil); err != nil {
			t.Fatalf("the table lost its old wrapping: %v", err)
		}
	}
}

// An interrupted rewrap can be run again: entries already under the new
// master key are left alone; an entry under a third master key stops it.
func TestRewrapResumes(t *testing.T) {
	from := secretMaster(t, "rewrap-from-secret-000001")
	to := secretMaster(t, "rewrap-to-secret-00000001")
	db := newDB(t)
	mustInit(t, db, from)
	tx, _ := db.Begin()
	if _, err := keytable.NewKey(ctx, tx, sqliteFlavor, from, keytable.PurposeData); err != nil {
		t.Fatal(err)
	}
	tx.Commit()
	if n, err := keytable.Rewrap(ctx, db, sqliteFlavor, from, to); err != nil || n != 2 {
		t.Fatalf("rewrap: %d, %v", n, err)
	}
	if n, err := keytable.Rewrap(ctx, db, sqliteFlavor, from, to); err != nil || n != 0 {
		t.Fatalf("second rewrap: %d, %v; want 0 entries rewrapped", n, err)
	}
	third := secretMaster(t, "rewrap-third-secret-00001")
	if _, err := keytable.Rewrap(ctx, db, sqliteFlavor, third, from); !errors.Is(err, codec.ErrUnwrap) {
		t.Fatalf("rewrap from a master key that wraps nothing: %v", err)
	}
	if _, err := load(t, db, to, nil); err != nil {
		t.Fatal(err)
	}
}

// A process that unwrapped the keys before a rewrap keeps them: an entry
// that is unchanged but for its wrapping is not unwrapped again, so the old
// master key goes on working until the process restarts. An entry made
// anew under the same id is not the same key.
func TestDataKeysKeepUnchangedEntriesAcrossRewrap(t *testing.T) {
	from := &countingWrapper{Wrapper: secretMaster(t, "reuse-from-secret-0000001")}
	to := secretMaster(t, "reuse-to-secret-000000001")
	db := newDB(t)
	mustInit(t, db, from)
	prev, err := load(t, db, from, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keytable.Rewrap(ctx, db, sqliteFlavor, from, to); err != nil {
		t.Fatal(err)
	}
	from.unwraps = 0
	again, err := load(t, db, from, prev)
	if err != nil {
		t.Fatalf("a process with the old master key lost its keys: %v", err)
	}
	if from.unwraps != 0 || again.Set.Active() != prev.Set.Active() {
		t.Fatalf("%d unwraps; active key kept: %t", from.unwraps, again.Set.Active() == prev.Set.Active())
	}
	if _, err := load(t, db, from, nil); !errors.Is(err, codec.ErrUnwrap) {
		t.Fatalf("a new process with the old master key: %v", err)
	}

	if _, err := db.Exec(`UPDATE ` + keytable.Table + ` SET created_at = '1999-01-01 00:00:00'`); err != nil {
		t.Fatal(err)
	}
	if _, err := load(t, db, from, prev); !errors.Is(err, codec.ErrUnwrap) {
		t.Fatalf("an entry made anew under the same id was taken for the old key: %v", err)
	}
}

// The table's content is checked: one active key per purpose, known
// states only.
func TestLoadRejectsAnInconsistentTable(t *testing.T) {
	master := secretMaster(t, "inconsistent-secret-00001")
	db := newDB(t)
	mustInit(t, db, master)
	if _, err := db.Exec(`INSERT INTO ` + keytable.Table + ` (id, purpose, state, kek, wrapped) SELECT 2, purpose, 'active', kek, wrapped FROM ` + keytable.Table); err != nil {
		t.Fatal(err)
	}
	if _, err := load(t, db, master, nil); !errors.Is(err, keytable.ErrTable) {
		t.Fatalf("two active keys: %v", err)
	}
	if _, err := db.Exec(`UPDATE ` + keytable.Table + ` SET state = 'paused' WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	if _, err := keytable.LoadIfExists(ctx, db, sqliteFlavor); !errors.Is(err, keytable.ErrTable) {
		t.Fatalf("an unknown state: %v", err)
	}
}

// Retire refuses the active key, a key active within the grace period, and
// an unknown id; it retires a decrypt key, which then opens nothing.
func TestRetire(t *testing.T) {
	master := secretMaster(t, "retire-secret-00000000001")
	db := newDB(t)
	mustInit(t, db, master)
	if err := keytable.Retire(ctx, db, sqliteFlavor, 1, 0); !errors.Is(err, keytable.ErrInUse) {
		t.Fatalf("retiring the active key: %v", err)
	}
	if _, err := keytable.NewKey(ctx, db, sqliteFlavor, master, keytable.PurposeData); err != nil {
		t.Fatal(err)
	}
	if err := keytable.Retire(ctx, db, sqliteFlavor, 1, time.Hour); !errors.Is(err, keytable.ErrInUse) {
		t.Fatalf("retiring a key active a moment ago: %v", err)
	}
	if err := keytable.Retire(ctx, db, sqliteFlavor, 9, 0); err == nil {
		t.Fatal("retired a key that does not exist")
	}
	if err := keytable.Retire(ctx, db, sqliteFlavor, 1, 0); err != nil {
		t.Fatal(err)
	}
	keys, err := load(t, db, master, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := keys.Set.Lookup(1); ok {
		t.Fatal("a retired key still opens values")
	}
}

// A rewrap that commits between keys new's check of the master key and its
// transaction (a second operator) does not leave a table wrapped by two
// master keys: NewKey checks the master key under the writers' lock.
func TestNewKeyAfterARewrapKeepsOneMaster(t *testing.T) {
	from := secretMaster(t, "mix-from-secret-000000001")
	to := secretMaster(t, "mix-to-secret-00000000001")
	db := newDB(t)
	mustInit(t, db, from)
	// operator B: sqlseal keys new, readKeyTable with "from" succeeds ...
	if _, err := load(t, db, from, nil); err != nil {
		t.Fatal(err)
	}
	// ... operator A: sqlseal keys rewrap --to, commits ...
	if _, err := keytable.Rewrap(ctx, db, sqliteFlavor, from, to); err != nil {
		t.Fatal(err)
	}
	// ... operator B's transaction: NewKey with "from".
	tx, _ := db.Begin()
	_, err := keytable.NewKey(ctx, tx, sqliteFlavor, from, keytable.PurposeData)
	if err == nil {
		tx.Commit()
	} else {
		tx.Rollback()
	}
	entries, _ := keytable.LoadIfExists(ctx, db, sqliteFlavor)
	masters := map[string]bool{}
	for _, e := range entries {
		masters[e.KEK] = true
	}
	if len(masters) > 1 {
		t.Fatalf("the key table is wrapped by %d master keys: %v (NewKey err %v)", len(masters), masters, err)
	}
	if _, err := load(t, db, to, nil); err != nil {
		t.Fatalf("the new master key does not open the table after a successful rewrap: %v", err)
	}
}

// DataKeys counts the keys the master key unwrapped and those it took
// from the keys read before or the process's cache, as the master key (a
// KMS) sees the calls.
func TestDataKeysCountCacheHits(t *testing.T) {
	master := &countingWrapper{Wrapper: secretMaster(t, "data-keys-count-cache-hits-01")}
	db := newDB(t)
	mustInit(t, db, master)
	base := master.unwraps // Init checks what it wrapped
	first, err := load(t, db, master, nil)
	if err != nil {
		t.Fatal(err)
	}
	if first.Cached != 0 || first.Unwrapped != 1 || master.unwraps != base+1 {
		t.Fatalf("first read: cached %d, unwrapped %d, master unwrapped %d; want 0, 1, 1", first.Cached, first.Unwrapped, master.unwraps-base)
	}
	for _, prev := range []*keytable.Keys{first, nil} {
		again, err := load(t, db, master, prev)
		if err != nil {
			t.Fatal(err)
		}
		if again.Cached != 1 || again.Unwrapped != 0 || master.unwraps != base+1 {
			t.Fatalf("read again (prev %v): cached %d, unwrapped %d, master unwrapped %d; want 1, 0, 1", prev != nil, again.Cached, again.Unwrapped, master.unwraps-base)
		}
	}
}
