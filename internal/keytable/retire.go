package keytable

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrInUse is returned by Retire for a key that may still be in use.
var ErrInUse = errors.New("the key may still be in use")

// Retire makes a decrypt key retired: it opens nothing from then on. The
// caller checks first that no committed value uses it. Retire refuses
// (ErrInUse) the active key (make a new one first); a key that was active
// less than grace ago, by the database's clock, since running applications
// may still seal with it until they read the key table again (twice their
// refresh interval at most); and, where the database can tell, while a
// transaction of another session that began before the key stopped being
// active is still open, since it may commit values sealed with it. Given a
// *sql.DB, it runs in a transaction of its own.
func Retire(ctx context.Context, db DB, f Flavor, id uint32, grace time.Duration) error {
	return inTx(ctx, db, func(db DB) error { return retire(ctx, db, f, id, grace) })
}

// retire is Retire in a transaction.
func retire(ctx context.Context, db DB, f Flavor, id uint32, grace time.Duration) error {
	entries, err := lockAndLoad(ctx, db, f)
	if err != nil {
		return err
	}
	i := -1
	for j, e := range entries {
		if e.ID == id {
			i = j
		}
	}
	if i < 0 {
		return fmt.Errorf("sqlseal: the key table has no key %d", id)
	}
	e := entries[i]
	switch e.State {
	case StateActive:
		return fmt.Errorf("sqlseal: key %d is the active %s key; make a new one (sqlseal keys new) before retiring it: %w", id, e.Purpose, ErrInUse)
	case StateRetired:
		return nil
	}
	ph := f.Placeholder
	successor := `SELECT min(created_at) FROM ` + Table + ` WHERE purpose = ` + ph(1) + ` AND id > ` + ph(2)
	recent, err := count(ctx, db, `SELECT count(*) FROM `+Table+` WHERE purpose = `+ph(1)+` AND id > `+ph(2)+` AND `+f.CreatedWithin(int64(grace.Seconds()+0.5)),
		string(e.Purpose), int64(id))
	if err != nil {
		return fmt.Errorf("sqlseal: reading when key %d stopped being active: %w", id, err)
	}
	if recent > 0 {
		return fmt.Errorf("sqlseal: key %d was active less than %s ago; applications may still seal with it until they read the key table again: %w", id, grace, ErrInUse)
	}
	if f.OpenSince != "" {
		rows, err := Query(db)(ctx, successor, string(e.Purpose), int64(id))
		if err != nil || len(rows) != 1 || len(rows[0]) != 1 || rows[0][0] == nil {
			return fmt.Errorf("sqlseal: reading when key %d stopped being active: %v", id, err)
		}
		open, err := count(ctx, db, f.OpenSince, rows[0][0])
		if err != nil {
			return fmt.Errorf("sqlseal: looking for transactions that may still write values sealed with key %d (the role needs to see other sessions' transactions): %w", id, err)
		}
		if open > 0 {
			return fmt.Errorf("sqlseal: %d transactions that began while key %d was active are still open and may commit values sealed with it; retry when they have ended: %w", open, id, ErrInUse)
		}
	}
	_, err = db.ExecContext(ctx, `UPDATE `+Table+` SET state = `+ph(1)+` WHERE id = `+ph(2)+` AND state = `+ph(3),
		string(StateRetired), int64(id), string(StateDecrypt))
	if err != nil {
		return fmt.Errorf("sqlseal: retiring key %d: %w", id, err)
	}
	return nil
}
