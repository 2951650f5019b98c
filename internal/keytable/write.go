package keytable

import (
	"context"
	"errors"
	"fmt"

	"github.com/sqlseal/sqlseal/codec"
)

// ErrExists is returned by Init when the key table exists already.
var ErrExists = errors.New("the key table exists already")

// ErrNoTable is returned by the writers when there is no key table.
var ErrNoTable = errors.New("there is no key table (run sqlseal keys init)")

// ErrMixedMasters is returned by NewKey when an entry is wrapped by another
// master key than the one given: every key of the table must stay under
// one master key, or a process that has only one of them loses the others.
var ErrMixedMasters = errors.New("the key table's entries are wrapped by another master key")

// Init creates the key table and its first active data key, wrapped by
// master. It fails with ErrExists when the table has entries; a table left
// empty (by an Init interrupted where CREATE TABLE commits at once, as in
// MySQL) gets its first key. The key is made, wrapped and checked before
// anything is written. Given a *sql.DB, it runs in a transaction of its
// own.
func Init(ctx context.Context, db DB, f Flavor, master codec.Wrapper) (Entry, error) {
	if master == nil {
		return Entry{}, fmt.Errorf("sqlseal: %w: set SQLSEAL_ENCRYPTION_SECRET_KEY or SQLSEAL_KEK_URL", ErrNoMasterKey)
	}
	e, err := generate(ctx, master, 1, PurposeData)
	if err != nil {
		return Entry{}, err
	}
	return e, inTx(ctx, db, func(db DB) error {
		exists, err := Exists(ctx, db, f)
		if err != nil {
			return err
		}
		if !exists {
			if _, err := db.ExecContext(ctx, f.Create); err != nil {
				return fmt.Errorf("sqlseal: creating the key table: %w", err)
			}
		}
		entries, err := lockAndLoad(ctx, db, f)
		if err != nil {
			return err
		}
		if len(entries) > 0 {
			return fmt.Errorf("sqlseal: %w", ErrExists)
		}
		return store(ctx, db, f, e)
	})
}

// NewKey makes a new active key of purpose p, wrapped by master; the
// previous active key of that purpose becomes a decrypt key. It refuses
// (ErrMixedMasters) when an entry that still opens values is wrapped by
// another master key: a rewrap happened since master was chosen. Given a
// *sql.DB, it runs in a transaction of its own.
func NewKey(ctx context.Context, db DB, f Flavor, master codec.Wrapper, p Purpose) (e Entry, err error) {
	if master == nil {
		return Entry{}, fmt.Errorf("sqlseal: %w", ErrNoMasterKey)
	}
	err = inTx(ctx, db, func(db DB) error {
		e, err = newKey(ctx, db, f, master, p)
		return err
	})
	return e, err
}

// newKey is NewKey in a transaction.
func newKey(ctx context.Context, db DB, f Flavor, master codec.Wrapper, p Purpose) (Entry, error) {
	entries, err := lockAndLoad(ctx, db, f)
	if err != nil {
		return Entry{}, err
	}
	var next uint32 = 1
	for _, e := range entries {
		if e.State != StateRetired && e.KEK != master.ID() {
			return Entry{}, fmt.Errorf("sqlseal: key table entry %d is wrapped by %s, not by the configured master key %s; configure that one, or rewrap first: %w",
				e.ID, e.KEK, master.ID(), ErrMixedMasters)
		}
		if e.ID >= next {
			next = e.ID + 1
		}
	}
	e, err := generate(ctx, master, next, p)
	if err != nil {
		return Entry{}, err
	}
	if _, err := db.ExecContext(ctx, `UPDATE `+Table+` SET state = `+f.Placeholder(1)+` WHERE purpose = `+f.Placeholder(2)+` AND state = `+f.Placeholder(3),
		string(StateDecrypt), string(p), string(StateActive)); err != nil {
		return Entry{}, fmt.Errorf("sqlseal: demoting the active %s key: %w", p, err)
	}
	return e, store(ctx, db, f, e)
}

// generate makes a key of purpose p, wraps it with master and returns it
// as an active entry; codec checks that master unwraps it again.
func generate(ctx context.Context, master codec.Wrapper, id uint32, p Purpose) (Entry, error) {
	var wrapped []byte
	var err error
	if p == PurposeIndex {
		_, wrapped, err = codec.GenerateIndexKey(ctx, master, id)
	} else {
		_, wrapped, err = codec.GenerateDataKey(ctx, master, id)
	}
	if err != nil {
		return Entry{}, fmt.Errorf("sqlseal: making key %d: %w", id, err)
	}
	return Entry{ID: id, Purpose: p, State: StateActive, KEK: master.ID(), Wrapped: wrapped}, nil
}

// store inserts e, made now by the database's clock.
func store(ctx context.Context, db DB, f Flavor, e Entry) error {
	ph := f.Placeholder
	_, err := db.ExecContext(ctx, `INSERT INTO `+Table+` (id, purpose, state, kek, wrapped, created_at) VALUES (`+
		ph(1)+`, `+ph(2)+`, `+ph(3)+`, `+ph(4)+`, `+ph(5)+`, `+f.Now+`)`, int64(e.ID), string(e.Purpose), string(e.State), e.KEK, e.Wrapped)
	if err != nil {
		return fmt.Errorf("sqlseal: storing key %d: %w", e.ID, err)
	}
	return nil
}
