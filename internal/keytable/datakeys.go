package keytable

import (
	"context"
	"fmt"
	"sync"

	"github.com/sqlseal/sqlseal/codec"
)

// unwrapped holds the data keys this process has unwrapped, by master key
// and entry id: the master key (a KMS, possibly) is asked once per key per
// process. An entry's key never changes; rewrapping it under another master
// key changes the master key's id, and its first use unwraps it again.
var unwrapped sync.Map // cacheKey -> *codec.DataKey

type cacheKey struct {
	master string
	id     uint32
}

// DataKeys unwraps the data keys of entries that still open values (active
// and decrypt) and returns them as a set whose active key seals. Keys seen
// before in this process are not unwrapped again. Entries wrapped by
// another master key than master are an error naming the one they need.
func DataKeys(ctx context.Context, master codec.Wrapper, entries []Entry) (*codec.DataKeySet, error) {
	active, err := Active(entries, PurposeData)
	if err != nil {
		return nil, err
	}
	var keys []*codec.DataKey
	var activeKey *codec.DataKey
	for _, e := range entries {
		if e.Purpose != PurposeData || e.State == StateRetired {
			continue
		}
		if master == nil {
			return nil, fmt.Errorf("sqlseal: %w: set SQLSEAL_ENCRYPTION_SECRET_KEY or SQLSEAL_KEK_URL to the master key the key table names (%s)", ErrNoMasterKey, e.KEK)
		}
		k, err := Unwrap(ctx, master, e)
		if err != nil {
			return nil, err
		}
		if active != nil && e.ID == active.ID {
			activeKey = k
			continue
		}
		keys = append(keys, k)
	}
	return codec.NewDataKeySet(activeKey, keys...)
}

// Unwrap returns the data key of entry e, unwrapping it with master unless
// this process has already.
func Unwrap(ctx context.Context, master codec.Wrapper, e Entry) (*codec.DataKey, error) {
	if e.KEK != master.ID() {
		return nil, fmt.Errorf("sqlseal: key table entry %d is wrapped by the master key %s, but the configured master key is %s: %w",
			e.ID, e.KEK, master.ID(), codec.ErrUnwrap)
	}
	ck := cacheKey{master: master.ID(), id: e.ID}
	if k, ok := unwrapped.Load(ck); ok {
		return k.(*codec.DataKey), nil
	}
	k, err := codec.UnwrapDataKey(ctx, master, e.ID, e.Wrapped)
	if err != nil {
		return nil, fmt.Errorf("sqlseal: unwrapping key table entry %d with the master key %s: %w", e.ID, master.ID(), err)
	}
	actual, _ := unwrapped.LoadOrStore(ck, k)
	return actual.(*codec.DataKey), nil
}
