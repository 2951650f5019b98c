package keytable

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/sqlseal/sqlseal/codec"
)

// Flavor is the SQL of one database family for the key table.
type Flavor struct {
	// Create creates the table.
	Create string
	// Exists is a query whose one row tells whether the table exists (a
	// non-zero count).
	Exists string
	// Placeholder is the n-th (1-based) bind parameter.
	Placeholder func(n int) string
	// CreatedWithin is a condition true of entries made less than secs
	// seconds ago, by the database's clock.
	CreatedWithin func(secs int64) string
}

// FlavorOf returns the flavor of a database family: "postgres", "mysql"
// (MySQL and MariaDB) or "sqlite".
func FlavorOf(family string) (Flavor, error) {
	dollar := func(n int) string { return "$" + strconv.Itoa(n) }
	question := func(int) string { return "?" }
	switch family {
	case "postgres":
		return Flavor{
			Create: `CREATE TABLE ` + Table + ` (id integer PRIMARY KEY, purpose text NOT NULL, state text NOT NULL,
				kek text NOT NULL, wrapped bytea NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
			Exists:      `SELECT count(*) FROM pg_catalog.pg_class WHERE oid = to_regclass('` + Table + `')`,
			Placeholder: dollar,
			CreatedWithin: func(secs int64) string {
				return fmt.Sprintf("created_at > now() - interval '%d seconds'", secs)
			},
		}, nil
	case "mysql":
		return Flavor{
			Create: `CREATE TABLE ` + Table + ` (id INT PRIMARY KEY, purpose VARCHAR(16) NOT NULL, state VARCHAR(16) NOT NULL,
				kek VARCHAR(512) NOT NULL, wrapped VARBINARY(2048) NOT NULL, created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)`,
			Exists:      `SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '` + Table + `'`,
			Placeholder: question,
			CreatedWithin: func(secs int64) string {
				return fmt.Sprintf("created_at > NOW() - INTERVAL %d SECOND", secs)
			},
		}, nil
	case "sqlite":
		return Flavor{
			Create: `CREATE TABLE ` + Table + ` (id INTEGER PRIMARY KEY, purpose TEXT NOT NULL, state TEXT NOT NULL,
				kek TEXT NOT NULL, wrapped BLOB NOT NULL, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)`,
			Exists:      `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '` + Table + `'`,
			Placeholder: question,
			CreatedWithin: func(secs int64) string {
				return fmt.Sprintf("created_at > datetime('now', '-%d seconds')", secs)
			},
		}, nil
	}
	return Flavor{}, fmt.Errorf("sqlseal: no key table for database family %q", family)
}

// DB is what the key table's writers need: a *sql.DB or *sql.Tx of the
// database's own driver.
type DB interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Query returns the QueryFunc of db.
func Query(db DB) QueryFunc {
	return func(ctx context.Context, query string, args ...any) ([][]driver.Value, error) {
		rows, err := db.QueryContext(ctx, query, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			return nil, err
		}
		var out [][]driver.Value
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return nil, err
			}
			row := make([]driver.Value, len(vals))
			for i, v := range vals {
				row[i] = v
			}
			out = append(out, row)
		}
		return out, rows.Err()
	}
}

// ErrExists is returned by Init when the key table exists already.
var ErrExists = errors.New("the key table exists already")

// ErrNoTable is returned by the writers when there is no key table.
var ErrNoTable = errors.New("there is no key table (run sqlseal keys init)")

// Exists reports whether the key table exists.
func Exists(ctx context.Context, db DB, f Flavor) (bool, error) {
	rows, err := Query(db)(ctx, f.Exists)
	if err != nil {
		return false, fmt.Errorf("sqlseal: looking for the key table: %w", err)
	}
	if len(rows) != 1 || len(rows[0]) != 1 {
		return false, fmt.Errorf("sqlseal: looking for the key table: no answer")
	}
	n, err := toInt(rows[0][0])
	return n > 0, err
}

// Init creates the key table and its first active data key, wrapped by
// master. It fails with ErrExists when the table exists.
func Init(ctx context.Context, db DB, f Flavor, master codec.Wrapper) (Entry, error) {
	if master == nil {
		return Entry{}, fmt.Errorf("sqlseal: %w: set SQLSEAL_ENCRYPTION_SECRET_KEY or SQLSEAL_KEK_URL", ErrNoMasterKey)
	}
	exists, err := Exists(ctx, db, f)
	if err != nil {
		return Entry{}, err
	}
	if exists {
		return Entry{}, fmt.Errorf("sqlseal: %w", ErrExists)
	}
	if _, err := db.ExecContext(ctx, f.Create); err != nil {
		return Entry{}, fmt.Errorf("sqlseal: creating the key table: %w", err)
	}
	return insert(ctx, db, f, master, 1, PurposeData)
}

// NewKey makes a new active key of purpose p, wrapped by master; the
// previous active key of that purpose becomes a decrypt key. Run it in a
// transaction.
func NewKey(ctx context.Context, db DB, f Flavor, master codec.Wrapper, p Purpose) (Entry, error) {
	entries, err := load(ctx, db, f)
	if err != nil {
		return Entry{}, err
	}
	var next uint32 = 1
	for _, e := range entries {
		if e.ID >= next {
			next = e.ID + 1
		}
	}
	if _, err := db.ExecContext(ctx, `UPDATE `+Table+` SET state = `+f.Placeholder(1)+` WHERE purpose = `+f.Placeholder(2)+` AND state = `+f.Placeholder(3),
		string(StateDecrypt), string(p), string(StateActive)); err != nil {
		return Entry{}, fmt.Errorf("sqlseal: demoting the active %s key: %w", p, err)
	}
	return insert(ctx, db, f, master, next, p)
}

// insert generates a key, wraps it with master and stores it as active.
func insert(ctx context.Context, db DB, f Flavor, master codec.Wrapper, id uint32, p Purpose) (Entry, error) {
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
	ph := f.Placeholder
	_, err = db.ExecContext(ctx, `INSERT INTO `+Table+` (id, purpose, state, kek, wrapped) VALUES (`+
		ph(1)+`, `+ph(2)+`, `+ph(3)+`, `+ph(4)+`, `+ph(5)+`)`, int64(id), string(p), string(StateActive), master.ID(), wrapped)
	if err != nil {
		return Entry{}, fmt.Errorf("sqlseal: storing key %d: %w", id, err)
	}
	return Entry{ID: id, Purpose: p, State: StateActive, KEK: master.ID(), Wrapped: wrapped}, nil
}

// Rewrap wraps every entry (every purpose and state) under to instead of
// from, and touches no other table: a master key rotation. Each new
// wrapping is unwrapped again with to and compared before it is stored,
// and each entry is updated only if it still holds what was read. Entries
// already wrapped by to are left alone, so an interrupted rewrap can be run
// again. Run it in a transaction. It returns how many entries it
// rewrapped.
func Rewrap(ctx context.Context, db DB, f Flavor, from, to codec.Wrapper) (int, error) {
	if from.ID() == to.ID() {
		return 0, fmt.Errorf("sqlseal: the key table is wrapped by %s already", to.ID())
	}
	entries, err := load(ctx, db, f)
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

// ErrInUse is returned by Retire for a key that may still be sealing.
var ErrInUse = errors.New("the key may still be in use")

// Retire makes a decrypt key retired: it opens nothing from then on. The
// caller checks first that no value uses it. The active key cannot be
// retired; make a new one first. Nor can a key that was active less than
// grace ago, by the database's clock: running applications may still seal
// with it until they read the key table again (twice their refresh
// interval at most). Run it in a transaction.
func Retire(ctx context.Context, db DB, f Flavor, id uint32, grace time.Duration) error {
	entries, err := load(ctx, db, f)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.ID != id {
			continue
		}
		switch e.State {
		case StateActive:
			return fmt.Errorf("sqlseal: key %d is the active %s key; make a new one (sqlseal keys new) before retiring it: %w", id, e.Purpose, ErrInUse)
		case StateRetired:
			return nil
		}
		secs := int64(grace.Seconds() + 0.5)
		recent, err := Query(db)(ctx, `SELECT count(*) FROM `+Table+` WHERE purpose = `+f.Placeholder(1)+` AND id > `+f.Placeholder(2)+` AND `+f.CreatedWithin(secs),
			string(e.Purpose), int64(id))
		if err != nil {
			return fmt.Errorf("sqlseal: reading when key %d stopped being active: %w", id, err)
		}
		if len(recent) != 1 || len(recent[0]) != 1 {
			return fmt.Errorf("sqlseal: reading when key %d stopped being active: no answer", id)
		}
		if n, err := toInt(recent[0][0]); err != nil || n > 0 {
			return fmt.Errorf("sqlseal: key %d was active less than %s ago; applications may still seal with it until they read the key table again: %w", id, grace, ErrInUse)
		}
		_, err = db.ExecContext(ctx, `UPDATE `+Table+` SET state = `+f.Placeholder(1)+` WHERE id = `+f.Placeholder(2)+` AND state = `+f.Placeholder(3),
			string(StateRetired), int64(id), string(StateDecrypt))
		if err != nil {
			return fmt.Errorf("sqlseal: retiring key %d: %w", id, err)
		}
		return nil
	}
	return fmt.Errorf("sqlseal: the key table has no key %d", id)
}

// load reads the entries, failing with ErrNoTable when there is no table.
func load(ctx context.Context, db DB, f Flavor) ([]Entry, error) {
	exists, err := Exists(ctx, db, f)
	if err != nil {
		return nil, err
	}
	if !exists {
		return nil, fmt.Errorf("sqlseal: %w", ErrNoTable)
	}
	return Load(ctx, Query(db))
}

// LoadIfExists reads the entries of the key table, nil when there is none.
func LoadIfExists(ctx context.Context, db DB, f Flavor) ([]Entry, error) {
	exists, err := Exists(ctx, db, f)
	if err != nil || !exists {
		return nil, err
	}
	return Load(ctx, Query(db))
}
