package engine

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/catalog"
	"github.com/sqlseal/sqlseal/internal/keytable"
	"github.com/sqlseal/sqlseal/internal/query"
)

// keyState is what the engine knows of the key table at one time.
type keyState struct {
	// set holds the data keys that open values, its active key the one
	// that seals; nil when the database has no key table (the Metabase
	// format is written).
	set    *codec.DataKeySet
	loaded time.Time
}

// keys are the engine's keys: the Metabase keyring of the configuration
// and the data keys of the key table, read again every refresh interval
// and when a value names a data key the engine has not seen.
type keys struct {
	ring    *codec.Keyring
	master  codec.Wrapper
	refresh time.Duration
	state   atomic.Pointer[keyState]
	mu      sync.Mutex // serializes loads
	// lastUnknown rate-limits the loads an unknown key id causes.
	lastUnknown atomic.Int64
	// connect opens a raw connection of the wrapped driver, for a load
	// while the engine's own connections are busy (reading rows).
	connect func(ctx context.Context) (driver.Conn, error)
}

// unknownReloadEvery bounds the key table reads that values under unknown
// data key ids cause.
const unknownReloadEvery = time.Second

// current returns the data keys as last loaded.
func (k *keys) current() *codec.DataKeySet {
	if st := k.state.Load(); st != nil {
		return st.set
	}
	return nil
}

// canSeal reports whether new values are sealed (with the active data key
// or the keyring's primary key) rather than written as they are.
func (k *keys) canSeal() bool {
	return k.current().Active() != nil || k.ring.CanSeal()
}

// refreshIfStale reads the key table again over q when the last read is
// older than the refresh interval. A failed read keeps the keys as they
// were and is tried again at the next interval.
func (e *Engine) refreshIfStale(ctx context.Context, q driver.QueryerContext) {
	st := e.keys.state.Load()
	if st != nil && time.Since(st.loaded) < e.keys.refresh {
		return
	}
	if !e.keys.mu.TryLock() {
		return // another connection is loading; use the keys as they are
	}
	defer e.keys.mu.Unlock()
	if st := e.keys.state.Load(); st != nil && time.Since(st.loaded) < e.keys.refresh {
		return
	}
	if err := e.loadKeysLocked(ctx, q); err != nil {
		e.logger.Warn("sqlseal: reading the key table failed; keeping the keys read before", "error", err)
		prev := e.keys.state.Load()
		e.keys.state.Store(&keyState{set: prev.setOrNil(), loaded: time.Now()})
	}
}

// setOrNil is st.set, or nil for a nil state.
func (st *keyState) setOrNil() *codec.DataKeySet {
	if st == nil {
		return nil
	}
	return st.set
}

// loadKeys reads the key table over q and unwraps its data keys.
func (e *Engine) loadKeys(ctx context.Context, q driver.QueryerContext) error {
	e.keys.mu.Lock()
	defer e.keys.mu.Unlock()
	return e.loadKeysLocked(ctx, q)
}

// loadKeysLocked is loadKeys with the lock held.
func (e *Engine) loadKeysLocked(ctx context.Context, q driver.QueryerContext) error {
	cols, err := e.b.Catalog.TableColumns(ctx, q, query.Table{Name: keytable.Table})
	if err != nil {
		return fmt.Errorf("sqlseal: looking for the key table: %w", err)
	}
	if len(cols) == 0 {
		e.keys.state.Store(&keyState{loaded: time.Now()})
		return nil
	}
	entries, err := keytable.Load(ctx, func(ctx context.Context, sql string, args ...any) ([][]driver.Value, error) {
		return catalog.Query(ctx, q, sql, args...)
	})
	if err != nil {
		return err
	}
	set, err := keytable.DataKeys(ctx, e.keys.master, entries)
	if err != nil {
		return err
	}
	e.keys.state.Store(&keyState{set: set, loaded: time.Now()})
	return nil
}

// reloadForUnknown reads the key table again, over a connection of its
// own, because a value names a data key id the engine has not seen: a key
// made since the last read. It reads at most once a second.
func (e *Engine) reloadForUnknown(ctx context.Context) bool {
	now := time.Now().UnixNano()
	last := e.keys.lastUnknown.Load()
	if now-last < int64(unknownReloadEvery) || !e.keys.lastUnknown.CompareAndSwap(last, now) || e.keys.connect == nil {
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
