package engine

import (
	"cmp"
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/catalog"
	"github.com/sqlseal/sqlseal/internal/keytable"
	"github.com/sqlseal/sqlseal/internal/query"
)

// keyState is what the engine knows of the key table at one time.
type keyState struct {
	// keys are the data keys of the last successful read; nil when the
	// database has no key table (the Metabase format is written).
	keys *keytable.Keys
	// loaded is when the key table was last read successfully; tried when
	// a read was last attempted, and failed is that attempt's error, nil
	// when it succeeded.
	loaded, tried time.Time
	failed        error
	// lost reports that the key table had an active data key and no
	// longer has one (it was dropped or emptied): the keys read before
	// still open values, but nothing is sealed.
	lost bool
}

// set returns the data keys that open values, nil without a key table.
func (st *keyState) set() *codec.DataKeySet {
	if st == nil || st.keys == nil {
		return nil
	}
	return st.keys.Set
}

// keys are the engine's keys: the Metabase keyring of the configuration
// and the data keys of the key table, read again every refresh interval
// and when a value names a data key the engine has not seen.
//
// Sealing never uses keys older than twice the refresh interval: when the
// key table cannot be read for that long, writes to protected columns are
// refused, so that a data key made inactive is out of use everywhere after
// that time (sqlseal keys retire waits for it). Once the engine has seen an
// active data key, a key table that no longer has one (dropped, emptied)
// refuses writes too, instead of falling back to another format or to
// plaintext, until it has one again.
type keys struct {
	ring    *codec.Keyring
	master  codec.Wrapper
	refresh time.Duration
	state   atomic.Pointer[keyState]
	mu      sync.Mutex // serializes reads of the key table
	// sawActive records that a read found an active data key.
	sawActive atomic.Bool
	// lastUnknown rate-limits the loads an unknown key id causes.
	lastUnknown atomic.Int64
	// connect opens a raw connection of the wrapped driver, for a load
	// while the engine's own connections are busy (reading rows).
	connect func(ctx context.Context) (driver.Conn, error)
}

// retryEvery bounds how often a failing key table read is tried again, and
// the reads that values under unknown data key ids cause.
const retryEvery = time.Second

// current returns the data keys as last loaded.
func (k *keys) current() *codec.DataKeySet {
	return k.state.Load().set()
}

// sealing reports whether new values are sealed (with the active data key
// or the keyring's primary key) rather than written as they are, and
// refuses, with an error wrapping sqlseal.ErrNoKey, when they must be
// sealed but cannot be: the key table could not be read for too long, it
// lost its active key, or a master key is configured without a key table
// or secret to seal with.
func (k *keys) sealing() (bool, error) {
	st := k.state.Load()
	switch {
	case st == nil:
		return false, fmt.Errorf("sqlseal: the key table has not been read: %w", errInternal)
	case st.lost:
		return false, fmt.Errorf("sqlseal: writes to protected columns are refused: the key table no longer has an active data key: %w", sqlseal.ErrNoKey)
	case st.keys != nil && st.failed != nil && time.Since(st.loaded) >= 2*k.refresh:
		return false, fmt.Errorf("sqlseal: writes to protected columns are refused: the key table could not be read for %s: %w",
			time.Since(st.loaded).Round(time.Second), errors.Join(sqlseal.ErrNoKey, st.failed))
	case st.set().Active() != nil, k.ring.CanSeal():
		return true, nil
	case k.master != nil:
		return false, fmt.Errorf("sqlseal: writes to protected columns are refused: a master key is configured but the database has no key table (run sqlseal keys init): %w", sqlseal.ErrNoKey)
	}
	return false, nil
}

// sealKey identifies the key new values are sealed with: an active data
// key by id, or (id 0) the keyring's primary key or none.
type sealKey struct{ id uint32 }

// sealKey returns the key new values are sealed with now.
func (k *keys) sealKey() sealKey {
	if a := k.current().Active(); a != nil {
		return sealKey{id: a.ID()}
	}
	return sealKey{}
}

