package rotate

import (
	"database/sql"
	"sync"
	"testing"
	"time"
)

// TestWorkersWriteInParallel checks that an online rotation with several
// workers has batches in flight on several connections at once, and that
// the result is the same as with one: every row under the new key with
// its plaintext. SQLite lets one transaction write at a time, so there
// the workers only overlap reading and sealing with writing.
func TestWorkersWriteInParallel(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend, db *sql.DB) {
		f, table := loadFixture(t, db, b)
		var mu sync.Mutex
		inFlight, most := 0, 0
		testHookBeforeWrite = func(column string, key []any) {
			mu.Lock()
			inFlight++
			most = max(most, inFlight)
			mu.Unlock()
			time.Sleep(30 * time.Millisecond)
			mu.Lock()
			inFlight--
			mu.Unlock()
		}
		defer func() { testHookBeforeWrite = nil }()
		sum := mustRotate(t, db, Options{
			Family: b.dialect, Config: cfgFor(table, secretOld, secretPrev), NewSecret: secretNew,
			Online: true, BatchSize: 1, Workers: 4,
		})
		testHookBeforeWrite = nil
		want := 1
		if b.dialect != SQLite {
			want = 2
		}
		if most < want {
			t.Errorf("at most %d batches in flight at once, want at least %d", most, want)
		}
		if b.dialect == SQLite && most != 1 {
			t.Errorf("SQLite: %d write transactions at once", most)
		}
		f.verify(t, db, table, mustKey(t, secretNew))
		checkCounts(t, sum, counts{Total: 8, Null: 1, Sealed: 3, Resealed: 3, Current: 1})
	})
}
