package keytable

import (
	"context"
	"fmt"
	"sync"

	"github.com/sqlseal/sqlseal/codec"
)

// unwrappedIndex holds the index keys this process has unwrapped, as
// unwrapped does for data keys.
var unwrappedIndex sync.Map // cacheKey -> *codec.IndexKey

// IndexKeys are the blind-index keys of a key table: the active one, whose
// terms are written, and those in state decrypt, whose terms lookups still
// match while the sibling columns are being rebuilt under the active one.
type IndexKeys struct {
	Active   *codec.IndexKey
	ActiveID uint32
	Previous []*codec.IndexKey
}

// IndexKeysOf unwraps the index keys (purpose index) of entries with
// master; nil when the table has no active index key. Each key is
// unwrapped once per process.
func IndexKeysOf(ctx context.Context, master codec.Wrapper, entries []Entry) (*IndexKeys, error) {
	active, err := Active(entries, PurposeIndex)
	if err != nil || active == nil {
		return nil, err
	}
	if master == nil {
		return nil, fmt.Errorf("sqlseal: the key table has index keys but no master key is configured: %w", ErrNoMasterKey)
	}
	out := &IndexKeys{ActiveID: active.ID}
	for _, e := range entries {
		if e.Purpose != PurposeIndex || e.State == StateRetired {
			continue
		}
		k, err := unwrapIndex(ctx, master, e)
		if err != nil {
			return nil, err
		}
		if e.ID == active.ID {
			out.Active = k
		} else {
			out.Previous = append(out.Previous, k)
		}
	}
	return out, nil
}

// unwrapIndex returns the index key of entry e.
func unwrapIndex(ctx context.Context, master codec.Wrapper, e Entry) (*codec.IndexKey, error) {
	if e.KEK != master.ID() {
		return nil, fmt.Errorf("sqlseal: key table entry %d is wrapped by the master key %s, but the configured master key is %s: %w",
			e.ID, e.KEK, master.ID(), codec.ErrUnwrap)
	}
	ck := cacheKey{master: master.ID(), id: e.ID, wrapped: string(e.Wrapped)}
	if k, ok := unwrappedIndex.Load(ck); ok {
		return k.(*codec.IndexKey), nil
	}
	k, err := codec.UnwrapIndexKey(ctx, master, e.ID, e.Wrapped)
	if err != nil {
		return nil, fmt.Errorf("sqlseal: unwrapping key table entry %d with the master key %s: %w", e.ID, master.ID(), err)
	}
	actual, _ := unwrappedIndex.LoadOrStore(ck, k)
	return actual.(*codec.IndexKey), nil
}
