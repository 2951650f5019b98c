package engine

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/internal/catalog"
	"github.com/sqlseal/sqlseal/internal/keytable"
	"github.com/sqlseal/sqlseal/internal/query"
)

// keyState is what the engine knows of the key table at one time.
type keyState struct {
	// keys are the data keys of the last successful read; nil when the
	// database has no key table (the Metabase format is written). Once
	// the table has lost its active key, they are the keys read before,
	// without an active one: they open values, none seals.
	keys *keytable.Keys
	// loaded is when the key table was last read successfully; tried when
	// a read was last attempted, and failed is that attempt's error, nil
	// when it succeeded.
	loaded, tried time.Time
	failed        error
	// index are the blind-index keys of the key table, nil when it has
	// no active one (or there is no key table).
	index *keytable.IndexKeys
}

// set returns the data keys that open values, nil without a key table.
func (st *keyState) set() *codec.DataKeySet {
	if st == nil || st.keys == nil {
		return nil
	}
	return st.keys.Set
}

// keys are the engine's keys: the Metabase keyring of the configuration
// and the data keys of the key table, read at the first connection, again
// every refresh interval, and when a value names a data key the engine has
// not seen. The key table is always read over a connection of its own,
// outside the application's transactions and session settings.
//
// New values are sealed with keys read less than one refresh interval ago
// (see refreshIfStale); when the key table cannot be read, with keys read
// less than twice the interval ago, after which writes to protected columns
// are refused. So a data key made inactive is out of use everywhere after
// twice the interval (sqlseal keys retire waits for it). Once the engine has seen an
// active data key, a key table that no longer has one (dropped, emptied)
// refuses writes too, instead of falling back to another format or to
// plaintext, until it has one again.
type keys struct {
	ring    *codec.Keyring
	master  codec.Wrapper
	refresh time.Duration
	state   atomic.Pointer[keyState]
	// sem serializes reads of the key table: a one-slot semaphore, so
	// that waiting for it can give up with the caller's context.
	sem chan struct{}
	// sawActive records that a read found an active data key.
	sawActive atomic.Bool
	// lastUnknown rate-limits the reads that unknown key ids cause.
	lastUnknown atomic.Int64
	// connect opens a raw connection of the wrapped driver to read the
	// key table.
	connect func(ctx context.Context) (driver.Conn, error)
}

// newKeys returns the keys of an engine.
func newKeys(ring *codec.Keyring, master codec.Wrapper, refresh time.Duration) keys {
	return keys{ring: ring, master: master, refresh: refresh, sem: make(chan struct{}, 1)}
}

// retryEvery bounds how often a failing key table read is tried again, and
// the reads that values under unknown data key ids cause.
const retryEvery = time.Second

// readTimeout bounds a key table read done in the background.
const readTimeout = 30 * time.Second

