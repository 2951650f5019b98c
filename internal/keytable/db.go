package keytable

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
)

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

// count runs a query whose one row is one number.
func count(ctx context.Context, db DB, query string, args ...any) (int64, error) {
	rows, err := Query(db)(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	if len(rows) != 1 || len(rows[0]) != 1 {
		return 0, fmt.Errorf("no answer")
	}
	return toInt(rows[0][0])
}

// Exists reports whether the key table exists.
func Exists(ctx context.Context, db DB, f Flavor) (bool, error) {
	n, err := count(ctx, db, f.Exists)
	if err != nil {
		return false, fmt.Errorf("sqlseal: looking for the key table: %w", err)
	}
	return n > 0, nil
}

// LoadIfExists reads the entries of the key table, nil when there is none.
func LoadIfExists(ctx context.Context, db DB, f Flavor) ([]Entry, error) {
	exists, err := Exists(ctx, db, f)
	if err != nil || !exists {
		return nil, err
	}
	return Load(ctx, Query(db))
}

// lockAndLoad takes the writers' lock and reads the entries, failing with
// ErrNoTable when there is no table. Run it first in a writer's
// transaction.
func lockAndLoad(ctx context.Context, db DB, f Flavor) ([]Entry, error) {
	exists, err := Exists(ctx, db, f)
	if err != nil {
		return nil, err
	}
	if !exists {
		return nil, fmt.Errorf("sqlseal: %w", ErrNoTable)
	}
	if f.Lock != "" {
		rows, err := db.QueryContext(ctx, f.Lock)
		if err != nil {
			return nil, fmt.Errorf("sqlseal: locking the key table: %w", err)
		}
		rows.Close()
	}
	return Load(ctx, Query(db))
}

// inTx runs fn in a transaction: db itself when it is one (the caller
// commits), otherwise a transaction of db's that inTx commits when fn
// succeeds. Every writer of the key table runs this way, so that its
// lock, reads and writes are one.
func inTx(ctx context.Context, db DB, fn func(DB) error) error {
	pool, ok := db.(*sql.DB)
	if !ok {
		return fn(db)
	}
	tx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlseal: beginning a transaction on the key table: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}