// refreshIfStale reads the key table again over q when the last read is
// older than the refresh interval. Until twice the interval, one
// statement reads while the others go on with the keys they have; after
// that, statements wait for the read.
func (e *Engine) refreshIfStale(ctx context.Context, q driver.QueryerContext) {
	k := &e.keys
	st := k.state.Load()
	if st != nil && !k.due(st) {
		return
	}
	if st != nil && time.Since(st.loaded) < 2*k.refresh {
		if !k.mu.TryLock() {
			return // another statement is reading
		}
	} else {
		k.mu.Lock()
	}
	defer k.mu.Unlock()
	if st := k.state.Load(); st != nil && !k.due(st) {
		return
	}
	if err := e.loadKeysLocked(ctx, q); err != nil {
		e.logger.Warn("sqlseal: reading the key table failed; keeping the keys read before", "error", err)
	}
}

// due reports whether the key table should be read again: the last
// successful read is older than the refresh interval, and the last failed
// one, if any, older than retryEvery.
func (k *keys) due(st *keyState) bool {
	if time.Since(st.loaded) < k.refresh {
		return false
	}
	return st.failed == nil || time.Since(st.tried) >= retryEvery
}

// loadKeys reads the key table over q and unwraps its data keys.
func (e *Engine) loadKeys(ctx context.Context, q driver.QueryerContext) error {
	e.keys.mu.Lock()
	defer e.keys.mu.Unlock()
	return e.loadKeysLocked(ctx, q)
}

// loadKeysLocked is loadKeys with the lock held. A failed read keeps the
// keys read before and records the failure.
func (e *Engine) loadKeysLocked(ctx context.Context, q driver.QueryerContext) error {
	prev := e.keys.state.Load()
	now := time.Now()
	read, err := e.readKeyTable(ctx, q, prev)
	if err != nil {
		st := &keyState{tried: now, failed: err}
		if prev != nil {
			st.keys, st.loaded = prev.keys, prev.loaded
		}
		e.keys.state.Store(st)
		return err
	}
	if read != nil && read.Set.Active() != nil {
		e.keys.sawActive.Store(true)
	} else if e.keys.sawActive.Load() {
		st := &keyState{keys: read, loaded: now, tried: now, lost: true}
		if prev != nil && prev.keys != nil {
			st.keys = prev.keys
		}
		e.keys.state.Store(st)
		return nil
	}
	e.keys.state.Store(&keyState{keys: read, loaded: now, tried: now})
	return nil
}

// readKeyTable reads the key table, nil when there is none. Keys prev
// holds are not unwrapped again.
func (e *Engine) readKeyTable(ctx context.Context, q driver.QueryerContext, prev *keyState) (*keytable.Keys, error) {
	cols, err := e.b.Catalog.TableColumns(ctx, q, query.Table{Name: keytable.Table})
	if err != nil {
		return nil, fmt.Errorf("sqlseal: looking for the key table: %w", err)
	}
	if len(cols) == 0 {
		return nil, nil
	}
	entries, err := keytable.Load(ctx, func(ctx context.Context, sql string, args ...any) ([][]driver.Value, error) {
		return catalog.Query(ctx, q, sql, args...)
	})
	if err != nil {
		return nil, err
	}
	var known *keytable.Keys
	if prev != nil {
		known = prev.keys
	}
	return keytable.DataKeys(ctx, e.keys.master, entries, known)
}

// reloadForUnknown reads the key table again, over a connection of its
// own, because a value names a data key id the engine has not seen: a key
// made since the last read. It reads at most once a second.
func (e *Engine) reloadForUnknown(ctx context.Context) bool {
	now := time.Now().UnixNano()
	last := e.keys.lastUnknown.Load()
	if now-last < int64(retryEvery) || !e.keys.lastUnknown.CompareAndSwap(last, now) || e.keys.connect == nil {
		return false
	}
	conn, err := e.keys.connect(ctx)
	if err != nil {
		e.logger.Warn("sqlseal: connecting to read the key table failed", "error", err)
		return false
	}
	defer conn.Close()
	q, ok := conn.(driver.QueryerContext)
	if !ok {
		return false
	}
	if err := e.loadKeys(ctx, q); err != nil {
		e.logger.Warn("sqlseal: reading the key table failed", "error", err)
		return false
	}
	return true
}