// lock takes the read lock, or gives up when ctx ends.
func (k *keys) lock(ctx context.Context) error {
	select {
	case k.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// tryLock takes the read lock if it is free.
func (k *keys) tryLock() bool {
	select {
	case k.sem <- struct{}{}:
		return true
	default:
		return false
	}
}

func (k *keys) unlock() { <-k.sem }

// current returns the data keys as last loaded.
func (k *keys) current() *codec.DataKeySet {
	return k.state.Load().set()
}

// sealer is the key that seals new values, taken from one state so that
// every value of a statement is sealed alike: an active data key, or the
// keyring's primary key when dk is nil. Sealers compare equal when they
// seal with the same key.
type sealer struct {
	dk *codec.DataKey
}

// sealer returns the key new values are sealed with. ok is false when
// values are written as they are (no key configured, no key table); the
// error, wrapping sqlseal.ErrNoKey, refuses the write when they must be
// sealed but cannot be: the key table could not be read for too long, it
// lost its active key, or a master key is configured without a key table
// or secret to seal with.
func (k *keys) sealer() (s sealer, ok bool, err error) {
	st := k.state.Load()
	switch {
	case st == nil:
		return sealer{}, false, fmt.Errorf("sqlseal: the key table has not been read: %w", errInternal)
	case (st.keys != nil || k.sawActive.Load()) && st.failed != nil && time.Since(st.loaded) >= 2*k.refresh:
		return sealer{}, false, fmt.Errorf("sqlseal: writes to protected columns are refused: the key table could not be read for %s: %w",
			time.Since(st.loaded).Round(time.Second), errors.Join(sqlseal.ErrNoKey, st.failed))
	}
	if dk := st.set().Active(); dk != nil {
		return sealer{dk: dk}, true, nil
	}
	switch {
	case k.sawActive.Load():
		return sealer{}, false, fmt.Errorf("sqlseal: writes to protected columns are refused: the key table no longer has an active data key: %w", sqlseal.ErrNoKey)
	case k.ring.CanSeal():
		return sealer{}, true, nil
	case k.master != nil:
		return sealer{}, false, fmt.Errorf("sqlseal: writes to protected columns are refused: a master key is configured but the database has no key table with an active data key (run sqlseal keys init): %w", sqlseal.ErrNoKey)
	}
	return sealer{}, false, nil
}

// refreshIfStale reads the key table again as it ages: in the background
// once the last read is half the refresh interval old, so that a busy
// application never waits for it; and before the statement goes on once it
// is a whole interval old (an application idle that long). So new values
// are sealed with keys read less than one refresh interval ago, unless the
// key table cannot be read (then sealer refuses after two).
func (e *Engine) refreshIfStale(ctx context.Context) {
	k := &e.keys
	st := k.state.Load()
	if st != nil && !k.due(st, k.refresh/2) {
		return
	}
	if st != nil && time.Since(st.loaded) < k.refresh {
		if !k.tryLock() {
			return // another read is under way
		}
		go func() {
			defer k.unlock()
			ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
			defer cancel()
			if st := k.state.Load(); st != nil && !k.due(st, k.refresh/2) {
				return
			}
			if err := e.readKeys(ctx); err != nil {
				e.logger.Warn("sqlseal: reading the key table failed; keeping the keys read before", "error", err)
			}
		}()
		return
	}
	if k.lock(ctx) != nil {
		return // the statement's context ended; sealer decides
	}
	defer k.unlock()
	if st := k.state.Load(); st != nil && !k.due(st, k.refresh) {
		return
	}
	if err := e.readKeys(ctx); err != nil {
		e.logger.Warn("sqlseal: reading the key table failed; keeping the keys read before", "error", err)
	}
}

// due reports whether the key table should be read again: the last
// successful read is older than age, and the last failed one, if any,
// older than retryEvery.
func (k *keys) due(st *keyState, age time.Duration) bool {
	if time.Since(st.loaded) < age {
		return false
	}
	return st.failed == nil || time.Since(st.tried) >= retryEvery
}

// loadKeys reads the key table; the first connection calls it, and fails
// when it fails, so that no connection works on keys that were never
// read.
func (e *Engine) loadKeys(ctx context.Context) error {
	if err := e.keys.lock(ctx); err != nil {
		return err
	}
	defer e.keys.unlock()
	if e.keys.state.Load() != nil {
		return nil // another connection read it meanwhile
	}
	return e.readKeys(ctx)
}

// readKeys reads the key table with the read lock held and records what
// it found. A failed read keeps the keys read before and records the
// failure; a failed first read records nothing.
func (e *Engine) readKeys(ctx context.Context) error {
	k := &e.keys
	prev := k.state.Load()
	var prevKeys *keytable.Keys
	if prev != nil {
		prevKeys = prev.keys
	}
	now := time.Now()
	read, index, err := e.readKeyTable(ctx, prevKeys)
	switch {
	case err != nil && prev == nil:
		return err
	case err != nil:
		k.state.Store(&keyState{keys: prev.keys, index: prev.index, loaded: prev.loaded, tried: now, failed: err})
		return err
	case read != nil && read.Set.Active() != nil:
		k.sawActive.Store(true)
	case k.sawActive.Load():
		// The table lost its active key: keep opening what the keys read
		// before open, seal nothing.
		if read == nil {
			read = prevKeys.WithoutActive()
		}
		e.logger.Warn("sqlseal: the key table has no active data key any more; writes to protected columns are refused")
	}
	k.state.Store(&keyState{keys: read, index: index, loaded: now, tried: now})
	if e.obs != nil && read != nil {
		e.obs.DataKeys(read.Cached, read.Unwrapped)
	}
	return nil
}

// readKeyTable reads the key table over a connection of its own, nil when
// there is none, with its blind-index keys when blind indexes are
// configured. Keys that prev holds are not unwrapped again.
func (e *Engine) readKeyTable(ctx context.Context, prev *keytable.Keys) (*keytable.Keys, *keytable.IndexKeys, error) {
	if e.keys.connect == nil {
		return nil, nil, fmt.Errorf("sqlseal: no connector to read the key table with: %w", errInternal)
	}
	conn, err := e.keys.connect(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("sqlseal: connecting to read the key table: %w", err)
	}
	defer conn.Close()
	q, ok := conn.(driver.QueryerContext)
	if !ok {
		return nil, nil, errNoQueryer
	}
	cols, err := e.b.Catalog.TableColumns(ctx, q, query.Table{Name: keytable.Table})
	if err != nil {
		return nil, nil, fmt.Errorf("sqlseal: looking for the key table: %w", err)
	}
	if len(cols) == 0 {
		return nil, nil, nil
	}
	entries, err := keytable.Load(ctx, func(ctx context.Context, sql string, args ...any) ([][]driver.Value, error) {
		return catalog.Query(ctx, q, sql, args...)
	})
	if err != nil {
		return nil, nil, err
	}
	keys, err := keytable.DataKeys(ctx, e.keys.master, entries, prev)
	if err != nil || len(e.indexes) == 0 {
		return keys, nil, err
	}
	index, err := keytable.IndexKeysOf(ctx, e.keys.master, entries)
	if err != nil {
		return nil, nil, err
	}
	return keys, index, nil
}

// reloadForUnknown reads the key table again because a value names a data
// key id the engine has not seen: a key made since the last read. One
// reader reads, at most once a second; the others wait for its read. It
// reports whether opening should be tried again.
func (e *Engine) reloadForUnknown(ctx context.Context) bool {
	now := time.Now().UnixNano()
	last := e.keys.lastUnknown.Load()
	if now-last < int64(retryEvery) || !e.keys.lastUnknown.CompareAndSwap(last, now) {
		// Another reader reads, or just read: wait for it.
		if e.keys.lock(ctx) != nil {
			return false
		}
		e.keys.unlock()
		return true
	}
	if err := e.keys.lock(ctx); err != nil {
		return false
	}
	defer e.keys.unlock()
	if err := e.readKeys(ctx); err != nil {
		e.logger.Warn("sqlseal: reading the key table failed", "error", err)
		return false
	}
	return true
}
