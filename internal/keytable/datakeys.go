package keytable

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/sqlseal/sqlseal/codec"
)

// unwrapped holds the data keys this process has unwrapped, by master key,
// entry id and wrapped bytes: the master key (a KMS, possibly) is asked
// once per key per process. The wrapped bytes are part of the key because
// ids are only unique within one database: two databases whose key tables
// one master key wraps both have a key 1, and a key table made again from
// scratch has a new key 1. Rewrapping an entry changes its bytes, and its
// first use unwraps it again.
var unwrapped sync.Map // cacheKey -> *codec.DataKey

type cacheKey struct {
	master  string
	id      uint32
	wrapped string
}

// Keys are the data keys read from one key table: the entries as read and
// the set of their keys that open values.
type Keys struct {
	Entries []Entry
	// Set holds the keys of the active and decrypt entries; its active key
	// seals.
	Set *codec.DataKeySet
	// Cached and Unwrapped count the keys of Set that DataKeys took from
	// the keys read before or the process's cache, and those the master
	// key unwrapped (with a KMS, one call to it each).
	Cached, Unwrapped int
}

// DataKeys unwraps the data keys of entries that still open values (active
// and decrypt) and returns them with a set whose active key seals. An
// entry that prev holds unchanged (same id, purpose and creation time: the
// same key, possibly rewrapped since) keeps prev's key, so that a process
// whose master key is the one the table was just rewrapped from keeps
// working; other keys seen before in this process are not unwrapped again.
// Entries wrapped by another master key than master are an error naming
// the one they need. prev may be nil.
func DataKeys(ctx context.Context, master codec.Wrapper, entries []Entry, prev *Keys) (*Keys, error) {
	active, err := Active(entries, PurposeData)
	if err != nil {
		return nil, err
	}
	var keys []*codec.DataKey
	var activeKey *codec.DataKey
	var cached, unwrappedNow int
	for _, e := range entries {
		if e.Purpose != PurposeData || e.State == StateRetired {
			continue
		}
		k, ok := prev.reuse(e)
		if !ok {
			if master == nil {
				return nil, fmt.Errorf("sqlseal: %w: set SQLSEAL_ENCRYPTION_SECRET_KEY or SQLSEAL_KEK_URL to the master key the key table names (%s)", ErrNoMasterKey, e.KEK)
			}
			if k, ok, err = unwrap(ctx, master, e); err != nil {
				return nil, err
			}
		}
		if ok {
			cached++
		} else {
			unwrappedNow++
		}
		if active != nil && e.ID == active.ID {
			activeKey = k
			continue
		}
		keys = append(keys, k)
	}
	set, err := codec.NewDataKeySet(activeKey, keys...)
	if err != nil {
		return nil, err
	}
	return &Keys{Entries: entries, Set: set, Cached: cached, Unwrapped: unwrappedNow}, nil
}

// reuse returns the key of k's entry that e is, rewrapped: same id,
// purpose and creation time, wrapped by another master key (a rewrap
// always changes it). An entry made anew under the same id is another key:
// if its master key is the same, it is not taken for the old one; its
// creation time, kept to a fraction of a second, tells it apart otherwise.
func (k *Keys) reuse(e Entry) (*codec.DataKey, bool) {
	if k == nil || e.Created == "" {
		return nil, false
	}
	for _, p := range k.Entries {
		if p.ID == e.ID && p.Purpose == e.Purpose && p.Created == e.Created && p.KEK != e.KEK {
			return k.Set.Lookup(e.ID)
		}
		if p.ID == e.ID && p.Purpose == e.Purpose && p.Created == e.Created && string(p.Wrapped) == string(e.Wrapped) {
			return k.Set.Lookup(e.ID)
		}
	}
	return nil, false
}

// WithoutActive returns k with no active key: its keys still open values,
// none seals. Nil for nil.
func (k *Keys) WithoutActive() *Keys {
	if k == nil || k.Set.Active() == nil {
		return k
	}
	var keys []*codec.DataKey
	for _, e := range k.Entries {
		if dk, ok := k.Set.Lookup(e.ID); ok {
			keys = append(keys, dk)
		}
	}
	set, err := codec.NewDataKeySet(nil, keys...)
	if err != nil {
		return &Keys{Entries: k.Entries}
	}
	return &Keys{Entries: k.Entries, Set: set}
}

// Label is the column label an envelope value is bound to: the protected
// column's table and column as the database names them, in lower case,
// without schema (docs/ENVELOPE.md).
func Label(table, column string) string {
	return strings.ToLower(table + "." + column)
}

// Unwrap returns the data key of entry e, unwrapping it with master unless
// this process has already.
func Unwrap(ctx context.Context, master codec.Wrapper, e Entry) (*codec.DataKey, error) {
	k, _, err := unwrap(ctx, master, e)
	return k, err
}

// unwrap is Unwrap; cached reports that the key came from the process's
// cache.
func unwrap(ctx context.Context, master codec.Wrapper, e Entry) (k *codec.DataKey, cached bool, err error) {
	if e.KEK != master.ID() {
		return nil, false, fmt.Errorf("sqlseal: key table entry %d is wrapped by the master key %s, but the configured master key is %s: %w",
			e.ID, e.KEK, master.ID(), codec.ErrUnwrap)
	}
	ck := cacheKey{master: master.ID(), id: e.ID, wrapped: string(e.Wrapped)}
	if k, ok := unwrapped.Load(ck); ok {
		return k.(*codec.DataKey), true, nil
	}
	k, err = codec.UnwrapDataKey(ctx, master, e.ID, e.Wrapped)
	if err != nil {
		return nil, false, fmt.Errorf("sqlseal: unwrapping key table entry %d with the master key %s: %w", e.ID, master.ID(), err)
	}
	actual, _ := unwrapped.LoadOrStore(ck, k)
	return actual.(*codec.DataKey), false, nil
}
