package keytable

import (
	"context"
	"crypto/subtle"
	"fmt"

	"github.com/sqlseal/sqlseal/codec"
)

// Rewrap wraps every entry (every purpose and state) under to instead of
// from, and touches no other table: a master key rotation. Each new
// wrapping is unwrapped again with to and compared before it is stored,
// and each entry is updated only if it still holds what was read. Entries
// already wrapped by to are left alone, so an interrupted rewrap can be run
// again. Given a *sql.DB, it runs in a transaction of its own. It returns
// how many entries it rewrapped.
func Rewrap(ctx context.Context, db DB, f Flavor, from, to codec.Wrapper) (n int, err error) {
	if from.ID() == to.ID() {
		return 0, fmt.Errorf("sqlseal: the key table is wrapped by %s already", to.ID())
	}
	err = inTx(ctx, db, func(db DB) error {
		n, err = rewrap(ctx, db, f, from, to)
		return err
	})
	return n, err
}

// rewrap is Rewrap in a transaction.
func rewrap(ctx context.Context, db DB, f Flavor, from, to codec.Wrapper) (int, error) {
	entries, err := lockAndLoad(ctx, db, f)
	if err != nil {
		return 0, err
	}
	ph := f.Placeholder
	n := 0
	for _, e := range entries {
		switch e.KEK {
		case to.ID():
			continue
		case from.ID():
		default:
			return 0, fmt.Errorf("sqlseal: key table entry %d is wrapped by %s, not by the configured master key %s: %w", e.ID, e.KEK, from.ID(), codec.ErrUnwrap)
		}
		wrapped, err := rewrapOne(ctx, e, from, to)
		if err != nil {
			return 0, err
		}
		res, err := db.ExecContext(ctx, `UPDATE `+Table+` SET kek = `+ph(1)+`, wrapped = `+ph(2)+` WHERE id = `+ph(3)+` AND kek = `+ph(4),
			to.ID(), wrapped, int64(e.ID), e.KEK)
		if err != nil {
			return 0, fmt.Errorf("sqlseal: storing key table entry %d: %w", e.ID, err)
		}
		if n, err := res.RowsAffected(); err == nil && n != 1 {
			return 0, fmt.Errorf("sqlseal: key table entry %d changed while it was rewrapped: %w", e.ID, ErrTable)
		}
		n++
	}
	return n, nil
}

// rewrapOne unwraps e's key with from, wraps it with to, and checks that
// to unwraps the result to the same key: a master key that wraps but
// cannot unwrap (a KMS key without decrypt permission) must not replace
// the one that works.
func rewrapOne(ctx context.Context, e Entry, from, to codec.Wrapper) ([]byte, error) {
	key, err := from.Unwrap(ctx, e.ID, e.Wrapped)
	if err != nil {
		return nil, fmt.Errorf("sqlseal: unwrapping key table entry %d: %w", e.ID, err)
	}
	defer clear(key)
	wrapped, err := to.Wrap(ctx, e.ID, key)
	if err != nil {
		return nil, fmt.Errorf("sqlseal: wrapping key table entry %d under %s: %w", e.ID, to.ID(), err)
	}
	back, err := to.Unwrap(ctx, e.ID, wrapped)
	if err != nil {
		return nil, fmt.Errorf("sqlseal: checking key table entry %d under %s: it does not unwrap: %w", e.ID, to.ID(), err)
	}
	defer clear(back)
	if subtle.ConstantTimeCompare(back, key) != 1 {
		return nil, fmt.Errorf("sqlseal: checking key table entry %d under %s: it unwraps to another key: %w", e.ID, to.ID(), codec.ErrUnwrap)
	}
	return wrapped, nil
}