// label is the column label an envelope value of c is bound to: table and
// column in lower case, without schema (docs/ENVELOPE.md).
func label(c analysis.Column) string {
	return strings.ToLower(c.Table + "." + c.Name)
}

// seal seals plaintext for column c of kind k: with the active data key in
// the envelope format when the database has one, otherwise with the
// keyring's primary key in the Metabase format. Text columns get base64.
func (e *Engine) seal(pt []byte, c analysis.Column, k catalog.Kind) (any, error) {
	if ok, err := e.keys.sealing(); !ok || err != nil {
		return nil, cmp.Or(err, fmt.Errorf("sqlseal: protected column %s: no key to seal with: %w", c, errInternal))
	}
	if dk := e.keys.current().Active(); dk != nil {
		if k == catalog.KindBinary {
			return dk.Seal(pt, e.labels[c]), nil
		}
		return dk.SealText(pt, e.labels[c]), nil
	}
	if k == catalog.KindBinary {
		return e.keys.ring.Seal(pt)
	}
	return e.keys.ring.SealText(pt)
}

// open opens one stored value of column c, in either format. A value under
// a data key id the engine does not know makes it read the key table once
// more. A value that is not sealed returns an error wrapping
// codec.ErrNotSealed; any other error says why it does not open, naming the
// column.
func (e *Engine) open(ctx context.Context, v driver.Value, c analysis.Column, k catalog.Kind) ([]byte, error) {
	pt, err := e.openOnce(v, c, k)
	if errors.Is(err, codec.ErrUnknownKeyID) && e.reloadForUnknown(ctx) {
		pt, err = e.openOnce(v, c, k)
	}
	switch {
	case err == nil, errors.Is(err, codec.ErrNotSealed):
		return pt, err
	case errors.Is(err, codec.ErrNotAuthentic):
		if other, ok := e.sealedFor(v, c, k); ok {
			return nil, fmt.Errorf("sqlseal: protected column %s holds a value sealed for protected column %s, which does not open here: %w", c, other, err)
		}
	case errors.Is(err, codec.ErrNoKey):
		return nil, fmt.Errorf("sqlseal: protected column %s holds sealed values but no encryption key is configured; set SQLSEAL_ENCRYPTION_SECRET_KEY: %w", c, err)
	}
	return nil, fmt.Errorf("sqlseal: protected column %s holds a value that looks sealed but no configured key opens it (wrong key, or the value was altered): %w", c, err)
}

// openOnce opens v with the keys as they are.
func (e *Engine) openOnce(v driver.Value, c analysis.Column, k catalog.Kind) ([]byte, error) {
	set := e.keys.current()
	switch x := v.(type) {
	case string:
		pt, _, err := codec.OpenStoredText(x, e.labels[c], set, e.keys.ring)
		return pt, err
	case []byte:
		if k == catalog.KindBinary {
			pt, _, err := codec.OpenStored(x, e.labels[c], set, e.keys.ring)
			return pt, err
		}
		// Opening only reads its argument: view the bytes in place.
		pt, _, err := codec.OpenStoredText(unsafe.String(unsafe.SliceData(x), len(x)), e.labels[c], set, e.keys.ring)
		return pt, err
	}
	return nil, codec.ErrNotSealed
}

// sealedFor returns the protected column whose label opens an envelope
// value that failed to open as c's: a value copied from another protected
// column, which must not open here.
func (e *Engine) sealedFor(v driver.Value, c analysis.Column, k catalog.Kind) (analysis.Column, bool) {
	for other, l := range e.labels {
		if other == c {
			continue
		}
		var err error
		switch x := v.(type) {
		case string:
			_, _, err = codec.OpenStoredText(x, l, e.keys.current(), nil)
		case []byte:
			if k == catalog.KindBinary {
				_, _, err = codec.OpenStored(x, l, e.keys.current(), nil)
			} else {
				_, _, err = codec.OpenStoredText(string(x), l, e.keys.current(), nil)
			}
		}
		if err == nil {
			return other, true
		}
	}
	return analysis.Column{}, false
}
